package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.it.TopicReader.Event;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A Debezium PostgreSQL connector whose credentials are Secrets Manager references, resolved in the image with
 * credentials served the way ECS serves a task role; then the password is rotated in the database and in the secret,
 * and the running tasks pick it up with nobody restarting anything.
 */
class SecretsIT {
    static final String SECRET = "prod/orders-db";
    static final String PASSWORD_1 = "pw-first-7f3a91";
    static final String PASSWORD_2 = "pw-rotated-c04be2";
    static final String CONNECTOR = "orders-secret";
    static final String TOPIC = "secrets.public.orders";

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static ConnectWorker worker;
    static SecretsManagerClient secrets;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases("secrets-postgres")
                .withDatabaseName("orders")
                .withUsername("admin")
                .withPassword("admin-pw")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical");
        aws = new LocalAwsContainer();
        postgres.start();
        aws.start();
        secrets = aws.secretsManager();
        secrets.createSecret(r -> r.name(SECRET).secretString(credentials(PASSWORD_1)));
        sql("CREATE ROLE cdc_app WITH LOGIN REPLICATION SUPERUSER PASSWORD '" + PASSWORD_1 + "'",
                "CREATE TABLE public.orders (id INT PRIMARY KEY, item VARCHAR(64))");

        worker = new ConnectWorker("secrets").alsoOn(aws.taskNetwork());
        LocalAwsContainer.workerEnvironment().forEach(worker::withEnv);
        // rotation checks every 3 s instead of the image's 5 minutes, so the test sees one quickly
        worker.withEnv("CONNECT_CONFIG_PROVIDERS_SECRETSMANAGER_PARAM_TTL", "3s");
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (secrets != null) secrets.close();
        Stack.stop(worker, aws, postgres);
    }

    static String credentials(String password) {
        return "{\"username\":\"cdc_app\",\"password\":\"" + password + "\",\"engine\":\"postgres\",\"host\":\"secrets-postgres\"}";
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "admin", "admin-pw");
             Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    static void insert(int from, int to) throws SQLException {
        for (int id = from; id <= to; id++) sql("INSERT INTO public.orders VALUES (" + id + ", 'item-" + id + "')");
    }

    /** The process id of the connector's replication connection, or -1 while there is none. */
    static int walSenderPid() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "admin", "admin-pw");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_replication WHERE usename = 'cdc_app'")) {
            return r.next() ? r.getInt(1) : -1;
        }
    }

    static Map<String, String> connectorConfig() {
        return connectorConfig("secrets");
    }

    /** The connector with its own slot ({@code NAME_slot}), publication ({@code NAME_pub}) and topic prefix. */
    static Map<String, String> connectorConfig(String name) {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", "${secretsmanager:" + SECRET + ":host}"),
                Map.entry("database.port", "5432"),
                Map.entry("database.user", "${secretsmanager:" + SECRET + ":username}"),
                Map.entry("database.password", "${secretsmanager:" + SECRET + ":password}"),
                Map.entry("database.dbname", "orders"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", name + "_slot"),
                Map.entry("publication.name", name + "_pub"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("topic.prefix", name),
                Map.entry("table.include.list", "public.orders")));
        return CdcScenario.withJsonAndTopicCreation(config);
    }

    @Test
    void referencesResolveInTheImageAndRotationReachesRunningTasks() throws Exception {
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector(CONNECTOR, connectorConfig());
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        rest.awaitRunning(CONNECTOR, Duration.ofSeconds(90));

        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), TOPIC)) {
            insert(1, 3);
            reader.awaitEvents(e -> ids(e).containsAll(Set.of(1, 2, 3)), CdcScenario.EVENT_TIMEOUT, "rows 1-3");

            // The REST API shows references, never values: the connector config and the stored task configs.
            for (String path : new String[] {"/connectors/" + CONNECTOR + "/config", "/connectors/" + CONNECTOR + "/tasks",
                    "/connectors?expand=info"}) {
                String body = rest.get(path).body().toString();
                assertThat(body).as(path).contains("${secretsmanager:" + SECRET + ":password}")
                        .doesNotContain(PASSWORD_1);
            }

            // Unchanged secret: the monitor re-reads it every 3 s but restarts nothing.
            int pidBefore = walSenderPid();
            assertThat(pidBefore).isPositive();
            Thread.sleep(8_000);
            assertThat(walSenderPid()).as("no restart while the secret is unchanged").isEqualTo(pidBefore);

            // Rotate the way Secrets Manager's rotation does: new password in the database, then in the secret.
            sql("ALTER ROLE cdc_app PASSWORD '" + PASSWORD_2 + "'");
            insert(4, 6);
            secrets.putSecretValue(r -> r.secretId(SECRET).secretString(credentials(PASSWORD_2)));
            insert(7, 9);

            // The tasks reconnect with the new password on their own: a new replication connection, running again.
            Instant deadline = Instant.now().plusSeconds(60);
            while (walSenderPid() == pidBefore || walSenderPid() < 0) {
                if (Instant.now().isAfter(deadline)) fail("connector was not restarted after the rotation: " + rest.get("/connectors/" + CONNECTOR + "/status").body());
                Thread.sleep(500);
            }
            rest.awaitRunning(CONNECTOR, Duration.ofSeconds(60));
            insert(10, 12);
            var events = reader.awaitEvents(e -> ids(e).containsAll(range(1, 12)), CdcScenario.EVENT_TIMEOUT, "rows 1-12");
            assertThat(ids(events)).as("no row lost").containsAll(range(1, 12));
            assertThat(events.stream().filter(e -> e.value() != null && "c".equals(e.op())).count())
                    .as("every row once (a restart resumes from the committed offset)").isLessThanOrEqualTo(12 + 6);
        }

        String logs = worker.getLogs();
        assertThat(logs).contains("used by connector '" + CONNECTOR + "' changed; restarting the connector and tasks [0] on this worker")
                .doesNotContain(PASSWORD_1).doesNotContain(PASSWORD_2);
        assertThat(rest.get("/connectors/" + CONNECTOR + "/config").body().toString()).doesNotContain(PASSWORD_2);
    }

    @Test
    void aMissingSecretFailsTheTaskNamingTheSecretAndKey() {
        ConnectRest rest = worker.rest();
        Map<String, String> config = connectorConfig("missing");
        config.put("database.password", "${secretsmanager:prod/no-such-secret:password}");
        ConnectRest.Reply reply = rest.createConnector("missing-secret", config);
        String answer = reply.body().toString();
        if (reply.status() == 201) {
            // accepted as written (Connect resolves at start): the task or connector must fail with the reason
            answer = rest.awaitFailed("missing-secret", Duration.ofSeconds(60), "a missing secret");
        }
        assertThat(answer).contains("prod/no-such-secret").contains("ResourceNotFoundException");
        rest.call("DELETE", "/connectors/missing-secret", null);
    }

    @Test
    void aConnectorCannotMakeItsKafkaClientsLoadConfigProviders() {
        // CVE-2024-31141: Debezium's signal consumer is built from signal.consumer.* of the connector config; with
        // config.providers there it could read files of the worker. The image forbids automatic providers.
        ConnectRest rest = worker.rest();
        Map<String, String> config = connectorConfig("hardening");
        config.put("signal.enabled.channels", "source,kafka");
        config.put("signal.kafka.topic", "hardening-signals");
        config.put("signal.kafka.bootstrap.servers", Stack.KAFKA_INTERNAL);
        config.put("signal.consumer.config.providers", "file");
        config.put("signal.consumer.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        config.put("signal.consumer.client.rack", "${file:/etc/passwd:root}");
        // First line: the worker configures no 'file' provider, so the image's REST filter refuses the reference.
        ConnectRest.Reply refused = rest.createConnector("hardening", config);
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.message()).contains("signal.consumer.client.rack references config provider 'file'");
        // Behind it, the JVM: the client may not instantiate the provider at all, whether or not a value references it.
        config.remove("signal.consumer.client.rack");
        ConnectRest.Reply created = rest.createConnector("hardening", config);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String status = rest.awaitFailed("hardening", Duration.ofSeconds(60),
                "the connector's client was allowed to load a provider");
        assertThat(status).contains("FileConfigProvider is not allowed");
        rest.call("DELETE", "/connectors/hardening", null);
    }

    static Set<Integer> ids(java.util.List<Event> events) {
        Set<Integer> ids = new TreeSet<>();
        for (Event e : events) {
            if (e.value() == null) continue;
            JsonNode after = e.after();
            if (after != null && after.has("id")) ids.add(after.get("id").asInt());
        }
        return ids;
    }

    static Set<Integer> range(int from, int to) {
        Set<Integer> s = new TreeSet<>();
        for (int i = from; i <= to; i++) s.add(i);
        return s;
    }
}
