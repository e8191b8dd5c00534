package io.connectaws.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DebeziumLegacyNamesTest {

    private static Map<String, String> config(String... keyValues) {
        Map<String, String> c = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    @Test
    void aTutorialsMySqlConnectorGetsTheNamesDebezium3Reads() {
        DebeziumLegacyNames.Result r = DebeziumLegacyNames.translate(config(
                "connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "database.server.name", "dbserver1",
                "database.whitelist", "inventory",
                "database.history", "io.debezium.relational.history.KafkaDatabaseHistory",
                "database.history.kafka.bootstrap.servers", "kafka:9092",
                "database.history.kafka.topic", "schema-changes.inventory",
                "database.history.producer.security.protocol", "SASL_SSL",
                "database.password", "${secretsmanager:db:password}"));
        assertThat(r.config()).containsExactly(
                Map.entry("connector.class", "io.debezium.connector.mysql.MySqlConnector"),
                Map.entry("topic.prefix", "dbserver1"),
                Map.entry("database.include.list", "inventory"),
                Map.entry("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory"),
                Map.entry("schema.history.internal.kafka.bootstrap.servers", "kafka:9092"),
                Map.entry("schema.history.internal.kafka.topic", "schema-changes.inventory"),
                Map.entry("schema.history.internal.producer.security.protocol", "SASL_SSL"),
                Map.entry("database.password", "${secretsmanager:db:password}"));
        assertThat(r.renames()).extracting(DebeziumLegacyNames.Rename::from).containsExactly("database.server.name",
                "database.whitelist", "database.history", "database.history.kafka.bootstrap.servers",
                "database.history.kafka.topic", "database.history.producer.security.protocol");
    }

    @Test
    void currentNamesAndOtherConnectorsAreLeftAlone() {
        Map<String, String> current = config("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "shop", "table.include.list", "public.orders");
        assertThat(DebeziumLegacyNames.translate(current).renames()).isEmpty();
        Map<String, String> other = config("connector.class", "com.example.SinkConnector", "database.server.name", "x");
        assertThat(DebeziumLegacyNames.translate(other).config()).isEqualTo(other);
        assertThat(DebeziumLegacyNames.newName("io.debezium.connector.postgresql.PostgresConnector", "database.dbname"))
                .as("PostgreSQL still reads database.dbname").isNull();
        assertThat(DebeziumLegacyNames.newName("io.debezium.connector.sqlserver.SqlServerConnector", "database.dbname"))
                .isEqualTo("database.names");
    }

    @Test
    void anOldAndANewNameDisagreeingIsRefusedNamingBoth() {
        assertThatThrownBy(() -> DebeziumLegacyNames.translate(config(
                "connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "database.server.name", "a", "topic.prefix", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.server.name").hasMessageContaining("topic.prefix");
        assertThat(DebeziumLegacyNames.translate(config("connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "database.server.name", "a", "topic.prefix", "a")).config()).containsOnlyKeys("connector.class", "topic.prefix");
    }

    @Test
    void aPatchIsTranslatedWithItsStoredConnectorsClassAndARemovalKeepsItsName() {
        Map<String, String> patch = config("database.history.kafka.topic", "shop.history2");
        patch.put("database.whitelist", null);
        DebeziumLegacyNames.Result r = DebeziumLegacyNames.translate(patch, "io.debezium.connector.mysql.MySqlConnector");
        assertThat(r.config()).containsEntry("schema.history.internal.kafka.topic", "shop.history2")
                .containsEntry("database.whitelist", null)
                .doesNotContainKeys("database.history.kafka.topic", "database.include.list");
        assertThat(DebeziumLegacyNames.translate(patch).renames()).as("no class: nothing known").isEmpty();
    }

    @Test
    void connectsClassAliasesAreDebeziumsClasses() {
        assertThat(DebeziumLegacyNames.connectorClass("MySqlConnector")).isEqualTo("io.debezium.connector.mysql.MySqlConnector");
        assertThat(DebeziumLegacyNames.connectorClass(" MariaDb ")).isEqualTo("io.debezium.connector.mariadb.MariaDbConnector");
        assertThat(DebeziumLegacyNames.connectorClass("com.example.Sink")).isEqualTo("com.example.Sink");
        assertThat(DebeziumLegacyNames.translate(config("connector.class", "MySql", "database.server.name", "a")).config())
                .containsEntry("topic.prefix", "a");
    }
}
