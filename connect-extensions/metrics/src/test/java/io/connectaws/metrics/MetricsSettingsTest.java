package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsSettingsTest {
    private static final Map<String, String> ECS = Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x");

    @Test
    void defaultsAreEmfOnEcsOffElsewhereWithTheGroupIdAsCluster() {
        MetricsSettings ecs = MetricsSettings.from(Map.of("group.id", "prod-cdc"), ECS);
        assertThat(ecs.sink()).isEqualTo(MetricsSettings.Sink.EMF);
        assertThat(ecs.cluster()).isEqualTo("prod-cdc");
        assertThat(ecs.namespace()).isEqualTo("KafkaConnect");
        assertThat(ecs.interval().toSeconds()).isEqualTo(60);
        assertThat(ecs.rulesFile().toString()).isEqualTo("/opt/connect/config/metrics-rules.yml");
        assertThat(ecs.detail()).isEqualTo(MetricsSettings.Detail.BASIC);
        // basic: a task's failed state at connector level and once per cluster, its ratio not at all
        assertThat(ecs.dimensionPlan().setsFor("kafka_connect_task_state_failed", Map.of("Cluster", "c", "Connector", "x", "Task", "0")))
                .containsExactly(List.of("Cluster", "Connector"), List.of("Cluster"));
        assertThat(ecs.dimensionPlan().setsFor("kafka_connect_task_running_ratio", Map.of("Cluster", "c", "Connector", "x", "Task", "0")))
                .isEmpty();
        MetricsSettings full = MetricsSettings.from(Map.of("group.id", "prod-cdc", "cloudwatch.detail", "full"), ECS);
        assertThat(full.dimensionPlan().setsFor("kafka_connect_task_running_ratio", Map.of("Cluster", "c", "Connector", "x", "Task", "0")))
                .hasSize(3);
        assertThat(MetricsSettings.from(Map.of("group.id", "g"), Map.of()).sink()).isEqualTo(MetricsSettings.Sink.OFF);
    }

    @Test
    void everySettingCanBeChanged() {
        MetricsSettings s = MetricsSettings.from(Map.of("group.id", "g", "cloudwatch.sink", "API",
                "cloudwatch.interval.seconds", "10", "cloudwatch.namespace", "Team/CDC", "cloudwatch.cluster", "orders-prod",
                "cloudwatch.rollups", "cluster", "cloudwatch.dimensions", "Environment=prod, Team=payments",
                "cloudwatch.region", "eu-west-1", "cloudwatch.endpoint", "https://monitoring.eu-west-1.amazonaws.com",
                "metrics.rules.file", "/etc/rules.yml"), ECS);
        assertThat(s.sink()).isEqualTo(MetricsSettings.Sink.API);
        assertThat(s.interval().toSeconds()).isEqualTo(10);
        assertThat(s.namespace()).isEqualTo("Team/CDC");
        assertThat(s.cluster()).isEqualTo("orders-prod");
        assertThat(s.dimensionPlan().extra()).containsExactly(Map.entry("Environment", "prod"), Map.entry("Team", "payments"));
        assertThat(s.dimensionPlan().setsFor("kafka_connect_connector_state_failed", Map.of("Cluster", "c", "Connector", "x")))
                .containsExactly(List.of("Environment", "Team", "Cluster", "Connector"), List.of("Environment", "Team", "Cluster"));
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.rulesFile().toString()).isEqualTo("/etc/rules.yml");
        assertThat(s.describe()).contains("sink api", "every 10 s", "Cluster=orders-prod", "detail basic", "rollups cluster");
    }

    @Test
    void badValuesNameTheSettingAndItsVariable() {
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.sink", "stdout"), Map.of()))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageContaining("cloudwatch.sink").hasMessageContaining("use emf, api or off")
                .hasMessageContaining("CONNECT_CLOUDWATCH_SINK");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.interval.seconds", "0"), Map.of()))
                .hasMessageContaining("cloudwatch.interval.seconds").hasMessageContaining("CONNECT_CLOUDWATCH_INTERVAL_SECONDS");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.namespace", "AWS/Kafka"), Map.of()))
                .hasMessageContaining("must not start with AWS/");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.rollups", "task"), Map.of()))
                .hasMessageContaining("use connector and/or cluster");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.detail", "all"), Map.of()))
                .hasMessageContaining("use basic or full").hasMessageContaining("CONNECT_CLOUDWATCH_DETAIL");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.dimensions", "Environment"), Map.of()))
                .hasMessageContaining("Name=value");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.dimensions", "Connector=x"), Map.of()))
                .hasMessageContaining("Connector is set by the exporter");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.endpoint", "monitoring.local"), Map.of()))
                .hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> MetricsSettings.from(Map.of("cloudwatch.cluster", "x".repeat(1025)), Map.of()))
                .hasMessageContaining("1 to 1024 characters");
    }
}
