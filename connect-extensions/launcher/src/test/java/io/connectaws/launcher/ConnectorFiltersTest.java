package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The image's two connector-config REST filters on the requests Connect's API takes. */
class ConnectorFiltersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> STORED = Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector",
            "topic.prefix", "shop", "schema.history.internal.kafka.topic", "schema-history.shop");
    private static final ConnectorDefaultsExtension.Filter DEFAULTS = new ConnectorDefaultsExtension.Filter(
            new ConnectorDefaults(Map.of("bootstrap.servers", "msk:9098"), null, true), name -> {
                if (!name.equals("shop")) {
                    throw new org.apache.kafka.connect.errors.NotFoundException(name);
                }
                return STORED;
            });
    private static final ProviderReferenceExtension.Filter REFERENCES =
            new ProviderReferenceExtension.Filter(Set.of("secretsmanager", "ssm"));

    private static JsonNode run(String method, String path, String body) throws Exception {
        FakeRequest request = new FakeRequest(method, path, body);
        DEFAULTS.filter(request.context);
        assertThat(request.aborted()).isNull();
        return JSON.readTree(request.body());
    }

    @Test
    void aTutorialsConnectorIsCreatedWithTheNamesDebeziumReadsAndAHistoryTopic() throws Exception {
        JsonNode config = run("POST", "connectors", """
                {"name": "shop", "config": {"connector.class": "MySql", "database.server.name": "shop",
                 "database.history.kafka.bootstrap.servers": "kafka:9092"}}""").get("config");
        assertThat(config.has("database.server.name")).isFalse();
        assertThat(config.path("topic.prefix").asText()).isEqualTo("shop");
        assertThat(config.path("schema.history.internal.kafka.bootstrap.servers").asText()).isEqualTo("kafka:9092");
        assertThat(config.path("schema.history.internal.kafka.topic").asText()).isEqualTo("schema-history.shop");
    }

    @Test
    void aPatchIsRenamedWithTheStoredConnectorsClassAndGetsNoDefaults() throws Exception {
        JsonNode patch = run("PATCH", "connectors/shop/config", """
                {"database.history.kafka.topic": "shop.history", "database.whitelist": null}""");
        assertThat(patch.path("schema.history.internal.kafka.topic").asText()).isEqualTo("shop.history");
        assertThat(patch.has("database.history.kafka.topic")).isFalse();
        assertThat(patch.get("database.whitelist").isNull()).as("a removal keeps its name").isTrue();
        assertThat(patch.has("schema.history.internal.kafka.bootstrap.servers")).isFalse();
        JsonNode unknown = run("PATCH", "connectors/other/config", """
                {"database.history.kafka.topic": "x"}""");
        assertThat(unknown.has("database.history.kafka.topic")).as("unknown connector: Connect answers 404").isTrue();
    }

    @Test
    void nullsAndNonJsonAreLeftToConnect() throws Exception {
        JsonNode config = run("PUT", "connectors/shop/config", """
                {"connector.class": null, "schema.history.internal": null, "topic.prefix": "shop"}""");
        assertThat(config.get("connector.class").isNull()).isTrue();
        FakeRequest garbage = new FakeRequest("POST", "connectors", "not json");
        DEFAULTS.filter(garbage.context);
        assertThat(garbage.body()).isEqualTo("not json");
    }

    @Test
    void anOldAndANewNameThatDisagreeAreRefusedWith400() throws Exception {
        FakeRequest request = new FakeRequest("PUT", "connectors/shop/config", """
                {"connector.class": "io.debezium.connector.mysql.MySqlConnector", "database.server.name": "a",
                 "topic.prefix": "b"}""");
        DEFAULTS.filter(request.context);
        assertThat(request.aborted().getStatus()).isEqualTo(400);
        assertThat(request.aborted().getEntity().toString()).contains("\"error_code\":400")
                .contains("remove database.server.name");
    }

    @Test
    void aReferenceToAProviderTheWorkerLacksIsRefusedOnEveryWriteAndTheBodyIsKeptForTheRest() throws Exception {
        for (String[] call : new String[][] {{"POST", "connectors", "{\"name\":\"x\",\"config\":{\"database.password\":\"${env:DB_PASSWORD}\"}}"},
                {"PUT", "connectors/x/config", "{\"database.password\":\"${env:DB_PASSWORD}\"}"},
                {"PATCH", "connectors/x/config", "{\"database.password\":\"${env:DB_PASSWORD}\"}"},
                {"PUT", "connector-plugins/PostgresConnector/config/validate", "{\"database.password\":\"${env:DB_PASSWORD}\"}"}}) {
            FakeRequest request = new FakeRequest(call[0], call[1], call[2]);
            REFERENCES.filter(request.context);
            assertThat(request.aborted()).as(call[0] + " " + call[1]).isNotNull();
            assertThat(request.aborted().getStatus()).isEqualTo(400);
            assertThat(request.aborted().getEntity().toString()).contains("CONNECT_AWS_ENV_SECRETS=DB_PASSWORD");
        }
        FakeRequest fine = new FakeRequest("POST", "connectors",
                "{\"name\":\"x\",\"config\":{\"database.password\":\"${secretsmanager:db:password}\",\"n\":null}}");
        REFERENCES.filter(fine.context);
        assertThat(fine.aborted()).isNull();
        assertThat(fine.body()).contains("${secretsmanager:db:password}");
    }
}
