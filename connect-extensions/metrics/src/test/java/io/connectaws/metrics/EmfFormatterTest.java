package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EmfFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_763_700_000_000L;

    private static Map<String, String> dims(String connector, String task) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("Cluster", "prod-cdc");
        if (connector != null) d.put("Connector", connector);
        if (task != null) d.put("Task", task);
        return d;
    }

    @Test
    void oneObjectPerDimensionValuesWithRollupSetsAndProperties() throws Exception {
        EmfFormatter f = new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of("connector", "cluster"), Map.of()),
                Map.of("WorkerId", "10.0.1.5:8083"));
        List<String> lines = f.format(List.of(
                new Datum("kafka_connect_source_task_source_record_write_total", "Count", dims("orders", "0"), 42),
                new Datum("debezium_streaming_milliseconds_behind_source", "Milliseconds", dims("orders", "0"), 1250.5),
                new Datum("kafka_connect_worker_connector_count", "Count", dims(null, null), 3)), NOW);

        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(EmfValidator.problems(l)).isEmpty());
        JsonNode task = JSON.readTree(lines.get(0));
        assertThat(task.at("/_aws/Timestamp").asLong()).isEqualTo(NOW);
        assertThat(task.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("KafkaConnect");
        assertThat(task.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Cluster\",\"Connector\",\"Task\"],[\"Cluster\",\"Connector\"],[\"Cluster\"]]");
        assertThat(task.get("Connector").asText()).isEqualTo("orders");
        assertThat(task.get("Task").asText()).isEqualTo("0");
        assertThat(task.get("WorkerId").asText()).isEqualTo("10.0.1.5:8083");
        assertThat(task.get("kafka_connect_source_task_source_record_write_total").asLong()).isEqualTo(42);
        assertThat(task.get("debezium_streaming_milliseconds_behind_source").asDouble()).isEqualTo(1250.5);
        assertThat(task.at("/_aws/CloudWatchMetrics/0/Metrics/1/Unit").asText()).isEqualTo("Milliseconds");

        JsonNode worker = JSON.readTree(lines.get(1));
        assertThat(worker.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Cluster\"]]");
        assertThat(worker.has("Connector")).isFalse();
    }

    @Test
    void rollupsAndFixedDimensionsFollowThePlan() throws Exception {
        EmfFormatter f = new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of(), Map.of("Environment", "prod")), Map.of());
        String line = f.format(List.of(new Datum("m_total", "Count", dims("orders", "1"), 1)), NOW).get(0);
        JsonNode node = JSON.readTree(line);
        assertThat(node.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Environment\",\"Cluster\",\"Connector\",\"Task\"]]");
        assertThat(node.get("Environment").asText()).isEqualTo("prod");
        assertThat(EmfValidator.problems(line)).isEmpty();
    }

    @Test
    void aClusterWithManyConnectorsSplitsIntoValidLines() throws Exception {
        EmfFormatter f = new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of("connector", "cluster"), Map.of()),
                Map.of("WorkerId", "10.0.1.5:8083", "EcsTaskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + "a".repeat(32)));
        List<Datum> data = new ArrayList<>();
        Map<String, Double> expected = new HashMap<>();
        for (int c = 0; c < 60; c++) {
            for (int t = 0; t < 2; t++) {
                for (int m = 0; m < 130; m++) { // more than 100 metrics per task: one object cannot hold them
                    String name = "kafka_connect_some_reasonably_long_metric_name_for_size_" + m + (m % 2 == 0 ? "_total" : "_ms");
                    double v = c * 1000 + t * 100 + m + 0.25;
                    data.add(new Datum(name, m % 2 == 0 ? "Count" : "Milliseconds", dims("connector-" + c, "" + t), v));
                    expected.put("connector-" + c + "/" + t + "/" + name, v);
                }
            }
        }
        List<String> lines = f.format(data, NOW);

        Map<String, Double> seen = new HashMap<>();
        for (String line : lines) {
            assertThat(EmfValidator.problems(line)).as(line.substring(0, 200)).isEmpty();
            JsonNode node = JSON.readTree(line);
            JsonNode metrics = node.at("/_aws/CloudWatchMetrics/0/Metrics");
            assertThat(metrics.size()).isLessThanOrEqualTo(100);
            for (JsonNode m : metrics) {
                String key = node.get("Connector").asText() + "/" + node.get("Task").asText() + "/" + m.get("Name").asText();
                assertThat(seen.put(key, node.get(m.get("Name").asText()).asDouble())).as("published twice: " + key).isNull();
            }
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(lines.size()).isGreaterThanOrEqualTo(120 * 2);
    }

    @Test
    void shortNamesSplitAtAHundredMetricsPerObject() throws Exception {
        EmfFormatter f = new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of("connector", "cluster"), Map.of()), Map.of());
        List<Datum> data = new ArrayList<>();
        for (int m = 0; m < 250; m++) {
            data.add(new Datum("m" + m, "None", dims("c", "0"), m));
        }
        List<String> lines = f.format(data, NOW);
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(0)).at("/_aws/CloudWatchMetrics/0/Metrics").size()).isEqualTo(100);
        assertThat(JSON.readTree(lines.get(2)).at("/_aws/CloudWatchMetrics/0/Metrics").size()).isEqualTo(50);
        assertThat(lines).allSatisfy(l -> assertThat(EmfValidator.problems(l)).isEmpty());
    }

    @Test
    void longNamesSplitByBytesBeforeTheMetricCount() {
        EmfFormatter f = new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of("connector", "cluster"), Map.of()), Map.of());
        List<Datum> data = new ArrayList<>();
        for (int m = 0; m < 100; m++) {
            data.add(new Datum(("m" + m + "_").repeat(100).substring(0, 250) + m, "None", dims("c", "0"), m));
        }
        List<String> lines = f.format(data, NOW);
        assertThat(lines.size()).isGreaterThan(2);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.length()).isLessThanOrEqualTo(EmfFormatter.MAX_LINE_BYTES);
            assertThat(EmfValidator.problems(l)).isEmpty();
        });
    }

    @Test
    void theValidatorCatchesBrokenLines() {
        assertThat(EmfValidator.problems("{\"_aws\":{\"Timestamp\":1763700000000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"Cluster\"]],\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Records\"}]}]},\"m\":\"x\"}"))
                .containsExactlyInAnyOrder("dimension \"Cluster\" has no string member",
                        "metric \"m\" has unit \"Records\", not a CloudWatch unit", "metric \"m\" value is not a number");
        assertThat(EmfValidator.problems("{\"_aws\":{\"Timestamp\":1763700000000,\"CloudWatchMetrics\":[]},\"x\":\""
                + "a".repeat(17_000) + "\"}")).containsExactly("line of 17066 bytes would be split by awslogs");
    }
}
