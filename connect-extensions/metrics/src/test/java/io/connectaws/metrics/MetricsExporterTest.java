package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.ObjectName;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The exporter over real Kafka metrics registered through Kafka's own JmxReporter, as a worker registers them. */
class MetricsExporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULES = """
            lowercaseOutputName: true
            includeObjectNames: ["kafka.connect:type=source-task-metrics,*", "kafka.connect:type=connector-task-metrics,*"]
            rules:
              - pattern: 'kafka.connect<type=source-task-metrics, connector=(.+), task=(\\d+)><>source-record-write-total'
                name: kafka_connect_source_task_source_record_write_total
                type: COUNTER
                labels: {connector: "$1", task: "$2"}
              - pattern: 'kafka.connect<type=connector-task-metrics, connector=(.+), task=(\\d+)><>status: ([a-z-]+)'
                name: kafka_connect_task_state
                value: 1
                type: GAUGE
                labels: {connector: "$1", task: "$2", state: "$3"}
            """;

    private final Metrics metrics = new Metrics(new MetricConfig(), List.of(new JmxReporter()), Time.SYSTEM,
            new KafkaMetricsContext("kafka.connect"));
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        metrics.close();
    }

    private static Map<String, String> tags(String connector, String task) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", connector);
        tags.put("task", task);
        return tags;
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                assertThat(EmfValidator.problems(line)).isEmpty();
                nodes.add(JSON.readTree(line));
            }
        }
        stdout.reset();
        return nodes;
    }

    @Test
    void writesBecomeDeltasThatAddUpAndTheStateFlipsToFailed() throws Exception {
        Sensor writes = metrics.sensor("writes");
        writes.add(metrics.metricName("source-record-write-total", "source-task-metrics", "", tags("exporter-test", "0")),
                new CumulativeSum());
        AtomicReference<String> status = new AtomicReference<>("running");
        MetricName statusName = metrics.metricName("status", "connector-task-metrics", "", tags("exporter-test", "0"));
        metrics.addMetric(statusName, (Gauge<String>) (config, now) -> status.get());

        MetricsRules rules = MetricsRules.parse(Path.of("inline.yml"), RULES);
        MetricsExporter exporter = new MetricsExporter(new JmxSampler(rules), new CloudWatchShaper("test-cluster", s -> null),
                new EmfSink(new EmfFormatter("KafkaConnect", new DimensionPlan(Set.of("connector", "cluster"), Map.of()),
                        Map.of("WorkerId", "w1")), () -> new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                Duration.ofHours(1), Clock.systemUTC());
        exporter.start();
        try {
            long total = 0;
            for (int interval = 0; interval < 4; interval++) {
                for (int i = 0; i < interval * 3 + 5; i++) {
                    writes.record(1);
                }
                exporter.runOnce();
                JsonNode line = lines().get(0);
                assertThat(line.get("Connector").asText()).isEqualTo("exporter-test");
                assertThat(line.get("Task").asText()).isEqualTo("0");
                assertThat(line.get("kafka_connect_task_state_running").asInt()).isEqualTo(1);
                assertThat(line.get("kafka_connect_task_state_failed").asInt()).isEqualTo(0);
                total += line.get("kafka_connect_source_task_source_record_write_total").asLong();
            }
            assertThat(total).isEqualTo(5 + 8 + 11 + 14);

            status.set("failed");
            writes.record(2);
            exporter.runOnce();
            JsonNode failed = lines().get(0);
            assertThat(failed.get("kafka_connect_task_state_running").asInt()).isEqualTo(0);
            assertThat(failed.get("kafka_connect_task_state_failed").asInt()).isEqualTo(1);
            assertThat(failed.get("kafka_connect_source_task_source_record_write_total").asLong()).isEqualTo(2);

            assertThat(ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName(MetricsExporter.MBEAN), "Cycles")).isEqualTo(5L);
            writes.record(3);
        } finally {
            exporter.close();
        }
        // closing publishes what happened since the last interval
        assertThat(lines().get(0).get("kafka_connect_source_task_source_record_write_total").asLong()).isEqualTo(3);
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(MetricsExporter.MBEAN))).isFalse();
    }
}
