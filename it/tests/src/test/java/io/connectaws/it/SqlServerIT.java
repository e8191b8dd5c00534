package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SQL Server, what runs everywhere: the plugin loads, its config validates, an unreachable
 * database gets a clear error. The full CDC scenario is {@link SqlServerCdcIT}.
 */
class SqlServerIT {

    static final String CONNECTOR = "io.debezium.connector.sqlserver.SqlServerConnector";
    /** A host on the test network with nothing listening on 1433: refused at once, no DNS wait. */
    static final String UNREACHABLE_HOST = "kafka";

    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        Stack.kafka();
        worker = new ConnectWorker("mssql");
        worker.start();
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker);
    }

    static Map<String, String> connectorConfig(String host) {
        return Map.ofEntries(
                Map.entry("connector.class", CONNECTOR),
                Map.entry("database.hostname", host),
                Map.entry("database.port", "1433"),
                Map.entry("database.user", "sa"),
                Map.entry("database.password", SqlServerCdcIT.PASSWORD),
                Map.entry("database.names", "inventory"),
                Map.entry("database.encrypt", "false"),
                Map.entry("topic.prefix", "mssql"),
                Map.entry("table.include.list", "dbo.customers"),
                Map.entry("schema.history.internal.kafka.bootstrap.servers", Stack.KAFKA_INTERNAL),
                Map.entry("schema.history.internal.kafka.topic", "schema-history.mssql"));
    }

    @Test
    void pluginIsListedWithItsVersion() {
        JsonNode plugins = worker.rest().get("/connector-plugins").body();
        List<String> versions = new ArrayList<>();
        plugins.forEach(p -> {
            if (CONNECTOR.equals(p.path("class").asText())) {
                versions.add(p.path("version").asText());
            }
        });
        assertThat(versions).singleElement().asString().startsWith("3.6.");
    }

    @Test
    void configValidatesAndOnlyTheUnreachableDatabaseIsReported() {
        Map<String, String> request = new java.util.HashMap<>(connectorConfig(UNREACHABLE_HOST));
        request.put("name", "mssql-unreachable");
        ConnectRest.Reply reply = worker.rest().validate(CONNECTOR, request);
        assertThat(reply.status()).isEqualTo(200);
        List<String> fieldsWithErrors = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (JsonNode config : reply.body().path("configs")) {
            JsonNode errors = config.path("value").path("errors");
            if (errors.size() > 0) {
                fieldsWithErrors.add(config.path("definition").path("name").asText());
                errors.forEach(e -> messages.add(e.asText()));
            }
        }
        assertThat(fieldsWithErrors).as("every setting is understood; only the connection fails").containsOnly("database.hostname");
        assertThat(messages).anyMatch(m -> m.contains("host " + UNREACHABLE_HOST + ", port 1433"));
    }

    @Test
    void unreachableDatabaseIsA400NamingTheHost() {
        ConnectRest.Reply reply = worker.rest().createConnector("mssql-unreachable", connectorConfig(UNREACHABLE_HOST));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        assertThat(reply.message()).contains("host " + UNREACHABLE_HOST + ", port 1433");
        assertThat(reply.body().toString()).doesNotContain(SqlServerCdcIT.PASSWORD);
    }
}
