package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ExactlyOnceTest {

    private static WorkerConfiguration build(Map<String, String> env) {
        Properties profile = new Properties();
        profile.setProperty("group.id", "orders");
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.put("BOOTSTRAP_SERVERS", "b:9092");
        return WorkerConfiguration.build(profile, all, () -> "10.1.2.3");
    }

    @Test
    void theSwitchEnablesKafkasSupportAndSinkTasksReadCommittedRecords() {
        WorkerConfiguration c = build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "TRUE"));
        assertThat(c.properties()).containsEntry("exactly.once.source.support", "enabled")
                .containsEntry("consumer.isolation.level", "read_committed");
        assertThat(c.origin("exactly.once.source.support")).isEqualTo("CONNECT_AWS_EXACTLY_ONCE=TRUE");
        assertThat(ConnectLauncher.variables()).contains("CONNECT_AWS_EXACTLY_ONCE");
    }

    @Test
    void offByDefaultAndPreparingIsTheFirstRoll() {
        assertThat(build(Map.of()).properties()).doesNotContainKeys("exactly.once.source.support",
                "consumer.isolation.level");
        assertThat(build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "false")).properties())
                .containsEntry("exactly.once.source.support", "disabled").doesNotContainKey("consumer.isolation.level");
        assertThat(build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "preparing")).properties())
                .containsEntry("exactly.once.source.support", "preparing").doesNotContainKey("consumer.isolation.level");
    }

    @Test
    void kafkasOwnVariableWorksAloneAndAConflictOrATypoStopsTheStart() {
        WorkerConfiguration kafkas = build(Map.of("CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT", "enabled"));
        assertThat(kafkas.properties()).containsEntry("consumer.isolation.level", "read_committed");
        assertThat(build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "true", "CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT", "enabled"))
                .properties()).containsEntry("exactly.once.source.support", "enabled");
        assertThatThrownBy(() -> build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "true",
                "CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT", "disabled")))
                .hasMessageContaining("CONNECT_AWS_EXACTLY_ONCE=true and CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT=disabled disagree");
        assertThatThrownBy(() -> build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "yes")))
                .hasMessageContaining("CONNECT_AWS_EXACTLY_ONCE=yes is not true, false or preparing");
        WorkerConfiguration ownIsolation = build(Map.of("CONNECT_AWS_EXACTLY_ONCE", "true",
                "CONNECT_CONSUMER_ISOLATION_LEVEL", "read_uncommitted"));
        assertThat(ownIsolation.properties()).containsEntry("consumer.isolation.level", "read_uncommitted");
    }

    @Test
    void aConnectorAskingForWhatTheWorkerDoesNotGiveIsNamedWithTheFix() {
        Map<String, String> required = Map.of("connector.class", "x", "exactly.once.support", " Required ");
        assertThat(ExactlyOnce.contradiction(required, "enabled")).isEmpty();
        assertThat(ExactlyOnce.contradiction(required, null)).get().asString()
                .contains("exactly.once.support=required", "is disabled", "CONNECT_AWS_EXACTLY_ONCE=true");
        assertThat(ExactlyOnce.contradiction(required, "preparing")).get().asString()
                .contains("is preparing", "roll the workers again with CONNECT_AWS_EXACTLY_ONCE=true");
        assertThat(ExactlyOnce.contradiction(Map.of("transaction.boundary", "interval"), "disabled")).get().asString()
                .contains("transaction.boundary=interval takes effect only with exactly-once");
        assertThat(ExactlyOnce.contradiction(Map.of("exactly.once.support", "requested"), "disabled")).isEmpty();
        assertThat(ExactlyOnce.contradiction(Map.of("connector.class", "x"), "disabled")).isEmpty();
    }

    @Test
    void debeziumConnectorsThatSupportItAreCreatedRequiringIt() {
        Map<String, String> kafka = Map.of("bootstrap.servers", "b:9092");
        Map<String, String> postgres = Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "shop");
        assertThat(new ConnectorDefaults(kafka, null, true, true).additions(postgres))
                .containsEntry("exactly.once.support", "required");
        assertThat(new ConnectorDefaults(kafka, null, true, false).additions(postgres))
                .doesNotContainKey("exactly.once.support");
        assertThat(new ConnectorDefaults(kafka, null, true, true).additions(Map.of("connector.class",
                "io.debezium.connector.postgresql.PostgresConnector", "exactly.once.support", "requested")))
                .doesNotContainKey("exactly.once.support");
        assertThat(new ConnectorDefaults(kafka, null, true, true).additions(Map.of("connector.class",
                "com.example.SomeSource"))).doesNotContainKey("exactly.once.support");
        // Debezium 1.x's short names are translated before the defaults are added
        assertThat(new ConnectorDefaults(kafka, null, true, true).additions(Map.of("connector.class",
                "io.debezium.connector.sqlserver.SqlServerConnector"))).containsEntry("exactly.once.support", "required");
    }
}
