package io.connectaws.secrets.rotation;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.PluginVersion;
import io.connectaws.rest.RestRestarter;
import io.connectaws.rest.WorkerRest;
import io.connectaws.secrets.RotatableConfigProvider;

/**
 * A Connect REST extension that serves nothing: it starts the {@link RotationMonitor} with the REST API's view of the
 * cluster, for the AWS providers configured in the worker ({@code config.providers.NAME.class}). Enable it with
 * {@code rest.extension.classes=io.connectaws.secrets.rotation.SecretRotationExtension} (the image's profile does).
 */
public class SecretRotationExtension implements ConnectRestExtension {
    /** Overrides the worker's REST URL for the restarts, e.g. when it serves https only. */
    static final String REST_URL_OVERRIDE = "connect.aws.rotation.rest.url";
    private static final Logger log = LoggerFactory.getLogger(SecretRotationExtension.class);
    private static final Pattern PROVIDER_CLASS = Pattern.compile("config\\.providers\\.([^.]+)\\.class");
    /** How often the monitor looks for due references (each reference is read at its own interval). */
    static final String TICK = "connect.aws.rotation.tick.ms";

    private Map<String, ?> worker = Map.of();
    private final Map<String, ConfigProvider> ownProviders = new LinkedHashMap<>();
    private RotationMonitor monitor;
    private ObjectName mbean;

    @Override
    public void configure(Map<String, ?> configs) {
        this.worker = new HashMap<>(configs);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        Map<String, RotatableConfigProvider> providers = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : worker.entrySet()) {
            Matcher m = PROVIDER_CLASS.matcher(e.getKey());
            if (!m.matches() || e.getValue() == null) continue;
            String name = m.group(1);
            try {
                Class<?> c = Class.forName(e.getValue().toString().trim(), true, getClass().getClassLoader());
                if (!RotatableConfigProvider.class.isAssignableFrom(c)) continue;
                ConfigProvider p = (ConfigProvider) c.getDeclaredConstructor().newInstance();
                p.configure(params(name));
                ownProviders.put(name, p);
                providers.put(name, (RotatableConfigProvider) p);
            } catch (ReflectiveOperationException | LinkageError ex) {
                log.debug("Provider {} ({}) is not an AWS provider: {}", name, e.getValue(), ex.toString());
            } catch (RuntimeException ex) {
                log.warn("Secret rotation: cannot use provider '{}': {}", name, ex.getMessage());
            }
        }
        if (providers.isEmpty()) {
            log.info("Secret rotation monitor off: no Secrets Manager or SSM provider in config.providers");
            return;
        }
        WorkerRest rest = WorkerRest.from(worker, REST_URL_OVERRIDE);
        RotationMetrics metrics = new RotationMetrics();
        registerMBean(metrics);
        monitor = new RotationMonitor(context.clusterState(), providers, rest.workerId(),
                restartsHere(new RestRestarter(rest)),
                System::nanoTime, metrics);
        Object tick = worker.get(TICK);
        monitor.start(Duration.ofMillis(tick == null ? 1000 : Long.parseLong(tick.toString().trim())));
    }

    /**
     * Restarts a connector's instance and tasks that run on this worker, each where it runs, so Connect forwards nothing
     * to the leader; a refusal is logged and retried by the monitor.
     */
    static RotationMonitor.Restarter restartsHere(RestRestarter restarter) {
        return (String connector, boolean instanceHere, List<Integer> tasksHere) -> {
            boolean ok = !instanceHere || restarted(restarter.restart(connector, null), connector);
            for (int task : tasksHere) {
                ok &= restarted(restarter.restart(connector, task), connector);
            }
            return ok;
        };
    }

    private static boolean restarted(RestRestarter.Result r, String connector) {
        if (!r.restarted()) {
            log.warn("Restart of connector '{}' ({}) {}", connector, r.path(), r.reason());
        }
        return r.restarted();
    }

    private Map<String, Object> params(String name) {
        String prefix = "config.providers." + name + ".param.";
        Map<String, Object> params = new HashMap<>();
        worker.forEach((k, v) -> {
            if (k.startsWith(prefix)) params.put(k.substring(prefix.length()), v);
        });
        return params;
    }

    private void registerMBean(RotationMetrics metrics) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.connectaws:type=secret-rotation");
            if (server.isRegistered(name)) server.unregisterMBean(name);
            server.registerMBean(metrics, name);
            mbean = name;
        } catch (Exception e) {
            log.warn("Secret rotation metrics not registered in JMX: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (monitor != null) monitor.close();
        ownProviders.values().forEach(p -> {
            try {
                p.close();
            } catch (Exception e) {
                log.debug("closing provider: {}", e.toString());
            }
        });
        if (mbean != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbean);
            } catch (Exception ignored) {
                // already gone
            }
        }
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }
}
