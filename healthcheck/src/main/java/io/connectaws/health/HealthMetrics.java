package io.connectaws.health;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters and gauges of the health extension, registered in the platform MBean server while the worker runs. */
public final class HealthMetrics implements HealthMetricsMBean {
    private static final Logger log = LoggerFactory.getLogger(HealthMetrics.class);
    static final String NAME = "io.connectaws:type=health";

    private volatile int live = 1;
    private volatile int ready;
    private volatile int ownedConnectors;
    private volatile int ownedTasks;
    private volatile int unhealthyConnectors;
    private volatile int unhealthyTasks;
    private volatile int ignoredUnhealthy;
    private volatile int disconnectedTasks;
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, ConnectorRestarts> perConnector = new ConcurrentHashMap<>();
    private final Map<String, DatabaseConnection> connections = new ConcurrentHashMap<>();
    private volatile LongSupplier secondsSinceLastCheck = () -> -1;
    private boolean registered;

    /** Per-connector restart counter. */
    public static final class ConnectorRestarts implements ConnectorRestartsMBean {
        private final AtomicLong count = new AtomicLong();

        @Override
        public long getRestarts() {
            return count.get();
        }
    }

    /** One task's database connection gauge (see {@link DatabaseConnectionMBean}). */
    public static final class DatabaseConnection implements DatabaseConnectionMBean {
        private volatile int connected = 1;
        private volatile long notConnectedSeconds;

        @Override
        public int getConnected() {
            return connected;
        }

        @Override
        public long getNotConnectedSeconds() {
            return notConnectedSeconds;
        }
    }

    /** Sets the gauge of one task, registering its MBean the first time (types boxed for the metrics tests). */
    synchronized void connection(String connector, Integer task, Boolean connected, Long notConnectedSeconds) {
        DatabaseConnection c = connections.computeIfAbsent(connector + "/" + task, k -> {
            DatabaseConnection n = new DatabaseConnection();
            if (registered) register(connectionName(connector, task), new StandardMBean(n, DatabaseConnectionMBean.class, false));
            return n;
        });
        c.connected = connected ? 1 : 0;
        c.notConnectedSeconds = notConnectedSeconds;
        disconnectedTasks = (int) connections.values().stream().filter(x -> x.connected == 0).count();
    }

    /** Removes the gauges of tasks no longer judged here (gone, moved, paused), by {@code connector/task} key. */
    synchronized void retainConnections(Set<String> keys) {
        for (String key : Set.copyOf(connections.keySet())) {
            if (keys.contains(key)) continue;
            connections.remove(key);
            int slash = key.lastIndexOf('/');
            if (registered) unregister(connectionName(key.substring(0, slash), Integer.valueOf(key.substring(slash + 1))));
        }
        disconnectedTasks = (int) connections.values().stream().filter(x -> x.connected == 0).count();
    }

    /** The gauge of one task, if it has one (for tests). */
    DatabaseConnection connection(String connector, int task) {
        return connections.get(connector + "/" + task);
    }

    void update(boolean live, boolean ready, ReadinessPolicy.Evaluation e) {
        this.live = live ? 1 : 0;
        this.ready = ready ? 1 : 0;
        if (e != null) {
            ownedConnectors = e.ownedConnectors();
            ownedTasks = e.ownedTasks();
            unhealthyConnectors = (int) e.unhealthy().stream().filter(u -> u.task() == null).count();
            unhealthyTasks = e.unhealthy().size() - unhealthyConnectors;
            ignoredUnhealthy = e.ignored().size();
        }
    }

    void secondsSinceLastCheck(LongSupplier s) {
        secondsSinceLastCheck = s;
    }

    void restarted(String connector) {
        restarts.incrementAndGet();
        perConnector.computeIfAbsent(connector, c -> {
            ConnectorRestarts r = new ConnectorRestarts();
            if (registered) register(connectorName(c), asMBean(r));
            return r;
        }).count.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    /** Restarts of {@code connector} and its tasks so far. */
    long restarts(String connector) {
        ConnectorRestarts r = perConnector.get(connector);
        return r == null ? 0 : r.getRestarts();
    }

    /**
     * JMX looks for a Standard MBean interface named after the class (HealthMetrics$ConnectorRestartsMBean), so
     * the nested class is registered through its interface explicitly; registered as is, it was refused.
     */
    private static StandardMBean asMBean(ConnectorRestarts restarts) {
        return new StandardMBean(restarts, ConnectorRestartsMBean.class, false);
    }

    synchronized void registerAll() {
        registered = true;
        register(name(NAME), this);
        perConnector.forEach((c, r) -> register(connectorName(c), asMBean(r)));
        connections.forEach((key, c) -> {
            int slash = key.lastIndexOf('/');
            register(connectionName(key.substring(0, slash), Integer.valueOf(key.substring(slash + 1))),
                    new StandardMBean(c, DatabaseConnectionMBean.class, false));
        });
    }

    synchronized void unregisterAll() {
        if (!registered) return;
        registered = false;
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName n : server.queryNames(name("io.connectaws:type=self-healing,*"), null)) server.unregisterMBean(n);
            for (ObjectName n : server.queryNames(name("io.connectaws:type=database-connection,*"), null)) server.unregisterMBean(n);
            if (server.isRegistered(name(NAME))) server.unregisterMBean(name(NAME));
        } catch (Exception e) {
            log.debug("unregistering health MBeans: {}", e.toString());
        }
    }

    private static ObjectName connectorName(String connector) {
        return name("io.connectaws:type=self-healing,connector=" + ObjectName.quote(connector));
    }

    static ObjectName connectionName(String connector, Integer task) {
        return name("io.connectaws:type=database-connection,connector=" + ObjectName.quote(connector) + ",task=" + task);
    }

    private static void unregister(ObjectName name) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) server.unregisterMBean(name);
        } catch (Exception e) {
            log.debug("unregistering {}: {}", name, e.toString());
        }
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static void register(ObjectName name, Object bean) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) server.unregisterMBean(name);
            server.registerMBean(bean, name);
        } catch (Exception e) {
            log.warn("Health metrics not registered in JMX as {}: {}", name, e.toString());
        }
    }

    @Override public int getLive() { return live; }
    @Override public int getReady() { return ready; }
    @Override public int getOwnedConnectors() { return ownedConnectors; }
    @Override public int getOwnedTasks() { return ownedTasks; }
    @Override public int getUnhealthyConnectors() { return unhealthyConnectors; }
    @Override public int getUnhealthyTasks() { return unhealthyTasks; }
    @Override public int getIgnoredUnhealthy() { return ignoredUnhealthy; }
    @Override public int getDisconnectedTasks() { return disconnectedTasks; }
    @Override public long getSelfHealingRestarts() { return restarts.get(); }
    @Override public long getSelfHealingRefused() { return refused.get(); }
    @Override public long getSecondsSinceLastCheck() { return secondsSinceLastCheck.getAsLong(); }
}
