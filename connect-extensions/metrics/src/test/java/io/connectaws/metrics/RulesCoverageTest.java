package io.connectaws.metrics;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularType;

import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.utils.Sanitizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.prometheus.jmx.RuleTracer;
import io.prometheus.jmx.RuleTracer.Read;
import io.prometheus.jmx.RuleTracer.Trace;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The shipped rules ({@code config/metrics/metrics-rules.yml}) against the MBeans a worker really has: every Connect
 * metric Kafka 4.3.1 defines, the worker's coordinator and the tasks' clients, Debezium's streaming and snapshot
 * MBeans (Postgres, MariaDB, SQL Server shapes), the health extension's, the declarations' and the replication slots'. Each numeric attribute must become a
 * sample unless it is excluded below with a reason, and every sample must follow the naming, unit, type and label
 * conventions the CloudWatch exporter relies on (see the file's header).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesCoverageTest {

    static final Path RULES = Path.of(System.getProperty("user.dir")).resolve("../../config/metrics/metrics-rules.yml").normalize();

    /** Connect metrics (group/name) the rules leave out on purpose. */
    static final Map<String, String> CONNECT_EXCLUDED = Map.ofEntries(
            entry("connector-metrics/connector-type", "string metadata (source or sink)"),
            entry("connector-metrics/connector-class", "string metadata"),
            entry("connector-metrics/connector-version", "string metadata"),
            entry("connector-task-metrics/connector-type", "string metadata"),
            entry("connector-task-metrics/connector-class", "string metadata"),
            entry("connector-task-metrics/connector-version", "string metadata"),
            entry("connector-task-metrics/task-class", "string metadata"),
            entry("connector-task-metrics/task-version", "string metadata"),
            entry("connector-task-metrics/key-converter-class", "string metadata"),
            entry("connector-task-metrics/key-converter-version", "string metadata"),
            entry("connector-task-metrics/value-converter-class", "string metadata"),
            entry("connector-task-metrics/value-converter-version", "string metadata"),
            entry("connector-task-metrics/header-converter-class", "string metadata"),
            entry("connector-task-metrics/header-converter-version", "string metadata"),
            entry("connector-transform-metrics/transform-class", "string metadata"),
            entry("connector-transform-metrics/transform-version", "string metadata"),
            entry("connector-predicate-metrics/predicate-class", "string metadata"),
            entry("connector-predicate-metrics/predicate-version", "string metadata"),
            entry("connect-worker-rebalance-metrics/connect-protocol", "string metadata (eager, compatible, sessioned)"),
            entry("connect-worker-rebalance-metrics/leader-name", "string metadata (the leader's URL)"),
            entry("sink-task-metrics/sink-record-lag-max", "a template only: no sensor records it in 4.3.1 (WorkerSinkTask);"
                    + " the task consumer's records-lag-max is exported instead"));

    /** Numeric Debezium attributes (context/attribute) the rules leave out on purpose. */
    static final Map<String, String> DEBEZIUM_EXCLUDED = Map.of(
            "snapshot/QueueTotalCapacity", "the task's one ChangeEventQueue, exported from context=streaming",
            "snapshot/QueueRemainingCapacity", "the task's one ChangeEventQueue, exported from context=streaming",
            "snapshot/MaxQueueSizeInBytes", "the task's one ChangeEventQueue, exported from context=streaming",
            "snapshot/CurrentQueueSizeInBytes", "the task's one ChangeEventQueue, exported from context=streaming");

    /** The coordinator and task-client attributes the rules export (the rest of those MBeans is left out). */
    static final List<String> COORDINATOR = List.of("assigned-connectors", "assigned-tasks", "rebalance-total",
            "failed-rebalance-total", "last-heartbeat-seconds-ago");
    static final List<String> PRODUCER = List.of("record-send-total", "record-error-total", "record-retry-total",
            "request-latency-avg", "request-latency-max");
    static final List<String> CONSUMER = List.of("records-lag-max", "records-consumed-total");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private String rules;
    private ConnectMBeans connect;
    private DebeziumMBeans debezium;
    private HealthMBeans health;
    private DeclarationsMBeans declarations;
    private AutoCloseable slots;
    private MetricsExporter exporter;
    private Trace trace;
    private Set<ObjectName> before;

    @BeforeAll
    void registerAndScrape() throws Exception {
        before = ours();
        rules = Files.readString(RULES);
        connect = new ConnectMBeans();
        debezium = new DebeziumMBeans();
        health = new HealthMBeans();
        declarations = new DeclarationsMBeans();
        slots = SlotLagRulesTest.registerSlots();
        exporter = new MetricsExporter(new JmxSampler(MetricsRules.parse(RULES, rules)), new CloudWatchShaper("c", x -> null),
                (data, time) -> { }, java.time.Duration.ofHours(1), java.time.Clock.systemUTC());
        exporter.start();
        trace = RuleTracer.trace(rules);
    }

    @AfterAll
    void unregister() throws Exception {
        try (AutoCloseable c = connect; AutoCloseable d = debezium; AutoCloseable h = health;
             AutoCloseable dl = declarations; AutoCloseable sl = slots; AutoCloseable e = exporter) {
            // closed in reverse order
        }
        assertThat(ours()).as("MBeans left registered").isEqualTo(before);
    }

    private Set<ObjectName> ours() throws Exception {
        Set<ObjectName> names = new HashSet<>();
        for (String pattern : List.of("kafka.connect:*", "kafka.producer:*", "kafka.consumer:*", "debezium.*:*", "io.connectaws:*")) {
            names.addAll(server.queryNames(new ObjectName(pattern), null));
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Coverage

    @Test
    void everyConnectMetricIsExportedUnlessExcludedWithAReason() {
        assertExported(trace, connectExpectations(), "Connect metrics");

        Set<String> templates = connect.instances.stream().map(RulesCoverageTest::key).collect(Collectors.toSet());
        assertThat(templates).as("every exclusion names a Connect 4.3.1 metric").containsAll(CONNECT_EXCLUDED.keySet());
        for (ConnectMBeans.Instance i : connect.instances) {
            if (!CONNECT_EXCLUDED.containsKey(key(i))) continue;
            assertThat(samplesOf(trace, i.mbean(), i.attribute())).as("excluded but exported: " + key(i)).isEmpty();
        }
    }

    @Test
    void connectorAndTaskStatusBecomeOneStateGaugePerUnit() {
        MetricSnapshots s = trace.snapshots();
        assertThat(points(s, "kafka_connect_connector_state")).containsOnly(
                entry(labels("connector", "inventory-source", "state", "running"), 1.0),
                entry(labels("connector", "orders:sink", "state", "failed"), 1.0));
        assertThat(points(s, "kafka_connect_task_state")).containsOnly(
                entry(labels("connector", "inventory-source", "state", "running", "task", "0"), 1.0),
                entry(labels("connector", "orders:sink", "state", "paused", "task", "3"), 1.0));
        assertThat(type(s, "kafka_connect_task_state")).isEqualTo(GaugeSnapshot.class);
    }

    @Test
    void perConnectorWorkerMetricsCarryTheConnector() {
        for (String state : List.of("total", "running", "paused", "failed", "unassigned", "destroyed", "restarting")) {
            String name = "kafka_connect_worker_connector_" + state + "_task_count";
            assertThat(points(trace.snapshots(), name)).as(name).containsOnly(
                    entry(labels("connector", "inventory-source"), 2.0), entry(labels("connector", "orders:sink"), 2.0));
        }
        assertThat(points(trace.snapshots(), "kafka_connect_worker_connector_count")).containsOnly(entry(Map.of(), 4.0));
        assertThat(type(trace.snapshots(), "kafka_connect_worker_rebalance_completed_rebalances")).isEqualTo(CounterSnapshot.class);
        assertThat(points(trace.snapshots(), "kafka_connect_worker_task_startup_success_percent")).containsOnly(entry(Map.of(), 75.0));
    }

    @Test
    void coordinatorAndTaskClientMetricsAreExportedPerConnectorAndTask() throws Exception {
        List<Expect> expected = new ArrayList<>();
        ObjectName coordinator = new ObjectName("kafka.connect:type=connect-coordinator-metrics,client-id=" + ConnectMBeans.WORKER_CLIENT_ID);
        COORDINATOR.forEach(a -> expected.add(new Expect(coordinator, a)));
        for (String connector : List.of(ConnectMBeans.SOURCE, ConnectMBeans.SINK)) {
            String suffix = connector + "-" + ConnectMBeans.TASK.get(connector);
            ObjectName producer = new ObjectName("kafka.producer:type=producer-metrics,client-id="
                    + Sanitizer.jmxSanitize("connector-producer-" + suffix));
            ObjectName consumer = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id="
                    + Sanitizer.jmxSanitize("connector-consumer-" + suffix));
            PRODUCER.forEach(a -> expected.add(new Expect(producer, a)));
            CONSUMER.forEach(a -> expected.add(new Expect(consumer, a)));
        }
        assertExported(trace, expected, "coordinator and task clients");

        assertThat(points(trace.snapshots(), "kafka_connect_consumer_records_lag_max").keySet()).containsOnly(
                labels("connector", "inventory-source", "task", "0"), labels("connector", "orders:sink", "task", "3"));
        assertThat(type(trace.snapshots(), "kafka_connect_producer_record_error")).isEqualTo(CounterSnapshot.class);
        // the rest of those MBeans and the worker's other client MBeans are read but dropped, or not read at all
        assertThat(trace.reads()).noneMatch(r -> r.mbean().getKeyProperty("type").matches("connect-metrics|connect-node-metrics|app-info"));
        assertThat(server.queryNames(new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,*"), null))
                .as("topic and partition level fetch MBeans are outside includeObjectNames")
                .allSatisfy(n -> assertThat(n.getKeyPropertyList()).containsOnlyKeys("type", "client-id"));
    }

    @Test
    void everyNumericDebeziumAttributeIsExportedUnlessExcludedWithAReason() throws Exception {
        List<Expect> expected = new ArrayList<>();
        Set<String> notNumeric = new TreeSet<>();
        Set<String> excludedSeen = new HashSet<>();
        for (DebeziumMBeans.Bean bean : DebeziumMBeans.BEANS) {
            boolean included = trace.includeObjectNames().stream().anyMatch(p -> p.apply(bean.name()));
            if (!included) {
                assertThat(trace.reads()).as("not read: " + bean.name()).noneMatch(r -> r.mbean().equals(bean.name()));
                continue;
            }
            String context = bean.name().getKeyProperty("context");
            for (MBeanAttributeInfo a : server.getMBeanInfo(bean.name()).getAttributes()) {
                if (!numeric((OpenType<?>) a.getDescriptor().getFieldValue("openType"))) {
                    notNumeric.add(a.getName());
                } else if (DEBEZIUM_EXCLUDED.containsKey(context + "/" + a.getName())) {
                    excludedSeen.add(context + "/" + a.getName());
                    assertThat(samplesOf(trace, bean.name(), a.getName())).as("excluded but exported").isEmpty();
                } else if (a.getName().equals("NumberOfUnchangedEventsSkipped")
                        && bean.name().getKeyProperty("server").equals(DebeziumMBeans.POSTGRES_UNCHANGED_DISABLED)) {
                    // -1 (metric off): a counter cannot be negative, the rule takes only 0 and up
                    assertThat(samplesOf(trace, bean.name(), a.getName())).isEmpty();
                } else {
                    expected.add(new Expect(bean.name(), a.getName()));
                }
            }
        }
        assertExported(trace, expected, "Debezium attributes");
        assertThat(excludedSeen).as("every exclusion is a real attribute").containsExactlyInAnyOrderElementsOf(DEBEZIUM_EXCLUDED.keySet());
        assertThat(notNumeric).as("what JMX shows that cannot be a number").containsExactlyInAnyOrder(
                "LastEvent", "CapturedTables", "SourceEventPosition", "LastTransactionId", "ChunkId", "ChunkFrom", "ChunkTo",
                "TableFrom", "TableTo", "BinlogFilename", "GtidSet");
    }

    @Test
    void debeziumRowsScannedIsACounterPerTableWithServerAndPlugin() {
        Map<Map<String, String>, Double> rows = points(trace.snapshots(), "debezium_snapshot_rows_scanned");
        assertThat(type(trace.snapshots(), "debezium_snapshot_rows_scanned")).isEqualTo(CounterSnapshot.class);
        assertThat(rows).containsOnly(
                entry(labels("plugin", "postgres", "server", "dbserver1", "table", "inventory.customers"), 1200.0),
                entry(labels("plugin", "postgres", "server", "dbserver1", "table", "inventory.orders"), 34.0),
                entry(labels("plugin", "mariadb", "server", "mariadb1", "table", "inventory.customers"), 1200.0),
                entry(labels("plugin", "mariadb", "server", "mariadb1", "table", "inventory.orders"), 34.0),
                entry(labels("database", "testDB", "plugin", "sql_server", "server", "sqlserver1", "table", "inventory.customers",
                        "task", "0"), 1200.0),
                entry(labels("database", "testDB", "plugin", "sql_server", "server", "sqlserver1", "table", "inventory.orders",
                        "task", "0"), 34.0));
        assertThat(points(trace.snapshots(), "debezium_streaming_connected").keySet()).containsOnly(
                labels("plugin", "postgres", "server", "dbserver1"), labels("plugin", "postgres", "server", "dbserver2"),
                labels("plugin", "mariadb", "server", "mariadb1"), labels("plugin", "sql_server", "server", "sqlserver1", "task", "0"));
        assertThat(points(trace.snapshots(), "debezium_streaming_milliseconds_behind_source")).hasSize(4);
        assertThat(points(trace.snapshots(), "debezium_snapshot_running")).containsValues(1.0);
        assertThat(points(trace.snapshots(), "debezium_snapshot_aborted")).containsValues(0.0);
        assertThat(points(trace.snapshots(), "debezium_streaming_unchanged_events_skipped").keySet())
                .noneMatch(l -> DebeziumMBeans.POSTGRES_UNCHANGED_DISABLED.equals(l.get("server")));
    }

    @Test
    void healthMBeansAreExported() throws Exception {
        List<Expect> expected = new ArrayList<>();
        ObjectName healthName = new ObjectName("io.connectaws:type=health");
        for (MBeanAttributeInfo a : server.getMBeanInfo(healthName).getAttributes()) expected.add(new Expect(healthName, a.getName()));
        for (String c : List.of(HealthMBeans.RESTARTED, HealthMBeans.RESTARTED_PLAIN)) {
            expected.add(new Expect(new ObjectName("io.connectaws:type=self-healing,connector=" + ObjectName.quote(c)), "Restarts"));
        }
        expected.add(new Expect(new ObjectName("io.connectaws:type=database-connection,connector="
                + ObjectName.quote(HealthMBeans.RESTARTED_PLAIN) + ",task=0"), "Connected"));
        expected.add(new Expect(new ObjectName("io.connectaws:type=database-connection,connector="
                + ObjectName.quote(HealthMBeans.RESTARTED_PLAIN) + ",task=0"), "NotConnectedSeconds"));
        expected.add(new Expect(new ObjectName("io.connectaws:type=database-connection,connector="
                + ObjectName.quote(HealthMBeans.RESTARTED) + ",task=" + HealthMBeans.DISCONNECTED_TASK), "Connected"));
        expected.add(new Expect(new ObjectName("io.connectaws:type=database-connection,connector="
                + ObjectName.quote(HealthMBeans.RESTARTED) + ",task=" + HealthMBeans.DISCONNECTED_TASK), "NotConnectedSeconds"));
        assertThat(expected).hasSize(17);
        assertExported(trace, expected, "health MBeans");

        // a disconnected task reads 0, not absent; the worker counts it
        assertThat(points(trace.snapshots(), "connect_aws_health_database_connected")).containsOnly(
                entry(labels("connector", "inventory-source", "task", "0"), 1.0),
                entry(labels("connector", "orders:sink", "task", "1"), 0.0));
        assertThat(points(trace.snapshots(), "connect_aws_health_database_not_connected_seconds")).containsOnly(
                entry(labels("connector", "inventory-source", "task", "0"), 0.0),
                entry(labels("connector", "orders:sink", "task", "1"), 75.0));
        assertThat(points(trace.snapshots(), "connect_aws_health_disconnected_tasks")).containsOnly(entry(Map.of(), 1.0));
        assertThat(type(trace.snapshots(), "connect_aws_health_database_connected")).isEqualTo(GaugeSnapshot.class);
        assertThat(CloudWatchShaper.unit("connect_aws_health_database_connected", Sample.Type.GAUGE)).isEqualTo("None");
        assertThat(CloudWatchShaper.unit("connect_aws_health_database_not_connected_seconds", Sample.Type.GAUGE)).isEqualTo("Seconds");

        assertThat(points(trace.snapshots(), "connect_aws_self_healing_restarts")).containsOnly(
                entry(labels("connector", "orders:sink"), 2.0), entry(labels("connector", "inventory-source"), 1.0));
        assertThat(type(trace.snapshots(), "connect_aws_self_healing_restarts")).isEqualTo(CounterSnapshot.class);
        assertThat(points(trace.snapshots(), "connect_aws_health_self_healing_restarts")).containsOnly(entry(Map.of(), 3.0));
        assertThat(points(trace.snapshots(), "connect_aws_health_live")).containsOnly(entry(Map.of(), 1.0));
        assertThat(points(trace.snapshots(), "connect_aws_health_since_last_check_seconds")).containsOnly(entry(Map.of(), -1.0));
    }

    @Test
    void theExportersOwnFiguresAreExported() throws Exception {
        ObjectName name = new ObjectName(MetricsExporter.MBEAN);
        List<Expect> expected = new ArrayList<>();
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) expected.add(new Expect(name, a.getName()));
        assertThat(expected).hasSize(5);
        assertExported(trace, expected, "the exporter's MBean");
        assertThat(type(trace.snapshots(), "connect_aws_metrics_exporter_failed_cycles")).isEqualTo(CounterSnapshot.class);
        assertThat(points(trace.snapshots(), "connect_aws_metrics_exporter_pending_data_points_count")).containsOnly(entry(Map.of(), 0.0));
    }

    @Test
    void theDeclarationsFiguresAreExported() throws Exception {
        ObjectName name = DeclarationsMBeans.NAME;
        assertThat(server.getObjectInstance(name).getClassName()).as("registered by the extension's own class")
                .isEqualTo(DeclarationsMBeans.CLASS);
        List<Expect> expected = new ArrayList<>();
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) expected.add(new Expect(name, a.getName()));
        assertThat(expected).extracting(Expect::attribute).containsExactlyInAnyOrder("Declared", "Failed", "Orphaned",
                "Leader", "AppliedTotal", "DeletedTotal", "SecondsSinceLastRound");
        assertExported(trace, expected, "the declarations' MBean");

        MetricSnapshots s = trace.snapshots();
        assertThat(points(s, "connect_aws_declarations_declared_count")).containsOnly(entry(Map.of(), 5.0));
        assertThat(points(s, "connect_aws_declarations_failed_count")).containsOnly(entry(Map.of(), 1.0));
        assertThat(points(s, "connect_aws_declarations_orphaned_count")).containsOnly(entry(Map.of(), 2.0));
        assertThat(points(s, "connect_aws_declarations_leader")).containsOnly(entry(Map.of(), 1.0));
        assertThat(points(s, "connect_aws_declarations_applied")).containsOnly(entry(Map.of(), 4.0));
        assertThat(points(s, "connect_aws_declarations_deleted")).containsOnly(entry(Map.of(), 1.0));
        assertThat(type(s, "connect_aws_declarations_applied")).isEqualTo(CounterSnapshot.class);
        assertThat(type(s, "connect_aws_declarations_failed_count")).isEqualTo(GaugeSnapshot.class);
        assertThat(points(s, "connect_aws_declarations_since_last_round_seconds").values()).singleElement()
                .satisfies(v -> assertThat(v).isBetween(0.0, 60.0));
        // the names the alarm template watches, with the units the exporter gives them
        assertThat(CloudWatchShaper.unit("connect_aws_declarations_failed_count", Sample.Type.GAUGE)).isEqualTo("Count");
        assertThat(CloudWatchShaper.unit("connect_aws_declarations_leader", Sample.Type.GAUGE)).isEqualTo("None");
        assertThat(CloudWatchShaper.unit("connect_aws_declarations_since_last_round_seconds", Sample.Type.GAUGE))
                .isEqualTo("Seconds");
    }

    @Test
    void selfHealingMBeansAreRegisteredByTheExtensionItself() {
        assertThat(health.selfHealingRegisteredByExtension).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The contract, over everything the rules exported

    @Test
    void everySampleFollowsTheNamingUnitTypeAndLabelConventions() {
        List<Read> exported = trace.reads().stream().filter(r -> r.sample() != null).toList();
        assertThat(exported).hasSizeGreaterThan(300);
        for (Read r : exported) {
            RuleTracer.Sample s = r.sample();
            String where = r.matchName() + " -> " + r.ruleName() + s.labels();
            String name = s.name();
            String exposed = s.type().equals("COUNTER") ? name + "_total" : name;

            assertThat(name).as(where).matches("^[a-z][a-z0-9_]*$");
            assertThat(exposed.length()).as(where).isLessThanOrEqualTo(200);
            assertThat(s.type()).as(where).isIn("COUNTER", "GAUGE");
            assertThat(r.ruleName().endsWith("_total")).as("_total exactly on counters: " + where).isEqualTo(s.type().equals("COUNTER"));
            assertThat(cumulative(r)).as("counter exactly where the source counts since start: " + where)
                    .isEqualTo(s.type().equals("COUNTER"));

            String domain = r.mbean().getDomain();
            if (domain.startsWith("kafka.")) assertThat(name).as(where).startsWith("kafka_connect_");
            if (domain.startsWith("debezium.")) assertThat(name).as(where).startsWith("debezium_" + r.mbean().getKeyProperty("context") + "_");
            if (domain.equals("io.connectaws")) assertThat(name).as(where).matches("connect_aws_(health|self_healing|metrics_exporter|declarations|replication_slot)_.*");
            if (domain.equals("java.lang")) assertThat(name).as(where).matches("jvm_memory_heap_(used|committed|max)_bytes");

            boolean percentage = r.attribute().endsWith("-percentage");
            assertThat(name.endsWith("_percent")).as(where).isEqualTo(percentage);
            if (percentage) {
                assertThat(s.value()).as(where).isBetween(0.0, 100.0).isCloseTo(((Number) r.value()).doubleValue() * 100, within(1e-9));
            }
            if (name.endsWith("_ratio")) assertThat(s.value()).as(where).isBetween(0.0, 1.0);
            if (name.endsWith("_bytes")) assertThat(domain.equals("java.lang") ? r.matchName() : r.attribute()).as(where)
                    .matches(domain.equals("java.lang") ? ".*<HeapMemoryUsage>.*" : ".*Bytes");
            if (name.endsWith("_seconds")) assertThat(r.attribute()).as(where).containsIgnoringCase("seconds");
            if (name.endsWith("_ms")) assertThat(r.attribute()).as(where).matches(".*-ms|request-latency-.*|.*Millis");

            assertThat(s.labels().containsKey("state")).as("state only on *_state: " + where).isEqualTo(name.endsWith("_state"));
            if (name.endsWith("_state")) {
                assertThat(s.labels().get("state")).as(where).matches("[a-z]+");
                assertThat(s.value()).as(where).isEqualTo(1.0);
            }
            assertThat(s.labels()).as(where).allSatisfy((k, v) -> {
                assertThat(k).matches("^[a-z][a-z0-9_]*$");
                assertThat(v).isNotEmpty().doesNotStartWith("\"");
            });
            assertLabelsFollowTheSource(r, where);
            assertThat(trace.includeObjectNames()).as(where).anyMatch(p -> p.apply(r.mbean()));
        }
        assertThat(trace.reads()).as("nothing read outside includeObjectNames")
                .allSatisfy(r -> assertThat(trace.includeObjectNames()).anyMatch(p -> p.apply(r.mbean())));
        for (MetricSnapshot m : trace.snapshots()) {
            assertThat(m).as(m.getMetadata().getName()).isInstanceOfAny(CounterSnapshot.class, GaugeSnapshot.class);
            assertThat(m.getDataPoints()).as("two samples with the same labels: " + m.getMetadata().getName())
                    .allSatisfy(p -> assertThat(p.getLabels().contains("_objectname")).isFalse());
        }
    }

    private void assertLabelsFollowTheSource(Read r, String where) {
        Map<String, String> keys = r.keys();
        Map<String, String> labels = r.sample().labels();
        String domain = r.mbean().getDomain();
        if (domain.equals("kafka.producer") || domain.equals("kafka.consumer")) {
            String clientId = unquote(keys.get("client-id"));
            assertThat(clientId).as(where).isEqualTo("connector-" + domain.substring(6) + "-" + labels.get("connector") + "-" + labels.get("task"));
            assertThat(labels.get("connector")).as(where).isIn(ConnectMBeans.SOURCE, ConnectMBeans.SINK);
            return;
        }
        if (domain.startsWith("debezium.")) {
            assertThat(labels.get("plugin")).as(where).isEqualTo(domain.substring("debezium.".length()));
            assertThat(labels.get("server")).as(where).isEqualTo(keys.get("server"));
            assertThat(labels.get("task")).as(where).isEqualTo(keys.get("task"));
            assertThat(labels.get("database")).as(where).isEqualTo(keys.get("database"));
            assertThat(labels.get("table")).as(where).isEqualTo(keys.get("key"));
            return;
        }
        // Connect and health: connector and task exactly when the MBean has them, without JMX quoting
        assertThat(labels.get("connector")).as(where).isEqualTo(keys.containsKey("connector") ? unquote(keys.get("connector")) : null);
        assertThat(labels.get("task")).as(where).isEqualTo(keys.get("task"));
    }

    /** Whether the value the sample came from counts since start (a Kafka CumulativeSum/Count, a Debezium or health counter). */
    private boolean cumulative(Read r) {
        String domain = r.mbean().getDomain();
        if (domain.startsWith("kafka.")) {
            KafkaMetric m = connect.metric(r.mbean(), r.attribute()).orElseThrow(() -> new AssertionError("unknown Kafka metric " + r.matchName()));
            return ConnectMBeans.cumulative(m);
        }
        if (domain.startsWith("debezium.")) return DebeziumMBeans.CUMULATIVE.contains(r.attribute());
        if (domain.equals("io.connectaws")) return r.mbean().equals(DeclarationsMBeans.NAME)
                ? DeclarationsMBeans.CUMULATIVE.contains(r.attribute())
                : HealthMBeans.CUMULATIVE.contains(r.attribute()) || Set.of("Cycles", "FailedCycles").contains(r.attribute());
        if (domain.equals("java.lang")) return false; // the heap: gauges of the JVM's own MemoryMXBean
        throw new AssertionError("sample from an unexpected MBean: " + r.matchName());
    }

    @Test
    void everyRuleExportsSomething() {
        Set<Integer> used = trace.reads().stream().filter(r -> r.sample() != null).map(Read::ruleIndex).collect(Collectors.toSet());
        // a rule with an empty name drops what it matches (it spares the other rules the attributes nobody exports)
        Set<Integer> dropping = trace.reads().stream().filter(r -> r.sample() == null && r.ruleIndex() >= 0)
                .map(Read::ruleIndex).collect(Collectors.toSet());
        List<String> unused = trace.rules().stream()
                .filter(rule -> "".equals(rule.name()) ? !dropping.contains(rule.index()) : !used.contains(rule.index()))
                .map(rule -> "#" + rule.index() + " " + rule.name() + " " + rule.pattern()).toList();
        assertThat(unused).as("rules that matched nothing (wrong key order? typo?)").isEmpty();
        assertThat(trace.rules()).filteredOn(rule -> !"".equals(rule.name()))
                .allSatisfy(rule -> assertThat(rule.type()).isIn("COUNTER", "GAUGE"));
    }

    @Test
    void oneCollectorPerIncludedMBeanTypeReadsExactlyWhatOneCollectorForAllReads() {
        MetricsRules parsed = MetricsRules.parse(RULES, rules);
        List<io.prometheus.jmx.JmxCollector> partitions = parsed.newPartitionedCollectors();
        assertThat(partitions).hasSizeGreaterThan(10);
        List<String> partitioned = new JmxSampler(partitions).sample().stream()
                .map(x -> x.name() + " " + x.type() + " " + new java.util.TreeMap<>(x.labels())).sorted().toList();
        List<String> whole = new JmxSampler(List.of(parsed.newCollector())).sample().stream()
                .map(x -> x.name() + " " + x.type() + " " + new java.util.TreeMap<>(x.labels())).sorted().toList();
        assertThat(partitioned).hasSizeGreaterThan(300).isEqualTo(whole);
    }

    @Test
    void theTracerSeesWhatTheCollectorReturns() throws Exception {
        assertThat(series(RuleTracer.collect(rules))).isEqualTo(series(trace.snapshots()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The checks can fail

    @Test
    void aRuleWithTheWrongKeyOrderFailsTheCoverageCheck() throws Exception {
        String good = "kafka\\.connect<type=connector-task-metrics, connector=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,>\"]*)), task=(\\d+)><>status: (\\w+)";
        String swapped = "kafka\\.connect<type=connector-task-metrics, task=(\\d+), connector=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,>\"]*))><>status: (\\w+)";
        assertThat(rules).contains(good);
        Trace broken = RuleTracer.trace(rules.replace(good, swapped));

        assertThatThrownBy(() -> assertExported(broken, connectExpectations(), "Connect metrics"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("type=connector-task-metrics,connector=inventory-source,task=0 status")
                .hasMessageContaining("type=connector-task-metrics,connector=\"orders:sink\",task=3 status")
                .hasMessageNotContaining("running-ratio");
    }

    @Test
    void theCheckerOnASmallInlineRuleFile() throws Exception {
        String header = "lowercaseOutputName: true\nincludeObjectNames: [\"kafka.connect:type=connector-task-metrics,*\"]\nrules:\n";
        String right = header + "  - pattern: 'kafka\\.connect<type=connector-task-metrics, connector=([^,>]+), task=(\\d+)><>status: (\\w+)'\n"
                + "    name: kafka_connect_task_state\n    type: GAUGE\n    value: 1\n    labels: {connector: \"$1\", task: \"$2\", state: \"$3\"}\n";
        String wrong = right.replace("connector=([^,>]+), task=(\\d+)", "task=(\\d+), connector=([^,>]+)");
        ObjectName task = new ObjectName("kafka.connect:type=connector-task-metrics,connector=inventory-source,task=0");
        List<Expect> status = List.of(new Expect(task, "status"));

        assertExported(RuleTracer.trace(right), status, "inline");
        assertThatThrownBy(() -> assertExported(RuleTracer.trace(wrong), status, "inline"))
                .isInstanceOf(AssertionError.class).hasMessageContaining(task + " status");
    }

    @Test
    void aCounterRuleThatTakesMinusOneWouldFailTheWholeScrape() throws Exception {
        String yaml = "includeObjectNames: [\"debezium.postgres:type=connector-metrics,context=streaming,*\"]\nrules:\n"
                + "  - pattern: 'debezium\\.postgres<type=connector-metrics, context=streaming, server=([^,>]+)(?:, [^>]*)?><>NumberOfUnchangedEventsSkipped: '\n"
                + "    name: debezium_streaming_unchanged_events_skipped_total\n    type: COUNTER\n";
        assertThatThrownBy(() -> RuleTracer.collect(yaml)).hasMessageContaining("counters cannot have a negative value");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** An MBean attribute that must become at least one sample. */
    record Expect(ObjectName mbean, String attribute) {
        @Override
        public String toString() {
            return mbean + " " + attribute;
        }
    }

    /** The coverage check: each expected attribute was read and a rule turned it into a sample. */
    static void assertExported(Trace trace, Collection<Expect> expected, String what) {
        List<String> missing = new ArrayList<>();
        for (Expect e : expected) {
            List<Read> reads = trace.reads().stream().filter(r -> r.mbean().equals(e.mbean()) && r.attribute().equals(e.attribute())).toList();
            if (reads.isEmpty()) {
                missing.add(e + " (not read: MBean absent or outside includeObjectNames)");
            } else if (reads.stream().allMatch(r -> r.sample() == null)) {
                missing.add(e + (reads.get(0).ruleIndex() < 0 ? " (no rule matches " + reads.get(0).matchName() + ")"
                        : " (rule #" + reads.get(0).ruleIndex() + " matched but made no sample)"));
            }
        }
        assertThat(missing).as(what + ": attributes the rules do not export").isEmpty();
    }

    private List<Expect> connectExpectations() {
        return connect.instances.stream().filter(i -> !CONNECT_EXCLUDED.containsKey(key(i)))
                .map(i -> new Expect(i.mbean(), i.attribute())).toList();
    }

    private static String key(ConnectMBeans.Instance i) {
        return i.template().group() + "/" + i.template().name();
    }

    /** A key property's value without JMX quoting (Kafka quotes values with special characters, HealthMetrics always). */
    private static String unquote(String value) {
        return value != null && value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private static boolean numeric(OpenType<?> t) {
        if (t instanceof TabularType tt) return numeric(tt.getRowType().getType("value"));
        return t == SimpleType.LONG || t == SimpleType.INTEGER || t == SimpleType.DOUBLE || t == SimpleType.FLOAT
                || t == SimpleType.SHORT || t == SimpleType.BYTE || t == SimpleType.BOOLEAN;
    }

    private static List<RuleTracer.Sample> samplesOf(Trace trace, ObjectName mbean, String attribute) {
        return trace.reads().stream().filter(r -> r.mbean().equals(mbean) && r.attribute().equals(attribute) && r.sample() != null)
                .map(Read::sample).toList();
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static MetricSnapshot snapshot(MetricSnapshots snapshots, String name) {
        return snapshots.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + snapshots.stream().map(m -> m.getMetadata().getName()).sorted().toList()));
    }

    private static Class<?> type(MetricSnapshots snapshots, String name) {
        return snapshot(snapshots, name).getClass();
    }

    /** The data points of one metric: labels (sorted) to value. */
    private static Map<Map<String, String>, Double> points(MetricSnapshots snapshots, String name) {
        Map<Map<String, String>, Double> points = new LinkedHashMap<>();
        for (DataPointSnapshot p : snapshot(snapshots, name).getDataPoints()) {
            Map<String, String> labels = new TreeMap<>();
            for (Label l : p.getLabels()) labels.put(l.getName(), l.getValue());
            double v = p instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
            points.put(labels, v);
        }
        return points;
    }

    /** Type, name and labels of every series (values move: rates, ratios, time since). */
    private static Set<String> series(MetricSnapshots snapshots) {
        Set<String> series = new TreeSet<>();
        for (MetricSnapshot m : snapshots) {
            if (m.getMetadata().getName().startsWith("jmx_")) continue;
            for (DataPointSnapshot p : m.getDataPoints()) series.add(m.getClass().getSimpleName() + " " + m.getMetadata().getName() + p.getLabels());
        }
        return series;
    }
}
