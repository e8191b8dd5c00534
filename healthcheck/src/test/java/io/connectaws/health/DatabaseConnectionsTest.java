package io.connectaws.health;

import static io.connectaws.health.FakeCluster.A;
import static io.connectaws.health.FakeCluster.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.connectaws.health.DatabaseConnections.Observation;
import io.connectaws.health.DatabaseConnections.TaskRef;
import io.connectaws.health.WorkerStatus.State;

/**
 * A RUNNING Debezium task that is not connected to its database counts against readiness and reads 0, through the
 * monitor as the extension runs it, with a fake clock and a fake view of Debezium's MBeans.
 */
class DatabaseConnectionsTest {
    private long now = 5_000_000_000L;
    private final FakeCluster cluster = new FakeCluster();
    private final HealthMetrics metrics = new HealthMetrics();
    /** What Debezium's MBeans say, by topic prefix and task; a task not in it has no MBeans. */
    private final Map<TaskRef, Observation> debezium = new HashMap<>();
    private int probes;

    private HealthMonitor monitor(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(HealthSettings.INTERVAL, "5000",
                HealthSettings.RESTART_ENABLED, "false"));
        props.putAll(extra);
        DatabaseConnections.Probe probe = tasks -> {
            probes++;
            Map<TaskRef, Observation> seen = new HashMap<>();
            for (TaskRef t : tasks) if (debezium.containsKey(t)) seen.put(t, debezium.get(t));
            return seen;
        };
        return new HealthMonitor(HealthSettings.from(props), A, () -> new WorkerStatus(State.RUNNING, "running"), cluster,
                u -> SelfHealing.Outcome.RESTARTED, probe, metrics, () -> now,
                Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
    }

    private void after(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }

