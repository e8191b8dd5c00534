package io.connectaws.rest;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Configurable;

import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * A {@link ConnectRestExtensionContext} for REST extensions' lifecycle tests (configure, register, close, as Kafka's
 * BasicAuthSecurityRestExtensionTest does): it records what an extension registers with Jersey and the configuration
 * properties it sets, and hands out the cluster state it was given. Shared with the other modules as a test jar.
 */
public final class RecordingRestContext {
    /** One component an extension registered: an instance or a class, with its priority (null when none given). */
    public record Registered(Object component, Integer priority) {
        /** The registered class's simple name, also for an instance; "@priority" when one was given. */
        public String describe() {
            Class<?> type = component instanceof Class<?> c ? c : component.getClass();
            return type.getSimpleName() + (priority == null ? "" : "@" + priority);
        }
    }

    private final List<Registered> registered = new ArrayList<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final ConnectClusterState cluster;

    /** A context whose cluster has no connectors. */
    public RecordingRestContext() {
        this(emptyCluster());
    }

    /** A context handing out {@code cluster}. */
    public RecordingRestContext(ConnectClusterState cluster) {
        this.cluster = cluster;
    }

    /** Calls {@code extension.register} with this context and returns this. */
    public RecordingRestContext register(ConnectRestExtension extension) {
        extension.register(context());
        return this;
    }

    /** What was registered, in order. */
    public List<Registered> registered() {
        return registered;
    }

    /** {@link Registered#describe()} of each registered component, in order. */
    public List<String> described() {
        return registered.stream().map(Registered::describe).toList();
    }

    /** The Jersey configuration properties set. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** The context as Connect hands it to {@code register}. */
    public ConnectRestExtensionContext context() {
        ClassLoader loader = RecordingRestContext.class.getClassLoader();
        Configurable<?> configurable = (Configurable<?>) Proxy.newProxyInstance(loader, new Class<?>[] {Configurable.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("register") && args.length == 1) {
                        registered.add(new Registered(args[0], null));
                        return proxy;
                    }
                    if (m.getName().equals("register") && args.length == 2 && args[1] instanceof Integer p) {
                        registered.add(new Registered(args[0], p));
                        return proxy;
                    }
                    if (m.getName().equals("property")) {
                        properties.put((String) args[0], args[1]);
                        return proxy;
                    }
                    throw new UnsupportedOperationException(m.toString());
                });
        return (ConnectRestExtensionContext) Proxy.newProxyInstance(loader, new Class<?>[] {ConnectRestExtensionContext.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "configurable" -> configurable;
                    case "clusterState" -> cluster;
                    default -> throw new UnsupportedOperationException(m.toString());
                });
    }

    /** A cluster with no connectors: each named one is unknown, as Connect answers it. */
    public static ConnectClusterState emptyCluster() {
        return (ConnectClusterState) Proxy.newProxyInstance(RecordingRestContext.class.getClassLoader(),
                new Class<?>[] {ConnectClusterState.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "connectors" -> List.of();
                    case "kafkaClusterId" -> "test-cluster";
                    case "toString" -> "empty cluster";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new org.apache.kafka.connect.errors.NotFoundException("no connector " + args[0]);
                });
    }
}
