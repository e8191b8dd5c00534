package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL (pgoutput logical decoding) through the product image into Kafka. */
class PostgresCdcIT extends CdcScenario {

    static final String POSTGRES_HOST = "postgres";

    static PostgreSQLContainer postgres;
    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        Stack.kafka();
        postgres = newPostgres();
        worker = new ConnectWorker("pg-cdc");
        Startables.deepStart(postgres, worker).join();
    }

    /** PostgreSQL with logical decoding, reachable as {@code postgres:5432} on the network. */
    static PostgreSQLContainer newPostgres() {
        return new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases(POSTGRES_HOST)
                .withDatabaseName("inventory")
                .withUsername("cdc")
                .withPassword("cdc-secret")
                // The official image needs these; the project's image has them as defaults too.
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical",
                        "-c", "max_replication_slots=20", "-c", "max_wal_senders=20");
    }

    /** Connector config for a table of the database above. */
    static Map<String, String> postgresConnector(String slot, String topicPrefix, String table) {
        return Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", POSTGRES_HOST),
                Map.entry("database.port", "5432"),
                Map.entry("database.user", "cdc"),
                Map.entry("database.password", "cdc-secret"),
                Map.entry("database.dbname", "inventory"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", slot),
                Map.entry("publication.name", slot + "_pub"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("topic.prefix", topicPrefix),
                Map.entry("table.include.list", table));
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, postgres);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }

    @Override
    protected List<String> createTable() {
        return List.of("CREATE TABLE public.customers (id INT PRIMARY KEY, name VARCHAR(64), email VARCHAR(128))",
                // the before image of an update carries every column only with a full replica identity
                "ALTER TABLE public.customers REPLICA IDENTITY FULL");
    }

    @Override
    protected String table() {
        return "public.customers";
    }

    @Override
    protected Map<String, String> connectorConfig() {
        return postgresConnector("it_cdc", "pg", "public.customers");
    }

    @Override
    protected String topic() {
        return "pg.public.customers";
    }

    @Test
    void snapshotInsertUpdateDeleteAndTombstoneReachKafka() throws Exception {
        runScenario(worker.rest(), "pg-inventory");
    }

    /**
     * The image's default converter (io.connectaws.json.SchemaCachingJsonConverter) against Kafka's JsonConverter:
     * every key and value it wrote, read back into Connect data by the stock converter and written again by it, gives
     * the same bytes; decimals, temporal types, bytea, json and arrays included.
     */
    @Test
    void theDefaultConverterWritesWhatKafkasJsonConverterWrites() throws Exception {
        execute("CREATE TABLE public.products (id INT PRIMARY KEY, name TEXT, price NUMERIC(12,2), weight DOUBLE PRECISION,"
                        + " added TIMESTAMP, launched DATE, active BOOLEAN, photo BYTEA, attrs JSONB, tags TEXT[])",
                "INSERT INTO public.products VALUES (1, 'caf\u00e9 \"quoted\"', 12.50, 0.25, '2026-11-21 10:00:00.123456',"
                        + " '2026-01-31', true, '\\x00ff10', '{\"k\": [1, 2]}', ARRAY['a', 'b'])",
                "INSERT INTO public.products VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        Map<String, String> config = new HashMap<>(postgresConnector("it_json", "pgj", "public.products"));
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        ConnectRest.Reply created = worker.rest().createConnector("pg-json", config);
        assertThat(created.status()).as("create connector: %s", created.body()).isEqualTo(201);
        worker.rest().awaitRunning("pg-json", Duration.ofSeconds(90));
        execute("INSERT INTO public.products VALUES (3, 'x', 99999.99, -1e300, '1970-01-01 00:00:00', '1900-02-28', false,"
                        + " '\\x', '[]', '{}')",
                "UPDATE public.products SET price = 0.01 WHERE id = 1", "DELETE FROM public.products WHERE id = 2");

        // the worker ran the image's default converter (Connect logs the worker config it started with)
        assertThat(worker.getLogs()).contains("value.converter = class io.connectaws.json.SchemaCachingJsonConverter");
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of(), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of(), false);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                "bootstrap.servers", Stack.kafka().getBootstrapServers(), "group.id", "it-json",
                "auto.offset.reset", "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("pgj.public.products"));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
            // 2 snapshot reads, insert, update, delete and its tombstone
            while (records.size() < 6 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).hasSize(6);
            for (var r : records) {
                assertRewritesTheSame(keys, r.topic(), r.key());
                if (r.value() != null) {
                    assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .startsWith("{\"schema\":{").contains(",\"payload\":{");
                    assertRewritesTheSame(values, r.topic(), r.value());
                }
            }
        }
    }

    private static void assertRewritesTheSame(JsonConverter stock, String topic, byte[] written) {
        SchemaAndValue data = stock.toConnectData(topic, written);
        byte[] again = stock.fromConnectData(topic, data.schema(), data.value());
        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(new String(again, StandardCharsets.UTF_8));
    }
}
