package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnectorDefaultsTest {

    private static final Map<String, String> IAM = Map.of(
            "bootstrap.servers", "msk:9098",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "AWS_MSK_IAM",
            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    private static Map<String, String> mariaDb(String... more) {
        Map<String, String> c = new LinkedHashMap<>(Map.of(
                "connector.class", "io.debezium.connector.mariadb.MariaDbConnector",
                "topic.prefix", "shop",
                "schema.history.internal.kafka.topic", "shop.history"));
        for (int i = 0; i < more.length; i += 2) {
            c.put(more[i], more[i + 1]);
        }
        return c;
    }

    @Test
    void schemaHistoryClientsGetTheWorkersKafkaConnection() {
        Map<String, String> add = new ConnectorDefaults(IAM, "euw1-az1", true).additions(mariaDb());
        assertThat(add)
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "msk:9098")
                .containsEntry("schema.history.internal.producer.security.protocol", "SASL_SSL")
                .containsEntry("schema.history.internal.consumer.sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("schema.history.internal.producer.sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("schema.history.internal.consumer.sasl.jaas.config",
                        "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry("schema.history.internal.consumer.client.rack", "euw1-az1")
                .containsEntry("topic.creation.default.replication.factor", "-1")
                .containsEntry("topic.creation.default.partitions", "-1")
                .doesNotContainKey("schema.history.internal.producer.client.rack")
                .doesNotContainKeys("signal.kafka.bootstrap.servers");
    }

    @Test
    void whatTheConnectorSaysIsKept() {
        Map<String, String> add = new ConnectorDefaults(IAM, null, true).additions(mariaDb(
                "schema.history.internal.kafka.bootstrap.servers", "other:9092",
                "schema.history.internal.producer.security.protocol", "SSL",
                "topic.creation.default.partitions", "3"));
        assertThat(add.keySet()).noneMatch(k -> k.startsWith("schema.history.internal.producer."))
                .noneMatch(k -> k.startsWith("topic.creation."))
                .doesNotContain("schema.history.internal.kafka.bootstrap.servers")
                .contains("schema.history.internal.consumer.security.protocol");
    }

    @Test
    void postgresWithoutSchemaHistoryGetsOnlyTopicCreationAndSignalsTheirConsumer() {
        Map<String, String> postgres = Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "signal.kafka.topic", "signals");
        Map<String, String> add = new ConnectorDefaults(IAM, null, true).additions(postgres);
        assertThat(add.keySet()).noneMatch(k -> k.startsWith("schema.history"))
                .contains("signal.kafka.bootstrap.servers", "signal.consumer.sasl.mechanism", "topic.creation.default.partitions");
        assertThat(new ConnectorDefaults(IAM, null, false).additions(postgres)).doesNotContainKey("topic.creation.default.partitions");
        assertThat(new ConnectorDefaults(IAM, null, true).additions(Map.of("connector.class", "com.example.Sink", "topics", "a")))
                .isEmpty();
    }

    @Test
    void postgresGetsAHeartbeatThatWritesIntoItsOwnWalAndPublishesNothing() {
        Map<String, String> postgres = Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "shop");
        assertThat(new ConnectorDefaults(IAM, null, false).additions(postgres))
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("heartbeat.action.query", "SELECT pg_logical_emit_message(false, 'connect-aws-heartbeat', '')")
                .containsEntry("message.prefix.exclude.list", "connect-aws-heartbeat");

        // the connector's own choices stay, and an include list of messages gets no exclude list beside it
        Map<String, String> own = new LinkedHashMap<>(postgres);
        own.put("heartbeat.interval.ms", "0");
        own.put("heartbeat.action.query", "UPDATE heartbeat SET ts = now()");
        own.put("message.prefix.include.list", "audit");
        assertThat(new ConnectorDefaults(IAM, null, false).additions(own))
                .doesNotContainKeys("heartbeat.interval.ms", "heartbeat.action.query", "message.prefix.exclude.list");
        Map<String, String> ownExclude = new LinkedHashMap<>(postgres);
        ownExclude.put("message.prefix.exclude.list", "audit");
        assertThat(new ConnectorDefaults(IAM, null, false).additions(ownExclude))
                .doesNotContainKey("message.prefix.exclude.list").containsKey("heartbeat.action.query");
        // other connectors get none of it
        assertThat(new ConnectorDefaults(IAM, null, false).additions(mariaDb()).keySet())
                .doesNotContain("heartbeat.interval.ms", "heartbeat.action.query", "message.prefix.exclude.list");
    }

    @Test
    void aLiteralSecretIsNeverCopiedIntoAConnectorConfig() {
        Map<String, String> literal = Map.of("bootstrap.servers", "k:9096", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";");
        ConnectorDefaults defaults = new ConnectorDefaults(literal, null, true);
        assertThat(defaults.withheld()).containsExactly("sasl.jaas.config");
        assertThat(defaults.additions(mariaDb()).values()).noneMatch(v -> v.contains("hunter2"))
                .doesNotContain("SCRAM-SHA-512");

        Map<String, String> reference = new LinkedHashMap<>(literal);
        reference.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" "
                + "password=\"${secretsmanager:AmazonMSK_u:password}\";");
        assertThat(new ConnectorDefaults(reference, null, true).additions(mariaDb()))
                .containsEntry("schema.history.internal.producer.sasl.jaas.config", reference.get("sasl.jaas.config"));
    }

    @Test
    void everyKeyAddedIsOneTheDeclarationsDoNotReadAsDrift() {
        Map<String, String> all = new java.util.HashMap<>(new ConnectorDefaults(IAM, "euw1-az1", true).additions(mariaDb(
                "signal.kafka.topic", "shop.signals")));
        Map<String, String> withoutHistoryTopic = mariaDb();
        withoutHistoryTopic.remove("schema.history.internal.kafka.topic");
        all.putAll(new ConnectorDefaults(IAM, "euw1-az1", true).additions(withoutHistoryTopic));
        all.putAll(new ConnectorDefaults(IAM, "euw1-az1", true, true).additions(Map.of(
                "connector.class", "io.debezium.connector.postgresql.PostgresConnector", "topic.prefix", "shop")));
        assertThat(all).isNotEmpty().containsKey("schema.history.internal.kafka.topic")
                .containsKeys("exactly.once.support", "publication.autocreate.mode", "plugin.name",
                        "heartbeat.interval.ms", "heartbeat.action.query", "message.prefix.exclude.list");
        assertThat(all.keySet()).allSatisfy(key -> assertThat(io.connectaws.declarations.Reconciler.addedByWorker(key))
                .as(key + " must be known to the declarations' drift check, or declared connectors are rewritten every round")
                .isTrue());
    }

    @Test
    void aHistorizedConnectorWithoutAHistoryTopicGetsOneNamedAfterItsPrefixAndTheWorkersConnection() {
        for (String connector : List.of("io.debezium.connector.mysql.MySqlConnector",
                "io.debezium.connector.mariadb.MariaDbConnector", "io.debezium.connector.sqlserver.SqlServerConnector")) {
            Map<String, String> config = new LinkedHashMap<>(Map.of("connector.class", connector, "topic.prefix", "shop"));
            assertThat(new ConnectorDefaults(IAM, null, true).additions(config))
                    .containsEntry("schema.history.internal.kafka.topic", "schema-history.shop")
                    .containsEntry("schema.history.internal.kafka.bootstrap.servers", "msk:9098")
                    .containsEntry("schema.history.internal.producer.sasl.mechanism", "AWS_MSK_IAM")
                    .containsEntry("schema.history.internal.consumer.sasl.mechanism", "AWS_MSK_IAM");
        }
        Map<String, String> postgres = Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "topic.prefix", "shop");
        assertThat(new ConnectorDefaults(IAM, null, true).additions(postgres)).doesNotContainKey(
                "schema.history.internal.kafka.topic");
        Map<String, String> fileHistory = Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "topic.prefix", "shop", "schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        assertThat(new ConnectorDefaults(IAM, null, true).additions(fileHistory)).doesNotContainKey(
                "schema.history.internal.kafka.topic");
    }
}