    private void postgres(String name, String prefix) {
        cluster.connector(name, "RUNNING", A).task(name, 0, "RUNNING", A);
        cluster.configs.put(name, Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", prefix, "database.password", "secret"));
    }

    private void streaming(String prefix, boolean connected) {
        debezium.put(new TaskRef(prefix, 0), new Observation(connected, connected ? "streaming, connected" : "Connected=false"));
    }

    private int gauge(String connector, int task) {
        return metrics.connection(connector, task).getConnected();
    }

    @Test
    void aRunningTaskWithoutItsDatabaseBecomesDisconnectedAfterTheBoundAndRecovers() {
        HealthMonitor m = monitor(Map.of());
        postgres("orders", "dbserver1");
        streaming("dbserver1", true);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(gauge("orders", 0)).isEqualTo(1);
        assertThat(metrics.getDisconnectedTasks()).isZero();

        debezium.clear(); // Debezium retries a lost database: its MBeans are gone, Connect still says RUNNING
        after(54);
        m.check();
        assertThat(m.readiness().ok()).as("59 s without a connection is within the 60 s bound").isTrue();
        assertThat(gauge("orders", 0)).isEqualTo(1);
        assertThat(metrics.connection("orders", 0).getNotConnectedSeconds()).isEqualTo(54);

        after(6);
        m.check();
        HealthMonitor.Verdict v = m.readiness();
        assertThat(v.ok()).isFalse();
        assertThat(v.body().get("reason").toString()).contains("task orders-0 DISCONNECTED (not connected to its database for 60 s: "
                + "no Debezium metrics for server=dbserver1)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> unhealthy = (List<Map<String, Object>>) v.body().get("unhealthy");
        assertThat(unhealthy).singleElement().satisfies(u -> {
            assertThat(u).containsEntry("connector", "orders").containsEntry("task", 0).containsEntry("state", "DISCONNECTED")
                    .containsEntry("worker", A);
            assertThat(u.get("detail").toString()).startsWith("not connected to its database for 60 s");
        });
        assertThat(gauge("orders", 0)).isZero();
        assertThat(metrics.connection("orders", 0).getNotConnectedSeconds()).isEqualTo(60);
        assertThat(metrics.getDisconnectedTasks()).isEqualTo(1);
        assertThat(metrics.getUnhealthyTasks()).isEqualTo(1);
        assertThat(metrics.getReady()).isZero();
        assertThat(v.body().toString()).doesNotContain("secret");

        streaming("dbserver1", true);
        after(5);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(gauge("orders", 0)).isEqualTo(1);
        assertThat(metrics.connection("orders", 0).getNotConnectedSeconds()).isZero();
        assertThat(metrics.getDisconnectedTasks()).isZero();
    }

    @Test
    void aSnapshotCountsAsConnectedAndConnectedFalseDoesNot() {
        HealthMonitor m = monitor(Map.of(HealthSettings.DISCONNECTED_AFTER, "10000"));
        postgres("orders", "dbserver1");
        debezium.put(new TaskRef("dbserver1", 0), new Observation(true, "snapshot running"));
        m.check();
        after(30);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(gauge("orders", 0)).isEqualTo(1);
        streaming("dbserver1", false);
        after(9);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        after(1);
        m.check();
        assertThat(m.readiness().ok()).isFalse();
        assertThat(m.readiness().body().get("reason").toString()).contains("for 10 s: Connected=false");
    }

    @Test
    void theStartUpGraceCountsFromTheFirstCheckThatSawTheTask() {
        HealthMonitor m = monitor(Map.of());
        m.check();
        after(600);
        postgres("orders", "dbserver1"); // created ten minutes after the worker started; never connects
        m.check();
        after(59);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(gauge("orders", 0)).isEqualTo(1);
        after(1);
        m.check();
        assertThat(m.readiness().ok()).isFalse();
        assertThat(gauge("orders", 0)).isZero();
    }

    /** The sequence: FAILED after the outage, restarted at once, then RUNNING while Debezium retries. */
    @Test
    void aRestartDoesNotStartTheClockAgainAndAFailedTaskStaysFailedWhileItsGaugeReadsZero() {
        HealthMonitor m = monitor(Map.of());
        postgres("orders", "dbserver1");
        streaming("dbserver1", true);
        m.check();
        debezium.clear();
        after(15);
        cluster.task("orders", 0, "FAILED", A);
        m.check();
        assertThat(m.readiness().body().get("reason").toString()).contains("task orders-0 FAILED").doesNotContain("orders-0 DISCONNECTED");
        after(5);
        cluster.task("orders", 0, "RUNNING", A);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        after(40);
        m.check();
        assertThat(m.readiness().ok()).as("60 s since it was last connected, though RUNNING again for 40 s").isFalse();
        assertThat(m.readiness().body().get("reason").toString()).contains("DISCONNECTED (not connected to its database for 60 s");

        cluster.task("orders", 0, "FAILED", A);
        after(5);
        m.check();
        assertThat(m.readiness().body().get("reason").toString()).contains("task orders-0 FAILED").doesNotContain("orders-0 DISCONNECTED");
        assertThat(gauge("orders", 0)).as("a FAILED task is not connected either").isZero();
    }

    @Test
    void onlyDebeziumSourceTasksThisWorkerOwnsAreJudgedAndGoneTasksLoseTheirGauge() {
        HealthMonitor m = monitor(Map.of());
        postgres("orders", "dbserver1");
        cluster.connector("files", "RUNNING", A).task("files", 0, "RUNNING", A);
        cluster.configs.put("files", Map.of("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "topic.prefix", "x"));
        cluster.connector("jdbc-sink", "RUNNING", A).task("jdbc-sink", 0, "RUNNING", A);
        cluster.sinks.add("jdbc-sink");
        cluster.configs.put("jdbc-sink", Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector", "topic.prefix", "y"));
        cluster.connector("elsewhere", "RUNNING", B).task("elsewhere", 0, "RUNNING", B);
        cluster.configs.put("elsewhere", Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "dbserver2"));
        m.check();
        after(120);
        m.check();
        assertThat(m.readiness().body().get("reason").toString()).contains("task orders-0 DISCONNECTED")
                .doesNotContain("files").doesNotContain("sink").doesNotContain("elsewhere");
        assertThat(metrics.connection("orders", 0)).isNotNull();
        assertThat(metrics.connection("files", 0)).as("not Debezium").isNull();
        assertThat(metrics.connection("jdbc-sink", 0)).as("a sink").isNull();
        assertThat(metrics.connection("elsewhere", 0)).as("another worker's").isNull();

        cluster.connector("orders", "PAUSED", A);
        after(5);
        m.check();
        assertThat(metrics.connection("orders", 0)).as("a paused connector is not counted").isNull();
        assertThat(metrics.getDisconnectedTasks()).isZero();
        assertThat(m.readiness().ok()).isTrue();
    }

    @Test
    void leavingDisconnectedOutOfTheStatesOrIgnoringTheConnectorKeepsReadinessButNotTheGauge() {
        HealthMonitor m = monitor(Map.of(HealthSettings.STATES, "FAILED", HealthSettings.IGNORE, "ignored-.*"));
        postgres("orders", "dbserver1");
        m.check();
        after(60);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(gauge("orders", 0)).isZero();

        HealthMonitor ignoring = monitor(Map.of(HealthSettings.IGNORE, "orders"));
        ignoring.check();
        after(60);
        ignoring.check();
        assertThat(ignoring.readiness().ok()).isTrue();
        assertThat(ignoring.readiness().body().get("reason").toString()).contains("ignored: task orders-0");
    }

    @Test
    void configsAreReadOnceThenAtMostEverySixtySecondsWhileATaskIsNotConnected() {
        HealthMonitor m = monitor(Map.of());
        postgres("orders", "dbserver1");
        streaming("dbserver1", true);
        for (int i = 0; i < 20; i++) {
            m.check();
            after(5);
        }
        assertThat(cluster.configReads).as("100 s connected: read once").isEqualTo(1);
        // the topic prefix changed: Debezium's MBeans carry the new one
        cluster.configs.put("orders", Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "renamed"));
        debezium.clear();
        streaming("renamed", true);
        m.check(); // not connected under the old prefix
        assertThat(cluster.configReads).isEqualTo(1);
        after(5);
        m.check();
        assertThat(cluster.configReads).isEqualTo(2);
        assertThat(metrics.connection("orders", 0).getNotConnectedSeconds()).as("connected under its new prefix").isZero();
        assertThat(probes).isEqualTo(22);

        debezium.clear(); // not connected from now on: read again every 60 s, not every check
        for (int i = 0; i < 24; i++) {
            after(5);
            m.check();
        }
        assertThat(cluster.configReads).isEqualTo(4);
    }

    @Test
    void theTopicPrefixIsDebeziumsOnly() {
        assertThat(DatabaseConnections.topicPrefix(Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "topic.prefix", " shop "))).isEqualTo("shop");
        assertThat(DatabaseConnections.topicPrefix(Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector")))
                .isNull();
        assertThat(DatabaseConnections.topicPrefix(Map.of("connector.class", "com.example.Source", "topic.prefix", "x")))
                .isNull();
        assertThat(DatabaseConnections.topicPrefix(Map.of("connector.class", "MySql", "topic.prefix", "shop")))
                .as("Connect's alias").isEqualTo("shop");
        assertThat(DatabaseConnections.topicPrefix(Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "topic.prefix", "${ssm:/tenants/acme/prefix}"))).as("MBeans carry the resolved value: not judged").isNull();
    }

    @Test
    void aSnapshotOnlyConnectorIsConnectedOnceItsSnapshotIsDoneAndOthersAreNot() {
        HealthMonitor m = monitor(Map.of());
        cluster.connector("once", "RUNNING", A).task("once", 0, "RUNNING", A);
        cluster.configs.put("once", Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "once", "snapshot.mode", "initial_only"));
        postgres("orders", "orders");
        debezium.put(new TaskRef("once", 0), new Observation(false, "Connected=false", true));
        debezium.put(new TaskRef("orders", 0), new Observation(false, "Connected=false", true));
        m.check();
        after(65);
        m.check();
        assertThat(gauge("once", 0)).isEqualTo(1);
        assertThat(gauge("orders", 0)).as("a snapshot done and no streaming is the stall this check is for").isZero();
    }
}
