package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.junit.jupiter.api.Test;

import io.connectaws.health.DatabaseConnections.Observation;
import io.connectaws.health.DatabaseConnections.TaskRef;

/**
 * Debezium's MBean names as its connectors register them (io.debezium.metrics.Metrics, checked against the shipped
 * image through the Prometheus endpoint: {@code debezium_streaming_connected{plugin="postgres",server="PREFIX"}}),
 * in a private MBean server.
 */
class DebeziumJmxTest {

    /** The attribute Debezium's StreamingChangeEventSourceMetricsMXBean has (isConnected). */
    public interface StreamingMBean {
        boolean isConnected();
    }

    /** The attribute of its SnapshotChangeEventSourceMetricsMXBean that matters here. */
    public interface SnapshotMBean {
        boolean getSnapshotRunning();
    }

    /** Its snapshot MBean once the snapshot is done. */
    public interface CompletedSnapshotMBean {
        boolean getSnapshotRunning();

        boolean getSnapshotCompleted();
    }

    /** Debezium's SchemaHistoryMXBean (context=schema-history): STOPPED, RECOVERING or RUNNING. */
    public interface SchemaHistoryMBean {
        String getStatus();
    }

    /** SQL Server's per-database streaming MBean: no Connected (that is on the task's). */
    public interface PartitionMBean {
        long getTotalNumberOfEventsSeen();
    }

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final DebeziumJmx jmx = new DebeziumJmx(server);

    private void streaming(String name, boolean connected) throws Exception {
        server.registerMBean(new StandardMBean((StreamingMBean) () -> connected, StreamingMBean.class), new ObjectName(name));
    }

    private void snapshot(String name, boolean running) throws Exception {
        server.registerMBean(new StandardMBean((SnapshotMBean) () -> running, SnapshotMBean.class), new ObjectName(name));
    }

    private Map<TaskRef, Observation> observe(TaskRef... tasks) {
        return jmx.observe(List.of(tasks));
    }

    @Test
    void postgresStyleNamesBelongToTaskZeroAndConnectedOrASnapshotIsConnected() throws Exception {
        streaming("debezium.postgres:type=connector-metrics,context=streaming,server=dbserver1", true);
        snapshot("debezium.postgres:type=connector-metrics,context=snapshot,server=dbserver1", false);
        streaming("debezium.postgres:type=connector-metrics,context=streaming,server=dbserver2,env=prod", false);
        snapshot("debezium.postgres:type=connector-metrics,context=snapshot,server=dbserver2,env=prod", true);
        streaming("debezium.mariadb:type=connector-metrics,context=streaming,server=shop", false);
        snapshot("debezium.mariadb:type=connector-metrics,context=snapshot,server=shop", false);
        // a prefix that only starts like another one
        streaming("debezium.postgres:type=connector-metrics,context=streaming,server=dbserver1-old", true);

        Map<TaskRef, Observation> seen = observe(new TaskRef("dbserver1", 0), new TaskRef("dbserver2", 0),
                new TaskRef("shop", 0), new TaskRef("gone", 0), new TaskRef("dbserver1", 1));
        assertThat(seen.get(new TaskRef("dbserver1", 0))).isEqualTo(new Observation(true, "streaming, connected"));
        assertThat(seen.get(new TaskRef("dbserver2", 0))).as("custom.metric.tags appended").isEqualTo(new Observation(true, "snapshot running"));
        assertThat(seen.get(new TaskRef("shop", 0))).isEqualTo(new Observation(false, "Debezium reports Connected=false for server=shop"));
        assertThat(seen.get(new TaskRef("gone", 0)).connected()).isFalse();
        assertThat(seen.get(new TaskRef("gone", 0)).detail()).startsWith("Debezium has no metrics for server=gone");
        assertThat(seen.get(new TaskRef("dbserver1", 1)).connected()).as("names without task= are task 0's").isFalse();
    }

    @Test
    void sqlServerStyleNamesCarryTheTask() throws Exception {
        streaming("debezium.sql_server:type=connector-metrics,server=mssql,task=0,context=streaming", true);
        server.registerMBean(new StandardMBean((PartitionMBean) () -> 7L, PartitionMBean.class),
                new ObjectName("debezium.sql_server:type=connector-metrics,server=mssql,task=0,context=streaming,database=testDB"));
        streaming("debezium.sql_server:type=connector-metrics,server=mssql,task=1,context=streaming", false);
        server.registerMBean(new StandardMBean((PartitionMBean) () -> 7L, PartitionMBean.class),
                new ObjectName("debezium.sql_server:type=connector-metrics,server=mssql,task=2,context=streaming,database=other"));

        Map<TaskRef, Observation> seen = observe(new TaskRef("mssql", 0), new TaskRef("mssql", 1), new TaskRef("mssql", 2));
        assertThat(seen.get(new TaskRef("mssql", 0)).connected()).isTrue();
        assertThat(seen.get(new TaskRef("mssql", 1))).isEqualTo(new Observation(false, "Debezium reports Connected=false for server=mssql, task=1"));
        assertThat(seen.get(new TaskRef("mssql", 2))).as("a database MBean has no Connected").isEqualTo(
                new Observation(false, "Debezium is neither streaming nor snapshotting for server=mssql, task=2"));
    }

    @Test
    void otherDomainsAndTypesAreNotDebeziumsConnectorMetrics() throws Exception {
        streaming("kafka.connect:type=connector-metrics,context=streaming,server=dbserver1", true);
        streaming("debezium.postgres:type=other,context=streaming,server=dbserver1", true);
        assertThat(observe(new TaskRef("dbserver1", 0)).get(new TaskRef("dbserver1", 0)).connected()).isFalse();
    }

    @Test
    void aSchemaHistoryBeingRecoveredCountsAsConnectedAndACompletedSnapshotIsReported() throws Exception {
        streaming("debezium.mysql:type=connector-metrics,context=streaming,server=big", false);
        server.registerMBean(new StandardMBean((SchemaHistoryMBean) () -> "RECOVERING", SchemaHistoryMBean.class),
                new ObjectName("debezium.mysql:type=connector-metrics,context=schema-history,server=big"));
        streaming("debezium.mysql:type=connector-metrics,context=streaming,server=done", false);
        server.registerMBean(new StandardMBean((SchemaHistoryMBean) () -> "RUNNING", SchemaHistoryMBean.class),
                new ObjectName("debezium.mysql:type=connector-metrics,context=schema-history,server=done"));
        server.registerMBean(new StandardMBean(new CompletedSnapshotMBean() {
            public boolean getSnapshotRunning() {
                return false;
            }

            public boolean getSnapshotCompleted() {
                return true;
            }
        }, CompletedSnapshotMBean.class), new ObjectName("debezium.mysql:type=connector-metrics,context=snapshot,server=done"));

        Map<TaskRef, Observation> seen = observe(new TaskRef("big", 0), new TaskRef("done", 0));
        assertThat(seen.get(new TaskRef("big", 0))).isEqualTo(new Observation(true, "recovering its schema history"));
        assertThat(seen.get(new TaskRef("done", 0))).isEqualTo(
                new Observation(false, "Debezium reports Connected=false for server=done", true));
    }
}
