package io.connectaws.metrics;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import io.debezium.metrics.activity.ActivityMonitoringMXBean;
import io.debezium.pipeline.metrics.SnapshotChangeEventSourceMetricsMXBean;
import io.debezium.pipeline.metrics.StreamingChangeEventSourceMetricsMXBean;
import io.debezium.pipeline.metrics.traits.CommonEventMetricsMXBean;
import io.debezium.pipeline.metrics.traits.ConnectionMetricsMXBean;
import io.debezium.pipeline.metrics.traits.QueueMetricsMXBean;
import io.debezium.pipeline.metrics.traits.SchemaMetricsMXBean;
import io.debezium.pipeline.metrics.traits.SnapshotMetricsMXBean;
import io.debezium.pipeline.metrics.traits.StreamingMetricsMXBean;
import io.debezium.relational.history.SchemaHistoryMXBean;

/**
 * Debezium's metric MBeans as the shipped connectors register them: the MXBean interface each connector's metrics
 * class resolves to (JMX picks the most specific {@code *MXBean} interface it implements), under the ObjectName that
 * {@code io.debezium.metrics.Metrics} builds, backed by proxies, so the attribute types are what JMX shows
 * (maps become TabularData, arrays stay arrays).
 *
 * <ul>
 * <li>Postgres 3.6.3 ({@code DefaultChangeEventSourceMetricsFactory}):
 * {@code debezium.postgres:type=connector-metrics,context=streaming|snapshot,server=PREFIX} and custom.metric.tags
 * appended after them; interfaces from debezium-connector-common 3.6.1, identical in 3.6.3.</li>
 * <li>MariaDB 3.5.0 ({@code MariaDbStreaming/SnapshotChangeEventSourceMetrics}, binlog MXBeans, mirrored below).</li>
 * <li>SQL Server 3.6.1 (multi-partition): a task MBean {@code server=PREFIX,task=N,context=C} with the queue (and
 * Connected) and one MBean per database {@code server=PREFIX,task=N,context=C,database=DB} with the rest.</li>
 * <li>MariaDB schema history ({@code context=schema-history}), which the rules leave out.</li>
 * </ul>
 */
public final class DebeziumMBeans implements AutoCloseable {

    // Mirrors of interfaces from connector jars that are not on the test class path; they only combine the
    // debezium-connector-common traits above, with the same getters as the sources named.

    /** debezium-connector-binlog 3.5.0 io.debezium.connector.binlog.metrics.BinlogStreamingChangeEventSourceMetricsMXBean. */
    public interface BinlogStreamingChangeEventSourceMetricsMXBean extends StreamingChangeEventSourceMetricsMXBean {
        String getBinlogFilename();
        long getBinlogPosition();
        String getGtidSet();
        long getNumberOfSkippedEvents();
        long getNumberOfDisconnects();
        @Override
        long getNumberOfCommittedTransactions();
        long getNumberOfRolledBackTransactions();
        long getNumberOfNotWellFormedTransactions();
        long getNumberOfLargeTransactions();
        boolean getIsGtidModeEnabled();
    }

    /** debezium-connector-binlog 3.5.0 io.debezium.connector.binlog.metrics.BinlogSnapshotChangeEventSourceMetricsMXBean. */
    public interface BinlogSnapshotChangeEventSourceMetricsMXBean extends SnapshotChangeEventSourceMetricsMXBean {
        boolean getHoldingGlobalLock();
    }

    /** debezium-connector-sqlserver 3.6.1 io.debezium.connector.sqlserver.metrics.SqlServerTaskMetricsMXBean. */
    public interface SqlServerTaskMetricsMXBean extends QueueMetricsMXBean {
        void reset();
    }

    /** debezium-connector-sqlserver 3.6.1 SqlServerStreamingTaskMetricsMXBean. */
    public interface SqlServerStreamingTaskMetricsMXBean extends ConnectionMetricsMXBean, SqlServerTaskMetricsMXBean {
    }

    /** debezium-connector-sqlserver 3.6.1 SqlServerPartitionMetricsMXBean. */
    public interface SqlServerPartitionMetricsMXBean extends CommonEventMetricsMXBean, SchemaMetricsMXBean, ActivityMonitoringMXBean {
        void reset();
    }

    /** debezium-connector-sqlserver 3.6.1 SqlServerStreamingPartitionMetricsMXBean. */
    public interface SqlServerStreamingPartitionMetricsMXBean extends StreamingMetricsMXBean, SqlServerPartitionMetricsMXBean {
    }

    /** debezium-connector-sqlserver 3.6.1 SqlServerSnapshotPartitionMetricsMXBean. */
    public interface SqlServerSnapshotPartitionMetricsMXBean extends SnapshotMetricsMXBean, SqlServerPartitionMetricsMXBean {
    }

    record Bean(ObjectName name, Class<?> mxbean, Map<String, Object> overrides) {}

    /** A Postgres connector that left skip.messages.without.change off: NumberOfUnchangedEventsSkipped is -1. */
    static final String POSTGRES_UNCHANGED_DISABLED = "dbserver2";

