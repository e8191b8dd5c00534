package io.connectaws.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

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
}
