package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The custom metrics one worker's EMF output creates at each detail level, counted over every MBean type a worker
 * has (the fixtures of {@link RulesCoverageTest}: a source and a sink connector with every Connect group, their
 * clients, Debezium PostgreSQL, MariaDB and SQL Server MBeans, health, declarations, replication slots) and the
 * shipped rules: at most 15 per connector and 20 at cluster level by default, every series at full. The basic level's
 * reduced reading gives exactly the basic part of what the full reading gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricBudgetTest {
    static final int PER_CONNECTOR = 15;
    static final int CLUSTER = 20;

    private MetricsRules rules;
    private AutoCloseable[] fixtures;

    @BeforeAll
    void register() throws Exception {
        rules = MetricsRules.parse(RulesCoverageTest.RULES, Files.readString(RulesCoverageTest.RULES));
        fixtures = new AutoCloseable[] {new ConnectMBeans(), new DebeziumMBeans(), new HealthMBeans(),
                new DeclarationsMBeans(), SlotLagRulesTest.registerSlots()};
    }

    @AfterAll
    void unregister() throws Exception {
        for (AutoCloseable f : fixtures) {
            f.close();
        }
    }

    private static DimensionPlan plan(String detail) {
        return MetricsSettings.from(Map.of("cloudwatch.detail", detail), Map.of()).dimensionPlan();
    }

    /** Two cycles of the exporter at this level (counters give their deltas the second time), counted. */
    private EmfMetricCount count(DimensionPlan plan) {
        JmxSampler sampler = new JmxSampler(rules, plan);
        CloudWatchShaper shaper = new CloudWatchShaper("c",
                server -> server.equals("dbserver1") ? ConnectMBeans.SOURCE : null, plan::publishes);
        EmfFormatter formatter = new EmfFormatter("KafkaConnect", plan, Map.of("WorkerId", "w1"));
        EmfMetricCount count = new EmfMetricCount();
        for (int cycle = 0; cycle < 2; cycle++) {
            formatter.format(shaper.shape(sampler.sample()), 1_763_700_000_000L).forEach(count::add);
        }
        return count;
    }

    @Test
    void byDefaultAConnectorCostsAtMostFifteenCustomMetricsAndTheClusterAtMostTwenty() {
        EmfMetricCount basic = count(plan("basic"));
        EmfMetricCount full = count(plan("full"));
        System.out.printf("custom metrics: basic %d (per connector %s, cluster level %d); full %d (per connector %s, "
                        + "cluster level %d)%n", basic.total(), basic.perConnector(), basic.clusterLevel().size(),
                full.total(), full.perConnector(), full.clusterLevel().size());

        assertThat(basic.perConnector()).containsKeys(ConnectMBeans.SOURCE, ConnectMBeans.SINK)
                .allSatisfy((connector, n) -> assertThat(n).as("%s: %s", connector, basic.of(connector)).isLessThanOrEqualTo(PER_CONNECTOR));
        assertThat(basic.clusterLevel()).hasSizeLessThanOrEqualTo(CLUSTER);
        assertThat(basic.of(ConnectMBeans.SOURCE)).as("every dimension set of a connector's metric at connector level")
                .allMatch(m -> m.endsWith(" [Cluster, Connector]"))
                .contains("kafka_connect_task_state_failed [Cluster, Connector]",
                        "debezium_streaming_milliseconds_behind_source [Cluster, Connector]",
                        "connect_aws_replication_slot_retained_wal_bytes [Cluster, Connector]");
        assertThat(basic.clusterLevel()).contains("kafka_connect_task_state_failed [Cluster]",
                "connect_aws_health_disconnected_tasks [Cluster]");

        assertThat(full.of(ConnectMBeans.SOURCE)).as("full: every series, at task level with the rollups")
                .hasSizeGreaterThan(5 * PER_CONNECTOR).containsAll(basic.of(ConnectMBeans.SOURCE))
                .contains("kafka_connect_task_running_ratio [Cluster, Connector, Task]",
                        "kafka_connect_producer_record_send_total [Cluster, Connector]");
        assertThat(full.clusterLevel()).hasSizeGreaterThan(3 * CLUSTER).containsAll(basic.clusterLevel());
    }

    @Test
    void theBasicReadingGivesExactlyTheBasicPartOfTheFullReading() {
        DimensionPlan basic = plan("basic");
        List<Datum> reduced = new CloudWatchShaper("c", s -> null, basic::publishes).shape(new JmxSampler(rules, basic).sample());
        List<Datum> filtered = new CloudWatchShaper("c", s -> null, basic::publishes).shape(new JmxSampler(rules).sample());
        assertThat(series(reduced)).hasSizeGreaterThan(20).isEqualTo(series(filtered));
        assertThat(rules.newPartitionedCollectors(basic::mayProduce)).as("MBean types without a basic metric are not read")
                .hasSizeLessThan(rules.newPartitionedCollectors().size());
    }

    @Test
    void everyBasicMetricIsOneTheShippedRulesGive() {
        Set<String> given = new JmxSampler(rules).sample().stream()
                .flatMap(s -> s.labels().containsKey("state")
                        ? CloudWatchShaper.STATES.stream().map(st -> s.name() + "_" + st) : java.util.stream.Stream.of(s.name()))
                .collect(Collectors.toSet());
        assertThat(given).containsAll(BasicMetrics.standard().names());
    }

    @Test
    void theApiSinkPublishesTheSameCustomMetricsAsTheEmfLines() {
        DimensionPlan basic = plan("basic");
        List<Datum> data = new CloudWatchShaper("c", s -> null, basic::publishes).shape(new JmxSampler(rules, basic).sample());
        EmfMetricCount emf = new EmfMetricCount();
        new EmfFormatter("KafkaConnect", basic, Map.of()).format(data, 0).forEach(emf::add);
        Set<String> api = new TreeSet<>();
        new CloudWatchApiSink(null, "KafkaConnect", basic).toMetricData(data, 0).forEach(d -> api.add("KafkaConnect "
                + d.metricName() + " " + d.dimensions().stream().collect(Collectors.toMap(x -> x.name(), x -> x.value(),
                (a, b) -> a, java.util.TreeMap::new))));
        assertThat(api).isEqualTo(emf.all().stream().map(Object::toString).collect(Collectors.toCollection(TreeSet::new)));
    }

    private static Set<String> series(List<Datum> data) {
        return data.stream().map(d -> d.name() + " " + d.unit() + " " + d.dimensions()).collect(Collectors.toCollection(TreeSet::new));
    }
}
