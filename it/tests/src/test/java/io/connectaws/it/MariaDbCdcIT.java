package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mariadb.MariaDBContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * MariaDB (ROW binlog) through Debezium's MariaDB connector in the product image into Kafka; on the same worker, a
 * connector written with Debezium 1.x names and one that names no schema history topic (issue 17).
 */
class MariaDbCdcIT extends BinlogCdcScenario {

    static MariaDBContainer mariadb;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws SQLException {
        Stack.kafka();
        mariadb = new MariaDBContainer(Images.mariadb())
                .withNetwork(Stack.network())
                .withNetworkAliases("mariadb")
                .withDatabaseName("inventory")
                .withUsername("cdc")
                .withPassword("cdc-secret")
                .withConfigurationOverride("mariadb-cdc");
        worker = new ConnectWorker("maria-cdc");
        Startables.deepStart(mariadb, worker).join();
        // Least privilege Debezium documents for a binlog reader, granted the way a DBA would.
        try (Connection root = DriverManager.getConnection(mariadb.getJdbcUrl(), "root", "cdc-secret")) {
            root.createStatement().execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, "
                    + "REPLICATION CLIENT ON *.* TO 'cdc'@'%'");
        }
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mariadb);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(mariadb.getJdbcUrl(), "cdc", "cdc-secret");
    }

    @Override
    protected Map<String, String> connection() {
        return Map.of("connector.class", "io.debezium.connector.mariadb.MariaDbConnector", "database.hostname", "mariadb",
                "database.user", "cdc", "database.password", "cdc-secret",
                "database.server.id", "5401", "topic.prefix", "maria");
    }

    @Test
    void snapshotInsertUpdateDeleteAndTombstoneReachKafka() throws Exception {
        runScenario(worker.rest(), "maria-inventory");
    }

    /** A connector on this stack's worker for table {@code inventory.<table>}, with one row in it. */
    private Map<String, String> connectorFor(String table, String serverId) throws SQLException {
        execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(64))",
                "INSERT INTO " + table + " (id, name) VALUES (1, 'first')");
        Map<String, String> c = connection();
        Map<String, String> config = new HashMap<>(withJsonAndTopicCreation(Map.of(
                "connector.class", c.get("connector.class"), "database.hostname", c.get("database.hostname"),
                "database.port", "3306", "database.user", c.get("database.user"),
                "database.password", c.get("database.password"), "database.server.id", serverId,
                "database.include.list", "inventory")));
        return config;
    }

    @Test
    void aConnectorWrittenWithDebezium1xNamesIsStoredWithThe2xNamesAndStreams() throws Exception {
        // As Debezium 1.x's tutorial writes it: no topic.prefix, the schema history under database.history.*.
        Map<String, String> config = connectorFor("legacy_items", "5402");
        config.put("database.server.name", "maria_legacy");
        config.put("database.history.kafka.bootstrap.servers", Stack.KAFKA_INTERNAL);
        config.put("database.history.kafka.topic", "dbhistory.maria_legacy");
        config.put("table.whitelist", "inventory.legacy_items");
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("maria-legacy", config);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);

        JsonNode stored = rest.get("/connectors/maria-legacy/config").body();
        assertThat(stored.path("topic.prefix").asText()).isEqualTo("maria_legacy");
        assertThat(stored.path("schema.history.internal.kafka.topic").asText()).isEqualTo("dbhistory.maria_legacy");
        assertThat(stored.path("schema.history.internal.kafka.bootstrap.servers").asText()).isEqualTo(Stack.KAFKA_INTERNAL);
        assertThat(stored.path("table.include.list").asText()).isEqualTo("inventory.legacy_items");
        assertThat(stored.fieldNames()).toIterable().as("no 1.x name left")
                .noneMatch(k -> k.startsWith("database.history") || k.equals("database.server.name") || k.endsWith("whitelist"));
        assertThat(LauncherIT.warnings(worker.getLogs(), "Debezium 1.x names")).as("one warning naming the renames")
                .singleElement().asString().contains("maria-legacy").contains("database.server.name -> topic.prefix")
                .contains("database.history.kafka.topic -> schema.history.internal.kafka.topic");

        rest.awaitRunning("maria-legacy", Duration.ofSeconds(90));
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "maria_legacy.inventory.legacy_items")) {
            assertThat(reader.awaitCount(1, EVENT_TIMEOUT).get(0).op()).as("snapshot").isEqualTo("r");
            execute("INSERT INTO legacy_items (id, name) VALUES (2, 'second')");
            TopicReader.Event insert = reader.awaitCount(2, EVENT_TIMEOUT).get(1);
            assertThat(insert.op()).isEqualTo("c");
            assertThat(insert.after().path("name").asText()).isEqualTo("second");
        }
        try (TopicReader history = new TopicReader(Stack.kafka().getBootstrapServers(), "dbhistory.maria_legacy")) {
            history.awaitEvents(e -> !e.isEmpty(), EVENT_TIMEOUT, "the schema history in the 1.x-named topic");
        }
        rest.call("DELETE", "/connectors/maria-legacy", null);
    }

    @Test
    void aConnectorWithoutAHistoryTopicGetsOneNamedAfterItsPrefixAndRuns() throws Exception {
        Map<String, String> config = connectorFor("unnamed_history", "5403");
        config.put("topic.prefix", "maria_nohist");
        config.put("table.include.list", "inventory.unnamed_history");
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("maria-nohist", config);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(rest.get("/connectors/maria-nohist/config").body().path("schema.history.internal.kafka.topic").asText())
                .isEqualTo("schema-history.maria_nohist");
        rest.awaitRunning("maria-nohist", Duration.ofSeconds(90));
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "maria_nohist.inventory.unnamed_history")) {
            assertThat(reader.awaitCount(1, EVENT_TIMEOUT).get(0).after().path("name").asText()).isEqualTo("first");
        }
        try (TopicReader history = new TopicReader(Stack.kafka().getBootstrapServers(), "schema-history.maria_nohist")) {
            history.awaitEvents(e -> !e.isEmpty(), EVENT_TIMEOUT, "the schema history");
        }
        rest.call("DELETE", "/connectors/maria-nohist", null);
    }
}
