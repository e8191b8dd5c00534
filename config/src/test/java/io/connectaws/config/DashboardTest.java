package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.metrics.BasicMetrics;

/**
 * config/cloudwatch/dashboard.json draws only what the exporter publishes at the default detail level
 * ({@code cloudwatch.detail=basic}): each metric by its published name, with a dimension set the default publishes
 * (the source of truth AlarmsTest uses: {@link BasicMetrics} through the exporter's DimensionPlan), in the unit its axis
 * says; it shows the figures an on-call engineer looks at first, per connector and cluster-wide.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("cloudwatch/dashboard.json");

    @Test
    void everyMetricIsPublishedByDefaultWithItsDimensionsAndUnit() throws Exception {
        List<DashboardMetrics.Metric> metrics = DashboardMetrics.read(DASHBOARD);
        assertThat(metrics).hasSizeGreaterThan(20);
        for (DashboardMetrics.Metric m : metrics) {
            String as = "'" + m.widget() + "': " + m.name() + " " + m.dimensions();
            if (m.namespace().startsWith("AWS/")) {
                continue; // CloudWatch's own, checked against the specification by CloudFormationSpecTest
            }
            assertThat(m.namespace()).as(as + " in the workers' namespace").isEqualTo("${Namespace}");
            assertThat(AlarmsTest.publishedByDefault(m.name(), m.dimensions())).as(as + " is published at the default "
                    + "detail level (io.connectaws.metrics.BasicMetrics)").isTrue();
            assertThat(m.stat()).as(as).isIn("Sum", "Maximum", "Minimum", "Average", "SampleCount");
            String unit = AlarmsTest.unitOf(m.name());
            switch (m.axisLabel()) {
                case "ms" -> assertThat(unit).as(as).isEqualTo("Milliseconds");
                case "bytes" -> assertThat(unit).as(as).isEqualTo("Bytes");
                case "records/s" -> assertThat(unit).as(as + ": a counter, drawn as Sum per 60 s / 60").isEqualTo("Count");
                default -> { }
            }
            if (m.name().endsWith("_total")) {
                assertThat(m.stat()).as(as + ": a counter is published as per-interval deltas, so it adds up").isEqualTo("Sum");
            }
        }
    }

    @Test
    void itShowsTheOnCallFiguresPerConnectorAndClusterWide() throws Exception {
        List<DashboardMetrics.Metric> metrics = DashboardMetrics.read(DASHBOARD);
        Set<String> perConnector = new HashSet<>();
        Set<String> cluster = new HashSet<>();
        for (DashboardMetrics.Metric m : metrics) {
            if (m.dimensions().equals(List.of("Cluster", "Connector"))) {
                assertThat(m.search()).as(m.name() + ": one line per connector, whichever connectors exist").isTrue();
                perConnector.add(m.name());
            } else if (m.dimensions().equals(List.of("Cluster"))) {
                cluster.add(m.name());
            }
        }
        assertThat(perConnector).contains("kafka_connect_task_state_running", "kafka_connect_task_state_failed",
                "debezium_streaming_milliseconds_behind_source", "kafka_connect_source_task_source_record_write_total",
                "debezium_snapshot_running", "debezium_snapshot_remaining_table_count", "debezium_snapshot_rows_scanned_total",
                "connect_aws_replication_slot_retained_wal_bytes");
        assertThat(cluster).contains("kafka_connect_task_state_failed", "kafka_connect_connector_state_failed",
                "kafka_connect_worker_task_count", "debezium_streaming_milliseconds_behind_source",
                "kafka_connect_source_task_source_record_write_total", "kafka_connect_worker_rebalance_completed_rebalances_total",
                "connect_aws_replication_slot_retained_wal_bytes");
        // JVM heap: every JVM metric of the default level is drawn, and the service's memory from AWS/ECS beside it
        Set<String> drawn = new HashSet<>();
        metrics.forEach(m -> drawn.add(m.name()));
        assertThat(BasicMetrics.standard().names()).contains("jvm_memory_heap_used_bytes");
        BasicMetrics.standard().names().stream().filter(n -> n.startsWith("jvm_"))
                .forEach(n -> assertThat(drawn).as("the default level publishes " + n).contains(n));
        assertThat(drawn).contains("MemoryUtilization");
    }

    @Test
    void expressionsReferToMetricsOfTheirWidgetAndOnlyKnownPlaceholdersAreUsed() throws Exception {
        JsonNode body = CfnTemplate.JSON.readTree(DASHBOARD.toFile());
        for (JsonNode w : body.get("widgets")) {
            Set<String> ids = new HashSet<>();
            w.at("/properties/metrics").forEach(row -> row.forEach(e -> {
                if (e.has("id")) {
                    ids.add(e.get("id").asText());
                }
            }));
            w.at("/properties/metrics").forEach(row -> {
                String expression = row.get(0).path("expression").asText();
                Matcher m = Pattern.compile("(?<![A-Za-z'\"=_${])\\b([a-z][A-Za-z0-9_]*)\\b(?![('\"])").matcher(
                        expression.replaceAll("SEARCH\\('[^']*'[^)]*\\)", ""));
                while (m.find()) {
                    assertThat(ids).as("expression '" + expression + "' of '" + w.at("/properties/title").asText() + "'").contains(m.group(1));
                }
            });
        }
        Matcher p = Pattern.compile("\\$\\{([^}]*)}").matcher(Files.readString(DASHBOARD));
        while (p.find()) {
            assertThat(p.group(1)).isIn("Namespace", "Cluster", "AWS::Region", "EcsCluster", "EcsService");
        }
    }
}
