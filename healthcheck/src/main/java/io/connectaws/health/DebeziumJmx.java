package io.connectaws.health;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Reads Debezium's metric MBeans in this JVM. Every Debezium connector registers them under
 * {@code debezium.<plugin>:type=connector-metrics}, keyed by the connector's topic prefix, in one of two orders
 * ({@code io.debezium.metrics.Metrics}):
 * <ul>
 * <li>single task (PostgreSQL, MySQL, MariaDB): {@code context=streaming|snapshot,server=<topic.prefix>};</li>
 * <li>multi-partition (SQL Server): {@code server=<topic.prefix>,task=N,context=streaming|snapshot[,database=DB]};</li>
 * </ul>
 * either followed by {@code custom.metric.tags}. A task is connected when a streaming MBean of it has
 * {@code Connected=true}, a snapshot MBean {@code SnapshotRunning=true}, or its schema history MBean
 * ({@code context=schema-history}) {@code Status=RECOVERING}. MBeans without a {@code task} key belong
 * to task 0. Debezium removes them while it retries a lost database, so "none" is the commonest disconnected answer.
 */
final class DebeziumJmx implements DatabaseConnections.Probe {
    static final ObjectName PATTERN = name("debezium.*:type=connector-metrics,*");

    private final MBeanServer server;

    DebeziumJmx(MBeanServer server) {
        this.server = server;
    }

    static DebeziumJmx platform() {
        return new DebeziumJmx(ManagementFactory.getPlatformMBeanServer());
    }

    @Override
    public Map<DatabaseConnections.TaskRef, DatabaseConnections.Observation> observe(Collection<DatabaseConnections.TaskRef> tasks) {
        // [streaming bean seen, connected, snapshotting, recovering schema history, snapshot completed]
        Map<DatabaseConnections.TaskRef, Boolean[]> found = new HashMap<>();
        Set<ObjectName> names = server.queryNames(PATTERN, null);
        Map<String, Set<Integer>> wanted = new HashMap<>();
        for (DatabaseConnections.TaskRef t : tasks) wanted.computeIfAbsent(t.topicPrefix(), p -> new java.util.HashSet<>()).add(t.task());
        for (ObjectName n : names) {
            String prefix = unquote(n.getKeyProperty("server"));
            Set<Integer> ids = prefix == null ? null : wanted.get(prefix);
            if (ids == null) continue;
            int task;
            try {
                String t = unquote(n.getKeyProperty("task"));
                task = t == null ? 0 : Integer.parseInt(t);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!ids.contains(task)) continue;
            DatabaseConnections.TaskRef ref = new DatabaseConnections.TaskRef(prefix, task);
            Boolean[] f = found.computeIfAbsent(ref, r -> new Boolean[] {false, false, false, false, false});
            String context = n.getKeyProperty("context");
            if ("streaming".equals(context)) {
                Boolean connected = attribute(n, "Connected");
                if (connected != null) {
                    f[0] = true;
                    f[1] |= connected;
                }
            } else if ("snapshot".equals(context)) {
                f[2] |= Boolean.TRUE.equals(attribute(n, "SnapshotRunning"));
                f[4] |= Boolean.TRUE.equals(attribute(n, "SnapshotCompleted"));
            } else if ("schema-history".equals(context)) {
                // MySQL, MariaDB, SQL Server read their schema history back at start; with many tables that takes a while
                f[3] |= "RECOVERING".equals(stringAttribute(n, "Status"));
            }
        }
        Map<DatabaseConnections.TaskRef, DatabaseConnections.Observation> result = new HashMap<>();
        for (DatabaseConnections.TaskRef t : tasks) {
            Boolean[] f = found.get(t);
            String where = "server=" + t.topicPrefix() + (t.task() == 0 ? "" : ", task=" + t.task());
            DatabaseConnections.Observation o;
            if (f == null) {
                o = new DatabaseConnections.Observation(false, "Debezium has no metrics for " + where
                        + " (its change event source is not running: retrying a connection, or still starting)");
            } else if (f[1]) {
                o = new DatabaseConnections.Observation(true, "streaming, connected");
            } else if (f[2]) {
                o = new DatabaseConnections.Observation(true, "snapshot running");
            } else if (f[3]) {
                o = new DatabaseConnections.Observation(true, "recovering its schema history");
            } else if (f[0]) {
                o = new DatabaseConnections.Observation(false, "Debezium reports Connected=false for " + where, f[4]);
            } else {
                o = new DatabaseConnections.Observation(false, "Debezium is neither streaming nor snapshotting for "
                        + where, f[4]);
            }
            result.put(t, o);
        }
        return result;
    }

    /** A boolean attribute, or null when this MBean has none by that name (SQL Server's per-database MBeans). */
    private Boolean attribute(ObjectName n, String attribute) {
        try {
            Object v = server.getAttribute(n, attribute);
            return v instanceof Boolean b ? b : null;
        } catch (Exception e) {
            return null;
        }
    }

    private String stringAttribute(ObjectName n, String attribute) {
        try {
            return String.valueOf(server.getAttribute(n, attribute));
        } catch (Exception e) {
            return null;
        }
    }

    private static String unquote(String value) {
        if (value == null || value.length() < 2 || !value.startsWith("\"")) return value;
        try {
            return ObjectName.unquote(value);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
