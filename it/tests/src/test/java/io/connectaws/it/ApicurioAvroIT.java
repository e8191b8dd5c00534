package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.serde.SerdeConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL change events in Avro through Apicurio Registry, with the image's Apicurio converter plugin and a
 * worker configured the way a Debezium task definition does it ({@code ENABLE_APICURIO_CONVERTERS=true},
 * {@code APICURIO_REGISTRY=...}). Records are decoded with Apicurio's own deserializer, field by field against the
 * rows; a column added with a default registers a second schema version; a registry that goes away fails the task
 * with a message naming it, and self-healing brings it back without losing a row; registry credentials come from
 * Secrets Manager (it/aws-local) and wrong ones fail the task with a clear message.
 */
class ApicurioAvroIT {

    static final String REGISTRY_USER = "connect";
    static final String REGISTRY_PASSWORD = "registry-pw-5e1c07";
    static final String WRONG_PASSWORD = "not-the-password-9d2b44";
    static final Duration EVENTS = Duration.ofSeconds(60);

    static PostgreSQLContainer postgres;
    static ApicurioRegistryContainer registry;
    static ApicurioRegistryContainer guardedRegistry;
    static LocalAwsContainer aws;
    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases("avro-postgres")
                .withDatabaseName("shop")
                .withUsername("cdc")
                .withPassword("cdc-secret")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical");
        registry = ApicurioRegistryContainer.standIn("apicurio", Map.of());
        guardedRegistry = ApicurioRegistryContainer.standIn("apicurio-auth", Map.of(
                "APICURIO_LOCAL_USERNAME", REGISTRY_USER, "APICURIO_LOCAL_PASSWORD", REGISTRY_PASSWORD));
        aws = new LocalAwsContainer();
        Startables.deepStart(postgres, registry, guardedRegistry, aws).join();
        try (var secrets = aws.secretsManager()) {
            secrets.createSecret(r -> r.name("registry/connect")
                    .secretString("{\"password\":\"" + REGISTRY_PASSWORD + "\"}"));
            secrets.createSecret(r -> r.name("registry/stale").secretString("{\"password\":\"" + WRONG_PASSWORD + "\"}"));
        }

        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("avro"));
        env.putAll(LocalAwsContainer.workerEnvironment());
        // Debezium's image variables: the Apicurio converters on, Avro through this registry for every connector
        env.put("ENABLE_APICURIO_CONVERTERS", "true");
        env.put("APICURIO_REGISTRY", registry.urlOnStack());
        // self-healing restarts at once, then after 2 s, 6 s, ... (the image's unit is a minute)
        env.put("CONNECT_HEALTH_AUTORESTART_BACKOFF_UNIT_MS", "1000");
        env.put("CONNECT_HEALTH_CHECK_INTERVAL_MS", "1000");
        worker = new ConnectWorker("avro-worker", env).alsoOn(aws.taskNetwork());
        worker.start();
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, aws, guardedRegistry, registry, postgres);
    }

    @Test
    void snapshotStreamingAndANewColumnDecodeFieldByFieldWithTheRegistrysDeserializer() throws Exception {
        sql("CREATE TABLE public.customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128))",
                "INSERT INTO public.customers VALUES (1, 'alice', 'alice@example.com'), (2, 'bob', NULL)");
        create("avro-customers", connector("avro_customers", "avro", "public.customers"));
        // the same table as JSON with schemas, for the size comparison (per-connector converters beat the worker's)
        Map<String, String> json = connector("json_customers", "json", "public.customers");
        json.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        json.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        json.put("value.converter.schemas.enable", "true");
        create("json-customers", json);
        assertThat(worker.getLogs()).contains("value.converter = class io.apicurio.registry.utils.converter.AvroConverter");

        try (AvroTopicReader reader = new AvroTopicReader(Stack.kafka().getBootstrapServers(), "avro.public.customers",
                AvroTopicReader.registry(registry.urlFromHost()))) {
            List<AvroTopicReader.Event> snapshot = reader.awaitCount(2, EVENTS);
            assertThat(snapshot).extracting(AvroTopicReader.Event::op).containsExactly("r", "r");
            assertMatchesRows(snapshot);
            assertThat(snapshot.get(1).after().get("email")).as("NULL stays null").isNull();

            sql("INSERT INTO public.customers VALUES (3, 'carol', 'carol@example.com')",
                    "UPDATE public.customers SET name = 'alice-renamed' WHERE id = 1");
            List<AvroTopicReader.Event> streamed = reader.awaitCount(4, EVENTS);
            assertThat(streamed.subList(2, 4)).extracting(AvroTopicReader.Event::op).containsExactly("c", "u");
            assertThat(streamed.get(2).after().getSchema().getField("tier")).isNull();
            assertThat(versions("avro.public.customers-value")).as("one schema version so far").hasSize(1);

            sql("ALTER TABLE public.customers ADD COLUMN tier VARCHAR(16) NOT NULL DEFAULT 'basic'",
                    "INSERT INTO public.customers VALUES (4, 'dave', 'dave@example.com', 'gold')",
                    "UPDATE public.customers SET email = 'bob@example.com' WHERE id = 2");
            List<AvroTopicReader.Event> all = reader.awaitCount(6, EVENTS);
            assertThat(all.subList(4, 6)).extracting(AvroTopicReader.Event::op).containsExactly("c", "u");
            assertThat(all.get(4).after().get("tier").toString()).isEqualTo("gold");
            assertThat(all.get(5).after().get("tier").toString()).as("the column's default").isEqualTo("basic");
            List<JsonNode> versions = versions("avro.public.customers-value");
            assertThat(versions).as("ADD COLUMN ... DEFAULT registered a second version").hasSize(2);
            assertThat(versions.get(1).path("globalId").asLong()).isGreaterThan(versions.get(0).path("globalId").asLong());
            // each row's last event, before and after the new version, holds what the table holds
            assertMatchesRows(all);

            AvroTopicReader.Event one = all.get(0);
            System.out.printf("Avro record: value %d bytes, headers %s (the apicurio.* ones %d bytes)%n",
                    one.valueBytes(), one.headerKeys(), one.headerBytes());
            assertThat(one.headerKeys()).contains("apicurio.key.globalId", "apicurio.value.globalId");
            double avro = all.subList(0, 2).stream().mapToInt(e -> e.valueBytes() + e.headerBytes()).average().orElseThrow();
            double withSchemas = jsonSnapshotValueBytes("json.public.customers", 2);
            System.out.printf("Per snapshot event in Kafka: Avro %.0f bytes (value + apicurio.* headers), JSON with schemas "
                    + "%.0f bytes: %.2fx%n", avro, withSchemas, withSchemas / avro);
            assertThat(avro).isLessThan(withSchemas / 3);
        }
    }

    @Test
    void aRegistryThatIsDownFailsTheTaskNamingItAndSelfHealingLosesNoRow() throws Exception {
        sql("CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
        insertOrders(1, 20);
        create("avro-orders", connector("avro_orders", "apicurio_outage", "public.orders"));
        try (AvroTopicReader reader = new AvroTopicReader(Stack.kafka().getBootstrapServers(), "apicurio_outage.public.orders",
                AvroTopicReader.registry(registry.urlFromHost()))) {
            reader.await(e -> ids(e).containsAll(range(1, 20)), EVENTS, "rows 1-20");

            // the registry's process is down (connections refused) for 25 s, its state kept
            registry.outage(Duration.ofSeconds(25));
            Instant down = Instant.now();
            // a new column needs a new schema version, so the next record needs the registry
            sql("ALTER TABLE public.orders ADD COLUMN qty INT NOT NULL DEFAULT 1");
            insertOrders(21, 40);
            String failure = worker.rest().awaitFailed("avro-orders", Duration.ofSeconds(20), "registry outage");
            System.out.printf("Task status %d s into the registry outage: %s%n",
                    Duration.between(down, Instant.now()).toSeconds(), failure);
            insertOrders(41, 60);
            assertThat(failure).contains("Apicurio Registry at http://apicurio:8080/apis/registry/v2")
                    .contains("cannot be reached").contains("ConnectException");
            reader.await(e -> ids(e).containsAll(range(1, 60)), Duration.ofSeconds(90), "rows 1-60 after healing");
            worker.rest().awaitRunning("avro-orders", Duration.ofSeconds(30));
            assertThat(worker.getLogs()).contains("Self-healing: restarted FAILED task avro-orders-0");
            Map<Integer, Long> counts = reader.await(e -> true, EVENTS, "").stream()
                    .collect(Collectors.groupingBy(AvroTopicReader.Event::id, TreeMap::new, Collectors.counting()));
            assertThat(counts.keySet()).as("every row, none lost").isEqualTo(range(1, 60));
            System.out.printf("after the outage: %d records for %d rows%n",
                    counts.values().stream().mapToLong(Long::longValue).sum(), counts.size());
        }
    }

    @Test
    void registryCredentialsComeFromSecretsManagerAndWrongOnesFailTheTaskClearly() throws Exception {
        sql("CREATE TABLE public.payments (id INT PRIMARY KEY, amount NUMERIC(10,2))",
                "INSERT INTO public.payments VALUES (1, 9.99), (2, 120.00)");
        create("avro-guarded", guarded(connector("avro_guarded", "guarded", "public.payments"), "registry/connect"));
        Map<String, Object> serde = new HashMap<>(AvroTopicReader.registry(guardedRegistry.urlFromHost()));
        serde.put(SerdeConfig.AUTH_USERNAME, REGISTRY_USER);
        serde.put(SerdeConfig.AUTH_PASSWORD, REGISTRY_PASSWORD);
        try (AvroTopicReader reader = new AvroTopicReader(Stack.kafka().getBootstrapServers(), "guarded.public.payments",
                serde)) {
            List<AvroTopicReader.Event> events = reader.awaitCount(2, EVENTS);
            assertThat(events).extracting(AvroTopicReader.Event::id).containsExactly(1, 2);
        }

        ConnectRest.Reply created = worker.rest().createConnector("avro-stale",
                guarded(connector("avro_stale", "stale", "public.payments"), "registry/stale"));
        assertThat(created.status()).as("created: %s", created.body()).isEqualTo(201);
        String failure = worker.rest().awaitFailed("avro-stale", Duration.ofSeconds(60), "wrong registry password");
        System.out.println("Task status with a wrong registry password: " + failure);
        assertThat(failure).doesNotContain(WRONG_PASSWORD).doesNotContain(REGISTRY_PASSWORD);
        assertThat(worker.rest().get("/connectors/avro-stale/config").body().toString())
                .contains("${secretsmanager:registry/stale:password}").doesNotContain(WRONG_PASSWORD);
        assertThat(worker.getLogs()).doesNotContain(WRONG_PASSWORD).doesNotContain(REGISTRY_PASSWORD);
        worker.rest().call("DELETE", "/connectors/avro-stale", null);
    }

    /** The same snapshot and schema evolution against the official registry image, when one is given. */
    @Test
    void theOfficialRegistryImageWhenGiven() throws Exception {
        String image = System.getProperty("it.image.apicurio", "");
        Assumptions.assumeFalse(image.isBlank(), "it.image.apicurio not given (e.g. "
                + "-Dit.image.apicurio=apicurio/apicurio-registry-mem:2.6.13.Final): no official registry image here; "
                + "the other tests ran against the it/apicurio-local stand-in");
        Images.unavailable(DockerImageName.parse(image)).ifPresent(reason -> Assumptions.abort(reason));
        try (ApicurioRegistryContainer official = new ApicurioRegistryContainer(DockerImageName.parse(image),
                "apicurio-official", Map.of("REGISTRY_RULES_GLOBAL_COMPATIBILITY", "BACKWARD"))) {
            official.start();
            sql("CREATE TABLE public.items (id INT PRIMARY KEY, title TEXT)", "INSERT INTO public.items VALUES (1, 'pen')");
            Map<String, String> config = connector("avro_official", "official", "public.items");
            for (String side : List.of("key", "value")) {
                config.put(side + ".converter", "io.apicurio.registry.utils.converter.AvroConverter");
                config.put(side + ".converter.apicurio.registry.url", official.urlOnStack());
                config.put(side + ".converter.apicurio.registry.auto-register", "true");
            }
            create("avro-official", config);
            try (AvroTopicReader reader = new AvroTopicReader(Stack.kafka().getBootstrapServers(),
                    "official.public.items", AvroTopicReader.registry(official.urlFromHost()))) {
                reader.awaitCount(1, EVENTS);
                sql("ALTER TABLE public.items ADD COLUMN stock INT NOT NULL DEFAULT 0",
                        "INSERT INTO public.items VALUES (2, 'ink', 5)");
                List<AvroTopicReader.Event> events = reader.awaitCount(2, EVENTS);
                assertThat(events.get(1).after().get("stock")).isEqualTo(5);
            }
        }
    }

    // ---- helpers ----

    static Map<String, String> connector(String slot, String prefix, String table) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("database.hostname", "avro-postgres");
        c.put("database.port", "5432");
        c.put("database.user", "cdc");
        c.put("database.password", "cdc-secret");
        c.put("database.dbname", "shop");
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", slot);
        c.put("publication.name", slot + "_pub");
        c.put("topic.prefix", prefix);
        c.put("table.include.list", table);
        c.put("topic.creation.default.replication.factor", "1");
        c.put("topic.creation.default.partitions", "1");
        return c;
    }

    /** Per-connector Avro converters on the registry with authentication, the password a Secrets Manager reference. */
    static Map<String, String> guarded(Map<String, String> config, String secret) {
        for (String side : List.of("key", "value")) {
            config.put(side + ".converter", "io.apicurio.registry.utils.converter.AvroConverter");
            config.put(side + ".converter.apicurio.registry.url", guardedRegistry.urlOnStack());
            config.put(side + ".converter.apicurio.registry.auto-register", "true");
            config.put(side + ".converter.apicurio.auth.username", REGISTRY_USER);
            config.put(side + ".converter.apicurio.auth.password", "${secretsmanager:" + secret + ":password}");
        }
        return config;
    }

    static void create(String name, Map<String, String> config) {
        ConnectRest.Reply created = worker.rest().createConnector(name, config);
        assertThat(created.status()).as("create %s: %s", name, created.body()).isEqualTo(201);
        worker.rest().awaitRunning(name, Duration.ofSeconds(90));
    }

    /**
     * The latest event of each row, field by field against {@code SELECT *} of the customers table; a column added
     * after that event ({@code tier}) must be absent from its schema, every other one equal.
     */
    static void assertMatchesRows(List<AvroTopicReader.Event> events) throws SQLException {
        Map<Integer, GenericRecord> latest = new TreeMap<>();
        events.forEach(e -> latest.put(e.id(), e.after()));
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT * FROM public.customers WHERE id IN ("
                     + latest.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")) + ")")) {
            int seen = 0;
            while (rows.next()) {
                GenericRecord after = latest.get(rows.getInt("id"));
                for (int col = 1; col <= rows.getMetaData().getColumnCount(); col++) {
                    String column = rows.getMetaData().getColumnName(col);
                    Object expected = rows.getObject(col);
                    if (after.getSchema().getField(column) == null) {
                        assertThat(column).as("row %d: only the added column may be missing", rows.getInt("id"))
                                .isEqualTo("tier");
                        continue;
                    }
                    Object actual = after.get(column);
                    assertThat(actual == null ? null : actual.toString()).as("row %d column %s", rows.getInt("id"), column)
                            .isEqualTo(expected == null ? null : expected.toString());
                }
                seen++;
            }
            assertThat(seen).isEqualTo(latest.size());
        }
    }

    /** The versions of an artifact, from the registry's v2 API. */
    static List<JsonNode> versions(String artifactId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                registry.urlFromHost() + "/groups/default/artifacts/" + artifactId + "/versions")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> versions = new java.util.ArrayList<>();
        ConnectRest.JSON.readTree(response.body()).path("versions").forEach(versions::add);
        return versions;
    }

    /** Mean value size of the first {@code count} records of a JSON-with-schemas topic. */
    static double jsonSnapshotValueBytes(String topic, int count) {
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers",
                Stack.kafka().getBootstrapServers(), "group.id", "it-size-" + java.util.UUID.randomUUID(),
                "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
            Instant deadline = Instant.now().plus(EVENTS);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records.size()).isGreaterThanOrEqualTo(count);
            String first = new String(records.get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(first).startsWith("{\"schema\":{");
            return records.subList(0, count).stream().mapToInt(r -> r.value().length).average().orElseThrow();
        }
    }

    static Set<Integer> ids(List<AvroTopicReader.Event> events) {
        return events.stream().map(AvroTopicReader.Event::id).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    static void insertOrders(int from, int to) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (int id = from; id <= to; id++) {
                s.execute("INSERT INTO public.orders (id, note) VALUES (" + id + ", 'order " + id + "')");
            }
        }
    }

    static Connection connection() throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
    }

    static void sql(String... statements) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
