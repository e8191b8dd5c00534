package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The PostgreSQL connector defaults that keep the application's writes working (issue 20). */
class PostgresDefaultsTest {

    private static final Map<String, String> CONNECTION = Map.of("bootstrap.servers", "msk:9098");
    private static final String POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";

    @Test
    void aPostgresConnectorThatLeavesThemOutGetsPgoutputAFilteredPublicationAndAHeartbeat() {
        Map<String, String> add = new ConnectorDefaults(CONNECTION, null, true).additions(Map.of(
                "connector.class", POSTGRES, "topic.prefix", "shop", "table.include.list", "public.orders"));
        assertThat(add).containsEntry("plugin.name", "pgoutput")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsKey("heartbeat.interval.ms");
    }

    @Test
    void whatTheConnectorSaysIsKept() {
        Map<String, String> add = new ConnectorDefaults(CONNECTION, null, true).additions(Map.of(
                "connector.class", POSTGRES, "plugin.name", "decoderbufs", "publication.autocreate.mode", "all_tables",
                "heartbeat.interval.ms", "0"));
        assertThat(add).doesNotContainKeys("plugin.name", "publication.autocreate.mode", "heartbeat.interval.ms");
    }

    @Test
    void aBlankActionQueryTurnsTheHeartbeatsWriteOffAndTakesTheExcludeListWithIt() {
        Map<String, String> add = new ConnectorDefaults(CONNECTION, null, true).additions(Map.of(
                "connector.class", POSTGRES, "heartbeat.action.query", ""));
        assertThat(add).containsKey("heartbeat.interval.ms")
                .doesNotContainKeys("heartbeat.action.query", "message.prefix.exclude.list");
    }

    @Test
    void otherConnectorsGetNone() {
        assertThat(new ConnectorDefaults(CONNECTION, null, true).additions(Map.of("connector.class",
                "io.debezium.connector.mysql.MySqlConnector", "topic.prefix", "shop")))
                .doesNotContainKeys("plugin.name", "publication.autocreate.mode");
    }
}
