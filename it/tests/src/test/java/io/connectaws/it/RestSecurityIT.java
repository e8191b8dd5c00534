package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The secret-reference policy and the write lock against the built image. An unauthenticated caller tries every way
 * to read a Secrets Manager password through a connector config (topic prefix, host name, connector name, an SMT
 * setting, the validate endpoint, a config planted straight into the config topic): each is refused, and the password
 * shows up in no reply, no topic name and no line of the worker's log. References where teams keep secrets (password,
 * user, host, port, database name) still run a connector that streams. A write-locked worker refuses every write verb,
 * answers reads, and still applies its declared connector.
 */
class RestSecurityIT {
    static final String SECRET = "rds/orders";
    static final String PASSWORD = "pw-never-seen-5d1e8c";
    static final String PG = "io.debezium.connector.postgresql.PostgresConnector";
    static final String REF = "${secretsmanager:" + SECRET + ":password}";

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static ConnectWorker open;
    static ConnectWorker locked;
    static DeclarationFiles declarations;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres()).withNetwork(Stack.network())
                .withNetworkAliases("restsec-postgres").withDatabaseName("orders").withUsername("admin")
                .withPassword("admin-pw").withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical");
        aws = new LocalAwsContainer();
        postgres.start();
        aws.start();
        try (var secrets = aws.secretsManager()) {
            secrets.createSecret(r -> r.name(SECRET).secretString("{\"username\":\"cdc_app\",\"password\":\"" + PASSWORD
                    + "\",\"host\":\"restsec-postgres\",\"port\":\"5432\",\"dbname\":\"orders\",\"engine\":\"postgres\"}"));
        }
        sql("CREATE ROLE cdc_app WITH LOGIN REPLICATION SUPERUSER PASSWORD '" + PASSWORD + "'",
                "CREATE TABLE public.orders (id INT PRIMARY KEY, item VARCHAR(64))",
                "CREATE TABLE public.lines (id INT PRIMARY KEY, qty INT)");

        open = new ConnectWorker("restsec").alsoOn(aws.taskNetwork());
        LocalAwsContainer.workerEnvironment().forEach(open::withEnv);

        declarations = new DeclarationFiles("restsec-decl");
        declarations.write("lines.json", DeclarationFiles.json(Map.of("name", "declared-lines",
                "config", config("declared", "public.lines"))));
        // a declaration with a reference where none belongs: refused through the same policy, reported, not created
        declarations.write("leaky.json", DeclarationFiles.json(Map.of("name", "declared-leaky",
                "config", with(config("leaky", "public.lines"), "topic.prefix", REF))));
        locked = declarations.mountOn(new ConnectWorker("restlock").alsoOn(aws.taskNetwork()))
                .withEnv("CONNECT_AWS_REST_WRITE_LOCK", "true");
        LocalAwsContainer.workerEnvironment().forEach(locked::withEnv);
        // a config already in the config topic when the worker starts (stored before this image, or planted while no
        // worker ran): the topic made the way Connect makes it, compacted with one partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("restlock-configs", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        plant("restlock-configs", "stored-before", with(config("storedbefore", "public.lines"), "name", "stored-before",
                "slot.name", REF));
        open.start();
        locked.start();
    }

    @AfterAll
    static void stop() {
        Stack.stop(open, locked, aws, postgres);
        if (declarations != null) declarations.close();
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "admin", "admin-pw");
             Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    /** A connector whose whole identity comes from the secret, as RDS secrets hold it. */
    static Map<String, String> config(String prefix, String table) {
        Map<String, String> c = new HashMap<>(Map.ofEntries(
                Map.entry("connector.class", PG),
                Map.entry("database.hostname", "${secretsmanager:" + SECRET + ":host}"),
                Map.entry("database.port", "${secretsmanager:" + SECRET + ":port}"),
                Map.entry("database.user", "${secretsmanager:" + SECRET + ":username}"),
                Map.entry("database.password", REF),
                Map.entry("database.dbname", "${secretsmanager:" + SECRET + ":dbname}"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", prefix + "_slot"),
                Map.entry("publication.name", prefix + "_pub"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("topic.prefix", prefix),
                Map.entry("table.include.list", table)));
        return CdcScenario.withJsonAndTopicCreation(c);
    }

    static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> c = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) c.put(pairs[i], pairs[i + 1]);
        return c;
    }

    static void assertRefused(ConnectRest.Reply reply, String what, String startOfMessage) {
        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(400);
        assertThat(reply.message()).as(what).contains(startOfMessage);
        assertThat(reply.body().toString()).as(what).doesNotContain(PASSWORD);
    }

    @Test
    void everyExfiltrationPathIsRefusedAndLeavesNoTrace() throws Exception {
        ConnectRest rest = open.rest();
        Map<String, String> good = config("exfil", "public.orders");

        assertRefused(rest.createConnector("exfil-prefix", with(good, "topic.prefix", REF)), "topic.prefix",
                "topic.prefix holds the config provider reference " + REF);
        assertRefused(rest.createConnector("exfil-host", with(good, "database.hostname", REF)), "host name",
                "database.hostname may reference only a secret key meaning host");
        assertRefused(rest.createConnector(REF, good), "connector name", "name holds the config provider reference");
        assertRefused(rest.createConnector("exfil-smt", with(good, "transforms", "route",
                "transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter", "transforms.route.regex", ".*",
                "transforms.route.replacement", REF)), "SMT setting", "transforms.route.replacement holds");
        assertRefused(rest.validate(PG, with(good, "topic.prefix", REF)), "validate endpoint", "topic.prefix holds");
        assertRefused(rest.call("PUT", "/connectors/exfil-put/config", with(good, "slot.name", REF)), "PUT config",
                "slot.name holds");
        assertThat(rest.get("/connectors").body().toString()).doesNotContain("exfil").doesNotContain(PASSWORD);

        // A config written straight into the config topic, past the REST API: the worker refuses to start it.
        plant("restsec-configs", "planted", with(good, "name", "planted", "topic.prefix", "planted-" + REF));
        String status = rest.awaitFailed("planted", Duration.ofSeconds(60), "planted connector");
        assertThat(status).contains("is not started: topic.prefix holds the config provider reference " + REF)
                .doesNotContain(PASSWORD);

        // no trace of the value: topic names, every REST view, the worker's whole log
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).noneMatch(t -> t.contains(PASSWORD) || t.startsWith("planted"));
            // nor in any record of this worker's topics: its config, status and offsets topics hold the planted
            // connector's config and FAILED status
            for (String topic : topics) {
                if (topic.startsWith("restsec")) {
                    assertThat(allRecords(topic)).as(topic).doesNotContain(PASSWORD);
                }
            }
        }
        for (String path : List.of("/connectors?expand=status&expand=info", "/connectors/planted/config",
                "/connectors/planted/tasks", "/connectors/planted/status")) {
            assertThat(rest.get(path).body().toString()).as(path).doesNotContain(PASSWORD);
        }
        assertThat(open.getLogs()).doesNotContain(PASSWORD).contains("is not started: topic.prefix holds");
        assertThat(rest.call("DELETE", "/connectors/planted", null).status()).isEqualTo(204);
    }

    /** Writes a connector config into a Connect group's config topic, the way Connect stores one. */
    static void plant(String configTopic, String name, Map<String, String> config) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(configTopic, "connector-" + name,
                    DeclarationFiles.json(Map.of("properties", config)))).get();
        }
    }

    /** Every key and value of every partition of {@code topic}, from the start to its current end, as one text. */
    static String allRecords(String topic) {
        StringBuilder all = new StringBuilder();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                             "bootstrap.servers", Stack.kafka().getBootstrapServers(), "enable.auto.commit", "false"),
                             new org.apache.kafka.common.serialization.StringDeserializer(),
                             new org.apache.kafka.common.serialization.StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> all.append(r.key()).append('=').append(r.value()).append('\n'));
            }
        }
        return all.toString();
    }

    @Test
    void referencesWhereTeamsKeepSecretsStillStream() throws Exception {
        ConnectRest rest = open.rest();
        ConnectRest.Reply created = rest.createConnector("orders-from-secret", config("fromsecret", "public.orders"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        rest.awaitRunning("orders-from-secret", Duration.ofSeconds(90));
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "fromsecret.public.orders")) {
            sql("INSERT INTO public.orders VALUES (1, 'first')");
            reader.awaitEvents(events -> events.stream().anyMatch(e -> e.value().path("after").path("id").asInt() == 1),
                    CdcScenario.EVENT_TIMEOUT, "row 1");
        }
        assertThat(open.getLogs()).doesNotContain(PASSWORD);
    }

    @Test
    void theWriteLockRefusesEveryWriteAndStillAppliesDeclarations() throws Exception {
        ConnectRest rest = locked.rest();
        rest.awaitRunning("declared-lines", Duration.ofSeconds(120));

        Map<String, String> other = config("lockother", "public.orders");
        List<List<Object>> writes = List.of(
                List.of("POST", "/connectors", Map.of("name", "by-hand", "config", other)),
                List.of("PUT", "/connectors/by-hand/config", other),
                List.of("PUT", "/connectors/declared-lines/config", config("declared", "public.lines")),
                List.of("PATCH", "/connectors/declared-lines/config", Map.of("tasks.max", "2")),
                List.of("DELETE", "/connectors/declared-lines", ""),
                List.of("POST", "/connectors/declared-lines/restart?includeTasks=true", ""),
                List.of("POST", "/connectors/declared-lines/tasks/0/restart", ""),
                List.of("PUT", "/connectors/declared-lines/pause", ""),
                List.of("PUT", "/connectors/declared-lines/resume", ""),
                List.of("PUT", "/connectors/declared-lines/stop", ""),
                List.of("PUT", "/connectors/declared-lines/topics/reset", ""),
                List.of("PATCH", "/connectors/declared-lines/offsets", Map.of("offsets", List.of())),
                List.of("DELETE", "/connectors/declared-lines/offsets", ""));
        for (List<Object> w : writes) {
            Object body = "".equals(w.get(2)) ? null : w.get(2);
            ConnectRest.Reply r = rest.call((String) w.get(0), (String) w.get(1), body);
            assertThat(r.status()).as(w.get(0) + " " + w.get(1) + ": " + r.body()).isEqualTo(403);
            assertThat(r.message()).contains("write-locked (CONNECT_AWS_REST_WRITE_LOCK=true)");
        }
        assertThat(rest.get("/connectors").status()).isEqualTo(200);
        assertThat(rest.get("/connectors/declared-lines/status").body().path("connector").path("state").asText())
                .isEqualTo("RUNNING");
        assertThat(rest.validate(PG, other).status()).isEqualTo(200);
        assertThat(rest.get("/connectors").body().toString()).doesNotContain("by-hand").doesNotContain("declared-leaky");

        com.fasterxml.jackson.databind.JsonNode leaky = DeclarationFiles.entry(DeclarationFiles.report(rest), "declared-leaky");
        assertThat(leaky.path("outcome").asText()).as(leaky.toString()).isEqualTo("failed");
        assertThat(leaky.path("detail").asText()).contains("topic.prefix holds the config provider reference " + REF);
        assertThat(leaky.toString() + locked.getLogs()).doesNotContain(PASSWORD);

        // the config that was in the topic before the worker started: not started, the reason as its state
        String stored = rest.awaitFailed("stored-before", Duration.ofSeconds(30), "config stored before the start");
        assertThat(stored).contains("is not started: slot.name holds the config provider reference " + REF)
                .doesNotContain(PASSWORD);
        assertThat(allRecords("restlock-configs") + allRecords("restlock-status")).doesNotContain(PASSWORD);
    }
}
