package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * What a first deployment meets (issues 17 and 25), on two workers configured as little as a user would: a bootstrap
 * server and a GROUP_ID, no storage topic names and no replication factors. One of them lets connectors read
 * {@code DATABASE_PASSWORD} through {@code ${env:...}} (CONNECT_AWS_ENV_SECRETS), as an ECS task definition's secret.
 */
class FirstDayIT {

    static final String GROUP_A = "first-day-a";
    static final String GROUP_B = "first-day-b";

    static PostgreSQLContainer postgres;
    /** GROUP_ID only. */
    static ConnectWorker plain;
    /** GROUP_ID, and {@code ${env:DATABASE_PASSWORD}} allowed. */
    static ConnectWorker envSecrets;

    @BeforeAll
    static void start() {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        plain = new ConnectWorker(GROUP_A, Map.of("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL, "GROUP_ID", GROUP_A));
        envSecrets = new ConnectWorker(GROUP_B, Map.of("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL, "GROUP_ID", GROUP_B,
                "CONNECT_AWS_ENV_SECRETS", "DATABASE_PASSWORD", "DATABASE_PASSWORD", "cdc-secret"));
        Startables.deepStart(postgres, plain, envSecrets).join();
    }

    @AfterAll
    static void stop() {
        Stack.stop(plain, envSecrets, postgres);
    }

    private static Map<String, String> connector(String slot, String prefix, String table, String password) {
        Map<String, String> config = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector(slot, prefix, table)));
        config.put("database.password", password);
        return config;
    }

    private static void sql(String... statements) throws Exception {
        try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = db.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers()));
    }

    @Test
    void twoGroupsWithoutTopicNamesGetTopicsOfTheirOwnAndDoNotShareConnectors() throws Exception {
        // Both workers started (BeforeAll) on the one broker with no topic names and no replication factors.
        sql("CREATE TABLE public.first_day_groups (id INT PRIMARY KEY, item TEXT)");
        // STOPPED: no slot and no task, only the config written to this group's config topic.
        ConnectRest.Reply created = plain.rest().call("POST", "/connectors", Map.of("name", "only-in-a",
                "config", connector("only_in_a", "only_in_a", "public.first_day_groups", "cdc-secret"),
                "initial_state", "STOPPED"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        plain.rest().await("/connectors/only-in-a/status",
                r -> r.status() == 200 && r.body().path("connector").path("state").asText().equals("STOPPED"),
                Duration.ofSeconds(30), "the connector STOPPED");
        assertThat(names(plain)).contains("only-in-a");
        // the other group reads its own config topic: a connector written to a shared one would be listed there
        ConnectRest.sleep(2000);
        assertThat(names(envSecrets)).doesNotContain("only-in-a");
        assertThat(envSecrets.rest().get("/connectors/only-in-a/status").status()).isEqualTo(404);
        plain.rest().call("DELETE", "/connectors/only-in-a", null);

        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String group : List.of(GROUP_A, GROUP_B)) {
                assertThat(topics).contains(group + "-configs", group + "-offsets", group + "-status");
            }
            // -1: the broker's default.replication.factor (1 here)
            TopicDescription configs = admin.describeTopics(List.of(GROUP_A + "-configs")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(GROUP_A + "-configs");
            assertThat(configs.partitions().get(0).replicas()).hasSize(1);
        }
    }

    private static List<String> names(ConnectWorker worker) {
        ConnectRest.Reply reply = worker.rest().get("/connectors");
        assertThat(reply.status()).isEqualTo(200);
        List<String> names = new java.util.ArrayList<>();
        reply.body().forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void anEnvReferenceOnAWorkerWithoutEnvSecretsIsRefusedNamingTheFix() {
        ConnectRest.Reply reply = plain.rest().createConnector("env-refused",
                connector("env_refused", "env_refused", "public.nothing", "${env:DATABASE_PASSWORD}"));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        assertThat(reply.message()).contains("database.password").contains("config provider 'env'")
                .contains("CONNECT_AWS_ENV_SECRETS=DATABASE_PASSWORD");
        assertThat(plain.rest().get("/connectors/env-refused").status()).as("nothing created").isEqualTo(404);
    }

    @Test
    void anEnvReferenceAllowedByEnvSecretsReachesTheDatabase() throws Exception {
        sql("CREATE TABLE public.env_orders (id INT PRIMARY KEY, item TEXT)",
                "INSERT INTO public.env_orders VALUES (1, 'kettle'), (2, 'teapot')");
        ConnectRest rest = envSecrets.rest();
        ConnectRest.Reply created = rest.createConnector("env-orders",
                connector("env_orders", "env_orders", "public.env_orders", "${env:DATABASE_PASSWORD}"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("env-orders", Duration.ofSeconds(60));
        assertThat(rest.get("/connectors/env-orders/config").body().path("database.password").asText())
                .as("stored as the reference").isEqualTo("${env:DATABASE_PASSWORD}");
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "env_orders.public.env_orders")) {
            assertThat(reader.awaitCount(2, CdcScenario.EVENT_TIMEOUT))
                    .extracting(e -> e.after().path("item").asText()).containsExactly("kettle", "teapot");
        }
        rest.call("DELETE", "/connectors/env-orders", null);
    }

    @Test
    void anEnvVariableNotNamedInEnvSecretsIsNeverRead() throws Exception {
        // HOSTNAME is set in every container; CONNECT_AWS_ENV_SECRETS names only DATABASE_PASSWORD. Kafka's env provider
        // returns nothing for a variable outside its allowlist and Connect passes the reference on as literal text.
        String hostname = envSecrets.getContainerInfo().getConfig().getHostName();
        assertThat(hostname).isNotBlank();
        ConnectRest rest = envSecrets.rest();

        ConnectRest.Reply asPassword = rest.createConnector("env-hostname-password",
                connector("env_hostname", "env_hostname", "public.nothing", "${env:HOSTNAME}"));
        assertThat(asPassword.status()).as("%s", asPassword.body()).isEqualTo(400);
        assertThat(asPassword.message()).as("the literal text reached PostgreSQL")
                .contains("password authentication failed for user \"cdc\"");
        assertThat(asPassword.body().toString()).doesNotContain(hostname);

        // In a field that becomes a topic name: resolved, it would have been a valid prefix and topic names.
        Map<String, String> asPrefix = connector("env_hostname_prefix", "${env:HOSTNAME}", "public.nothing", "cdc-secret");
        ConnectRest.Reply prefixed = rest.createConnector("env-hostname-prefix", asPrefix);
        assertThat(prefixed.status()).as("%s", prefixed.body()).isEqualTo(400);
        assertThat(prefixed.body().toString()).contains("${env:HOSTNAME}").doesNotContain(hostname);

        assertThat(names(envSecrets)).doesNotContain("env-hostname-password", "env-hostname-prefix");
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).noneMatch(t -> t.contains(hostname));
        }
    }
}
