package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvironmentMappingTest {

    @Test
    void connectPrefixFollowsTheConfluentAndDebeziumEscaping() {
        assertThat(EnvironmentMapping.propertyName("CONNECT_OFFSET_FLUSH_INTERVAL_MS")).hasValue("offset.flush.interval.ms");
        assertThat(EnvironmentMapping.propertyName("CONNECT_PRODUCER_CLIENT__ID")).hasValue("producer.client_id");
        assertThat(EnvironmentMapping.propertyName("CONNECT_FOO___BAR_BAZ")).hasValue("foo-bar.baz");
        assertThat(EnvironmentMapping.propertyName("CONNECT_REST_ADVERTISED_HOST_NAME")).hasValue("rest.advertised.host.name");
    }

    @Test
    void variablesThatDoNotNameWorkerPropertiesAreIgnored() {
        assertThat(EnvironmentMapping.propertyName("CONNECT_")).isEmpty();
        assertThat(EnvironmentMapping.propertyName("CONNECT_LOG4J_LOGGERS")).isEmpty();
        assertThat(EnvironmentMapping.propertyName("CONNECT_AWS_WORKER_PROFILE")).isEmpty();
        assertThat(EnvironmentMapping.propertyName("PATH")).isEmpty();
        assertThat(EnvironmentMapping.workerProperties(Map.of("HOME", "/root", "JAVA_HOME", "/opt/java"))).isEmpty();
    }

    @Test
    void shortFormsMapAndMayBeRepeatedButNotContradicted() {
        Map<String, String> properties = EnvironmentMapping.workerProperties(Map.of(
                "BOOTSTRAP_SERVERS", " kafka:9092 ",
                "GROUP_ID", "orders",
                "CONNECT_GROUP_ID", "orders",
                "SHUTDOWN_TIMEOUT", "20000",
                "OFFSET_STORAGE_TOPIC", "offsets",
                "CONFIG_STORAGE_TOPIC", "",
                "ADVERTISED_HOST_NAME", "10.0.0.7"));
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "kafka:9092",
                "group.id", "orders",
                "task.shutdown.graceful.timeout.ms", "20000",
                "offset.storage.topic", "offsets",
                "rest.advertised.host.name", "10.0.0.7"));
        assertThat(EnvironmentMapping.settings(Map.of("GROUP_ID", "orders")).get("group.id").variable()).isEqualTo("GROUP_ID");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvironmentMapping.settings(Map.of(
                        "GROUP_ID", "orders", "CONNECT_GROUP_ID", "payments")))
                .hasMessage("GROUP_ID=orders and CONNECT_GROUP_ID=payments both set group.id: keep one of them");
    }
}