    static final List<Bean> BEANS = List.of(
            bean("debezium.postgres:type=connector-metrics,context=streaming,server=dbserver1",
                    StreamingChangeEventSourceMetricsMXBean.class),
            bean("debezium.postgres:type=connector-metrics,context=snapshot,server=dbserver1",
                    SnapshotChangeEventSourceMetricsMXBean.class),
            // custom.metric.tags=env=prod
            bean("debezium.postgres:type=connector-metrics,context=streaming,server=dbserver2,env=prod",
                    StreamingChangeEventSourceMetricsMXBean.class, Map.of("NumberOfUnchangedEventsSkipped", -1L)),
            bean("debezium.mariadb:type=connector-metrics,context=streaming,server=mariadb1",
                    BinlogStreamingChangeEventSourceMetricsMXBean.class),
            bean("debezium.mariadb:type=connector-metrics,context=snapshot,server=mariadb1",
                    BinlogSnapshotChangeEventSourceMetricsMXBean.class),
            bean("debezium.sql_server:type=connector-metrics,server=sqlserver1,task=0,context=streaming",
                    SqlServerStreamingTaskMetricsMXBean.class),
            bean("debezium.sql_server:type=connector-metrics,server=sqlserver1,task=0,context=streaming,database=testDB",
                    SqlServerStreamingPartitionMetricsMXBean.class),
            bean("debezium.sql_server:type=connector-metrics,server=sqlserver1,task=0,context=snapshot",
                    SqlServerTaskMetricsMXBean.class),
            bean("debezium.sql_server:type=connector-metrics,server=sqlserver1,task=0,context=snapshot,database=testDB",
                    SqlServerSnapshotPartitionMetricsMXBean.class),
            bean("debezium.mariadb:type=connector-metrics,context=schema-history,server=mariadb1",
                    SchemaHistoryMXBean.class));

    /** Tables in the per-table maps (RowsScanned, NumberOfCreateEventsSeen...). */
    static final Map<String, Long> TABLES = map("inventory.customers", 1200L, "inventory.orders", 34L);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    DebeziumMBeans() throws Exception {
        for (Bean b : BEANS) {
            Object proxy = Proxy.newProxyInstance(b.mxbean().getClassLoader(), new Class<?>[] {b.mxbean()},
                    (p, m, args) -> value(m, b.overrides()));
            register(b.name(), new StandardMBean(cast(proxy, b.mxbean()), cast(b.mxbean()), true));
        }
    }

    private void register(ObjectName name, Object mbean) throws Exception {
        server.registerMBean(mbean, name);
        registered.add(name);
    }

    /** Values a running connector would show; numbers differ per attribute so a mix-up shows. */
    private static Object value(Method m, Map<String, Object> overrides) {
        String attribute = m.getName().replaceFirst("^(get|is)", "");
        if (overrides.containsKey(attribute)) return overrides.get(attribute);
        switch (m.getName()) {
            case "toString": return "proxy";
            case "hashCode": return 1;
            case "equals": return false;
            default: break;
        }
        Class<?> t = m.getReturnType();
        if (t == void.class) return null;
        if (t == boolean.class || t == Boolean.class) return !attribute.equals("SnapshotAborted");
        if (t == long.class || t == Long.class) return (long) Math.abs(attribute.hashCode() % 10_000);
        if (t == int.class || t == Integer.class) return Math.abs(attribute.hashCode() % 1_000);
        if (t == double.class || t == Double.class) return 12.5;
        if (t == String.class) return attribute.equals("LastTransactionId") ? "txn-42" : "x";
        if (t == String[].class) return TABLES.keySet().toArray(String[]::new);
        if (Map.class.isAssignableFrom(t)) {
            Type valueType = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
            return valueType == Long.class ? TABLES : Map.of("lsn", "0/16B3748", "txId", "767");
        }
        throw new IllegalStateException("no sample value for " + m);
    }

    private static Bean bean(String name, Class<?> mxbean) {
        return bean(name, mxbean, Map.of());
    }

    private static Bean bean(String name, Class<?> mxbean, Map<String, Object> overrides) {
        try {
            return new Bean(new ObjectName(name), mxbean, overrides);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static Map<String, Long> map(String k1, Long v1, String k2, Long v2) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o, Class<T> c) {
        return (T) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> cast(Class<?> c) {
        return (Class<T>) c;
    }

    /** Attributes that are counts since the task started (or the snapshot did): the rest are gauges. */
    public static final Set<String> CUMULATIVE = Set.of(
            // CommonEventMeter: AtomicLong.incrementAndGet, set to 0 only by the reset() operation
            "TotalNumberOfEventsSeen", "TotalNumberOfCreateEventsSeen", "TotalNumberOfUpdateEventsSeen",
            "TotalNumberOfDeleteEventsSeen", "NumberOfEventsFiltered", "NumberOfErroneousEvents",
            // StreamingMeter, BinlogStreamingChangeEventSourceMetrics
            "NumberOfCommittedTransactions", "NumberOfUnchangedEventsSkipped", "NumberOfSkippedEvents",
            "NumberOfDisconnects", "NumberOfRolledBackTransactions", "NumberOfNotWellFormedTransactions",
            "NumberOfLargeTransactions",
            // ActivityMonitoringMeter (per table)
            "NumberOfCreateEventsSeen", "NumberOfUpdateEventsSeen", "NumberOfDeleteEventsSeen", "NumberOfTruncateEventsSeen",
            // SnapshotMeter: rows read so far per table, grows until the table is done
            "RowsScanned",
            // SchemaHistoryMetrics (not exported)
            "ChangesRecovered", "ChangesApplied");

    @Override
    public void close() throws Exception {
        for (ObjectName n : registered) {
            if (server.isRegistered(n)) server.unregisterMBean(n);
        }
    }
}
