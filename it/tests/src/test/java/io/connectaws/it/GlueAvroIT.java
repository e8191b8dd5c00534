package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;

import io.connectaws.it.aws.AwsCliProcess;
import io.connectaws.it.aws.LocalAws;

/**
 * PostgreSQL to Kafka in Avro through AWS Glue Schema Registry's converter in the built image, against it/aws-local's
 * Glue endpoint (every call SigV4-checked; credentials served the way ECS serves a task role): snapshot and streaming
 * events decoded by Glue's own deserializer field by field against the rows, {@code ADD COLUMN ... DEFAULT} registering
 * version 2 (read back with the AWS CLI), a registry that is unreachable failing the task with a message naming it and
 * self-healing losing no row once it is back, and a wrong secret key refused by the signature check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlueAvroIT {
    static final String REGISTRY = "cdc";
    static final String WRONG_SECRET = "wrong/secret/key/00000000000000000000000";

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static ConnectWorker worker;
    static GlueRecordDecoder decoder;
    static Path cli;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> found = AwsCliProcess.executable();
        if (found.isEmpty()) {
            String reason = "the AWS CLI ('aws') is not on the PATH and AWS_CLI is not set (apt-get install awscli)";
            System.out.println("GlueAvroIT: skipped: " + reason);
            Assumptions.abort(reason);
        }
        cli = found.get();
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases("glue-postgres")
                .withDatabaseName("shop")
                .withUsername("admin")
                .withPassword("admin-pw")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical");
        aws = new LocalAwsContainer();
        postgres.start();
        aws.start();
        awsCli("glue", "create-registry", "--registry-name", REGISTRY);
        decoder = newDecoder();

        worker = new ConnectWorker("glue").alsoOn(aws.taskNetwork());
        LocalAwsContainer.workerEnvironment().forEach(worker::withEnv);
        // self-healing's back-off in seconds instead of minutes, so a restart follows the registry's return quickly
        worker.withEnv("CONNECT_HEALTH_AUTORESTART_BACKOFF_UNIT_MS", "1000");
        worker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (decoder != null) decoder.close();
        Stack.stop(worker, aws, postgres);
    }

    /**
     * aws-local's address from the host, read afresh each time: when the container rejoins a network (the outage test
     * takes it off the stack's network and back), Docker publishes its port again on a new host port.
     */
    static URI endpoint() {
        var bindings = DockerClientFactory.instance().client().inspectContainerCmd(aws.getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(4566));
        return URI.create("http://" + aws.getHost() + ":" + bindings[0].getHostPortSpec());
    }

    /** Glue's own deserializer against aws-local at its current address. */
    static GlueRecordDecoder newDecoder() {
        return new GlueRecordDecoder(endpoint(), LocalAwsContainer.REGION, REGISTRY, LocalAws.ACCESS_KEY_ID,
                LocalAws.SECRET_ACCESS_KEY);
    }

    static JsonNode awsCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint().toString(), "--output", "json"));
        AwsCliProcess.Run run = AwsCliProcess.run(cli, command, Map.of("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY, "AWS_DEFAULT_REGION", LocalAwsContainer.REGION,
                "AWS_REGION", LocalAwsContainer.REGION));
        assertThat(run.exit()).as("aws %s: %s", String.join(" ", args), run.err()).isZero();
        return ConnectRest.JSON.readTree(run.out());
    }

    /** The schema's version {@code number} ({@code 0}: the latest), as the AWS CLI reads it from the registry. */
    static JsonNode schemaVersion(String schema, int number) throws Exception {
        return awsCli("glue", "get-schema-version", "--schema-id", "SchemaName=" + schema + ",RegistryName=" + REGISTRY,
                "--schema-version-number", number == 0 ? "LatestVersion=true" : "VersionNumber=" + number);
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "admin", "admin-pw");
             Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    /** A PostgreSQL connector whose values go through the image's Glue converter; keys stay JSON. */
    static Map<String, String> connector(String prefix, String table) {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", "glue-postgres"),
                Map.entry("database.port", "5432"),
                Map.entry("database.user", "admin"),
                Map.entry("database.password", "admin-pw"),
                Map.entry("database.dbname", "shop"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", prefix + "_slot"),
                Map.entry("publication.name", prefix + "_pub"),
                Map.entry("topic.prefix", prefix),
                Map.entry("table.include.list", "public." + table),
                Map.entry("key.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("key.converter.schemas.enable", "false"),
                Map.entry("value.converter", "io.connectaws.glue.GlueAvroConverter"),
                Map.entry("value.converter.region", LocalAwsContainer.REGION),
                Map.entry("value.converter.endpoint", LocalAwsContainer.ENDPOINT_ON_STACK),
                Map.entry("value.converter.registry.name", REGISTRY),
                Map.entry("value.converter.schemaAutoRegistrationEnabled", "true"),
                Map.entry("value.converter.compatibility", "BACKWARD"),
                Map.entry("value.converter.dataFormat", "AVRO"),
                Map.entry("value.converter.avroRecordType", "GENERIC_RECORD"),
                Map.entry("topic.creation.default.replication.factor", "1"),
                Map.entry("topic.creation.default.partitions", "1")));
        return config;
    }

    /** Raw values of a topic from its first record, decoded on demand. */
    static final class RawTopic implements AutoCloseable {
        final String topic;
        final KafkaConsumer<byte[], byte[]> consumer;
        final List<byte[]> values = new ArrayList<>();

        RawTopic(String topic) {
            this.topic = topic;
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        /** Polls until the decoded events' {@code after.id}s include {@code ids}; returns every event read. */
        List<JsonNode> awaitIds(Set<Integer> ids, Duration timeout) {
            return await(events -> afterIds(events).containsAll(ids), timeout, "ids " + ids);
        }

        /** Polls until {@code done} holds for the decoded events; returns every event read. */
        List<JsonNode> await(java.util.function.Predicate<List<JsonNode>> done, Duration timeout, String what) {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                List<JsonNode> events = events();
                if (done.test(events)) return events;
                if (Instant.now().isAfter(deadline)) {
                    fail(topic + ": " + what + " not read within " + timeout + "; read " + events);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) values.add(r.value());
                }
            }
        }

        List<JsonNode> events() {
            return values.stream().map(v -> decoder.decode(topic, v)).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static Set<Integer> afterIds(List<JsonNode> events) {
        Set<Integer> ids = new TreeSet<>();
        events.forEach(e -> {
            if (e.path("after").isObject()) ids.add(e.path("after").path("id").asInt());
        });
        return ids;
    }

    static Set<Integer> range(int from, int to) {
        Set<Integer> ids = new TreeSet<>();
        for (int i = from; i <= to; i++) ids.add(i);
        return ids;
    }

    static JsonNode last(List<JsonNode> events, int id) {
        return events.stream().filter(e -> e.path("after").path("id").asInt() == id).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no event with after.id " + id));
    }

    @Test
    @Order(2)
    void snapshotStreamingAndANewColumnThroughGlue() throws Exception {
        String topic = "glue.public.customers";
        sql("CREATE TABLE public.customers (id INT PRIMARY KEY, name VARCHAR(64), email VARCHAR(128))",
                "INSERT INTO public.customers VALUES (1, 'alice', 'alice@example.com'), (2, 'bob', NULL)");
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("glue-customers", connector("glue", "customers"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        rest.awaitRunning("glue-customers", Duration.ofSeconds(90));

        try (RawTopic reader = new RawTopic(topic)) {
            List<JsonNode> snapshot = reader.awaitIds(Set.of(1, 2), CdcScenario.EVENT_TIMEOUT);
            assertThat(snapshot).extracting(e -> e.path("op").asText()).containsExactly("r", "r");
            assertThat(last(snapshot, 1).path("after").path("name").asText()).isEqualTo("alice");
            assertThat(last(snapshot, 1).path("after").path("email").asText()).isEqualTo("alice@example.com");
            assertThat(last(snapshot, 2).path("after").path("email").isNull()).as("NULL stays null").isTrue();
            assertThat(last(snapshot, 2).path("source").path("table").asText()).isEqualTo("customers");

            sql("INSERT INTO public.customers VALUES (3, 'carol', 'carol@example.com')",
                    "UPDATE public.customers SET name = 'alice-renamed' WHERE id = 1");
            List<JsonNode> streamed = reader.await(e -> e.size() >= 4, CdcScenario.EVENT_TIMEOUT, "4 events");
            JsonNode insert = streamed.get(2);
            assertThat(insert.path("op").asText()).isEqualTo("c");
            assertThat(insert.path("before").isNull()).isTrue();
            assertThat(insert.path("after").path("name").asText()).isEqualTo("carol");
            JsonNode update = streamed.get(3);
            assertThat(update.path("op").asText()).isEqualTo("u");
            assertThat(update.path("after").path("name").asText()).isEqualTo("alice-renamed");
            assertThat(update.path("after").path("email").asText()).isEqualTo("alice@example.com");

            JsonNode version1 = schemaVersion(topic, 0);
            assertThat(version1.path("VersionNumber").asInt()).isEqualTo(1);
            assertThat(version1.path("Status").asText()).isEqualTo("AVAILABLE");
            UUID v1 = UUID.fromString(version1.path("SchemaVersionId").asText());
            assertThat(reader.values).extracting(GlueRecordDecoder::schemaVersionId).containsOnly(v1);

            // a column with a default: Debezium's value schema gains an optional field with that default, which
            // BACKWARD accepts, so the converter registers version 2 and the records after it name it
            sql("ALTER TABLE public.customers ADD COLUMN tier VARCHAR(16) DEFAULT 'basic'",
                    "INSERT INTO public.customers (id, name, email, tier) VALUES (4, 'dave', 'dave@example.com', 'gold')",
                    "INSERT INTO public.customers (id, name, email) VALUES (5, 'erin', 'erin@example.com')");
            List<JsonNode> all = reader.awaitIds(range(1, 5), CdcScenario.EVENT_TIMEOUT);
            assertThat(last(all, 4).path("after").path("tier").asText()).isEqualTo("gold");
            assertThat(last(all, 4).path("after").path("name").asText()).isEqualTo("dave");
            assertThat(last(all, 5).path("after").path("tier").asText()).as("the column's default").isEqualTo("basic");
            assertThat(last(all, 1).path("after").has("tier")).as("events before the change keep their schema")
                    .isFalse();

            JsonNode version2 = schemaVersion(topic, 0);
            assertThat(version2.path("VersionNumber").asInt()).isEqualTo(2);
            assertThat(version2.path("Status").asText()).isEqualTo("AVAILABLE");
            assertThat(version2.path("SchemaDefinition").asText()).contains("\"tier\"");
            assertThat(schemaVersion(topic, 1).path("SchemaVersionId").asText()).isEqualTo(v1.toString());
            UUID v2 = UUID.fromString(version2.path("SchemaVersionId").asText());
            assertThat(GlueRecordDecoder.schemaVersionId(reader.values.get(reader.values.size() - 1))).isEqualTo(v2);
            assertThat(GlueRecordDecoder.schemaVersionId(reader.values.get(0))).isEqualTo(v1);
        }
    }

    @Test
    @Order(1) // first: the tests after it reach aws-local through the port Docker published again on its return
    void anUnreachableRegistryFailsTheTaskNamingItAndSelfHealingLosesNoRow() throws Exception {
        String topic = "glue_outage.public.orders";
        sql("CREATE TABLE public.orders (id INT PRIMARY KEY, item VARCHAR(64))",
                "INSERT INTO public.orders VALUES (1, 'item-1'), (2, 'item-2'), (3, 'item-3')");
        ConnectRest rest = worker.rest();
        assertThat(rest.createConnector("glue-outage", connector("glue_outage", "orders")).status()).isEqualTo(201);
        rest.awaitRunning("glue-outage", Duration.ofSeconds(90));
        try (RawTopic reader = new RawTopic(topic)) {
            reader.awaitIds(range(1, 3), CdcScenario.EVENT_TIMEOUT);

            // the registry goes away (off the worker's network); the next new schema needs it
            var docker = DockerClientFactory.instance().client();
            docker.disconnectFromNetworkCmd().withNetworkId(Stack.network().getId())
                    .withContainerId(aws.getContainerId()).exec();
            sql("ALTER TABLE public.orders ADD COLUMN qty INT DEFAULT 1",
                    "INSERT INTO public.orders VALUES (4, 'item-4', 4), (5, 'item-5', 5)");
            String status = rest.awaitFailed("glue-outage", Duration.ofSeconds(90), "task with the registry away");
            assertThat(status).contains("AWS Glue Schema Registry 'cdc' (region eu-west-1, endpoint http://aws:4566)")
                    .contains("cannot register or look up the schema of topic '" + topic + "'")
                    .contains("Unable to execute HTTP request")
                    .doesNotContain(LocalAws.SECRET_ACCESS_KEY);

            docker.connectToNetworkCmd().withNetworkId(Stack.network().getId()).withContainerId(aws.getContainerId())
                    .withContainerNetwork(new ContainerNetwork().withAliases("aws")).exec();
            decoder.close();
            decoder = newDecoder(); // the port the host reaches aws-local on changed with the reconnection
            sql("INSERT INTO public.orders VALUES (6, 'item-6', 6)");
            List<JsonNode> all = reader.awaitIds(range(1, 6), Duration.ofSeconds(120));
            assertThat(afterIds(all)).as("no row lost").isEqualTo(range(1, 6));
            assertThat(last(all, 4).path("after").path("qty").asInt()).isEqualTo(4);
            assertThat(last(all, 1).path("after").has("qty")).isFalse();
            assertThat(schemaVersion(topic, 0).path("VersionNumber").asInt()).isEqualTo(2);
            rest.awaitRunning("glue-outage", Duration.ofSeconds(30));
        }
        assertThat(worker.getLogs()).contains("Self-healing: restarted FAILED task glue-outage-0");
    }

    @Test
    @Order(3)
    void aWrongSecretKeyIsRefusedByTheSignatureCheckAndNamedWithoutTheKey() throws Exception {
        sql("CREATE TABLE public.invoices (id INT PRIMARY KEY, total INT)", "INSERT INTO public.invoices VALUES (1, 10)");
        // static keys in the environment come before the task role in the SDK's chain: a wrong secret for a known key
        ConnectWorker wrongKey = new ConnectWorker("glue-wrong-key").alsoOn(aws.taskNetwork());
        LocalAwsContainer.workerEnvironment().forEach(wrongKey::withEnv);
        wrongKey.withEnv("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID).withEnv("AWS_SECRET_ACCESS_KEY", WRONG_SECRET)
                .withEnv("CONNECT_HEALTH_AUTORESTART_ENABLED", "false");
        try {
            wrongKey.start();
            ConnectRest rest = wrongKey.rest();
            assertThat(rest.createConnector("glue-wrong-key", connector("wrongkey", "invoices")).status()).isEqualTo(201);
            String status = rest.awaitFailed("glue-wrong-key", Duration.ofSeconds(90), "task with a wrong secret key");
            assertThat(status).contains("AWS Glue Schema Registry 'cdc' (region eu-west-1, endpoint http://aws:4566)")
                    .contains("The request signature we calculated does not match the signature you provided")
                    .doesNotContain(WRONG_SECRET);
            assertThat(wrongKey.getLogs()).doesNotContain(WRONG_SECRET);
        } finally {
            wrongKey.stop();
        }
    }
}
