package io.connectaws.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows the connectors capture and the connector configurations, the same for both images. One row of
 * {@code orders} is about 120 bytes in the table (an id, a customer, a status, an amount, a 64-character note, a
 * timestamp); nothing in a connector configuration is tuned, so each image runs with its own defaults.
 */
final class Workloads {

    static final String ORDERS_DDL = "CREATE TABLE IF NOT EXISTS public.orders (id bigserial PRIMARY KEY, customer_id int NOT NULL,"
            + " status text NOT NULL, amount numeric(12,2) NOT NULL, note text NOT NULL,"
            + " created_at timestamptz NOT NULL DEFAULT now())";
    private static final String ORDERS_ROWS = "SELECT g %% 1000, 'NEW', (g %% 100000) / 100.0, md5(g::text) || md5((g + 1)::text), now()"
            + " FROM generate_series(1, %d) g";

    private final Lab lab;

    Workloads(Lab lab) {
        this.lab = lab;
    }

    /** Creates database {@code name} (if absent) with an empty {@code orders} table and a {@code ping} table. */
    void postgresDatabase(String name) throws SQLException {
        try (Connection c = lab.pg("postgres"); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (!r.next()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        }
        try (Connection c = lab.pg(name); Statement s = c.createStatement()) {
            s.execute(ORDERS_DDL);
            s.execute("CREATE TABLE IF NOT EXISTS public.ping (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
            s.execute("ALTER TABLE public.orders REPLICA IDENTITY DEFAULT");
        }
    }

    /** Inserts {@code rows} orders in one transaction into {@code table}; returns the wall-clock millis after commit. */
    long insertOneTransaction(String database, String table, int rows) throws SQLException {
        try (Connection c = lab.pg(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " (customer_id, status, amount, note, created_at) "
                    + String.format(ORDERS_ROWS, rows));
            return System.currentTimeMillis();
        }
    }

    /** Inserts {@code rows} orders in transactions of {@code perTransaction} rows, committed one after the other. */
    void insertSmallTransactions(String database, int rows, int perTransaction) throws SQLException {
        try (Connection c = lab.pg(database); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN FOR i IN 1.." + (rows / perTransaction) + " LOOP "
                    + "INSERT INTO public.orders (customer_id, status, amount, note, created_at) "
                    + String.format(ORDERS_ROWS, perTransaction) + "; COMMIT; END LOOP; END $$");
        }
    }

    /**
     * Inserts {@code rows} orders in transactions of {@code perTransaction} rows, paced to {@code rowsPerSecond} by the
     * database's clock (each commit waits for its slot; a late one is not made up by a burst).
     */
    void insertPacedTransactions(String database, int rows, int perTransaction, int rowsPerSecond) throws SQLException {
        double gapSeconds = perTransaction / (double) rowsPerSecond;
        try (Connection c = lab.pg(database); Statement s = c.createStatement()) {
            s.execute("DO $$ DECLARE t0 timestamptz := clock_timestamp(); BEGIN FOR i IN 1.." + (rows / perTransaction)
                    + " LOOP INSERT INTO public.orders (customer_id, status, amount, note, created_at) "
                    + String.format(ORDERS_ROWS, perTransaction) + "; COMMIT; PERFORM pg_sleep(GREATEST(0, EXTRACT(EPOCH FROM"
                    + " t0 + i * interval '" + String.format(java.util.Locale.ROOT, "%.6f", gapSeconds)
                    + " seconds' - clock_timestamp()))); END LOOP; END $$");
        }
    }

    /** Copies {@code rows} orders into {@code table} of {@code database} (a table of its own, created here). */
    void postgresTable(String database, String table, int rows) throws SQLException {
        try (Connection c = lab.pg(database); Statement s = c.createStatement()) {
            s.execute(ORDERS_DDL.replace("public.orders", table));
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                r.next();
                if (r.getLong(1) == rows) {
                    return;
                }
            }
            s.execute("TRUNCATE " + table);
            s.execute("INSERT INTO " + table + " (customer_id, status, amount, note, created_at) "
                    + String.format(ORDERS_ROWS, rows));
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    void ping(String database) throws SQLException {
        try (Connection c = lab.pg(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO public.ping DEFAULT VALUES");
        }
    }

    /** Drops every replication slot no connection uses (the connectors' slots once their workers are gone). */
    void dropInactiveSlots() throws SQLException {
        Map<String, List<String>> byDatabase = new LinkedHashMap<>();
        try (Connection c = lab.pg("postgres"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT database, slot_name FROM pg_replication_slots WHERE NOT active")) {
            while (r.next()) {
                byDatabase.computeIfAbsent(r.getString(1), d -> new ArrayList<>()).add(r.getString(2));
            }
        }
        for (var entry : byDatabase.entrySet()) {
            try (Connection c = lab.pg(entry.getKey()); Statement s = c.createStatement()) {
                for (String slot : entry.getValue()) {
                    s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
                }
            }
        }
    }

    /** The MariaDB side: {@code bench.orders} and {@code bench.ping}, empty. */
    void mariadbTables() throws SQLException {
        try (Connection c = lab.maria("bench"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id bigint AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL,"
                    + " status varchar(16) NOT NULL, amount decimal(12,2) NOT NULL, note varchar(128) NOT NULL,"
                    + " created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))");
            s.execute("CREATE TABLE IF NOT EXISTS ping (id int AUTO_INCREMENT PRIMARY KEY, at timestamp(3) DEFAULT CURRENT_TIMESTAMP(3))");
        }
    }

    long mariadbOneTransaction(int rows) throws SQLException {
        try (Connection c = lab.maria("bench"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (customer_id, status, amount, note, created_at) SELECT seq % 1000, 'NEW',"
                    + " (seq % 100000) / 100.0, CONCAT(MD5(seq), MD5(seq + 1)), NOW(3) FROM seq_1_to_" + rows);
            return System.currentTimeMillis();
        }
    }

    void mariadbPing() throws SQLException {
        try (Connection c = lab.maria("bench"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ping () VALUES ()");
        }
    }

    /** A Debezium PostgreSQL connector with nothing but the required settings. */
    static Map<String, String> postgres(String database, String prefix, String slot, String tables, String snapshotMode) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", "postgres");
        c.put("database.port", "5432");
        c.put("database.user", "postgres");
        c.put("database.password", Lab.PG_PASSWORD);
        c.put("database.dbname", database);
        c.put("topic.prefix", prefix);
        c.put("slot.name", slot);
        c.put("plugin.name", "pgoutput");
        c.put("table.include.list", tables);
        c.put("snapshot.mode", snapshotMode);
        return c;
    }

    /** A Debezium MariaDB connector with nothing but the required settings. */
    static Map<String, String> mariadb(String prefix, int serverId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", "mariadb");
        c.put("database.port", "3306");
        c.put("database.user", "root");
        c.put("database.password", Lab.MARIADB_PASSWORD);
        c.put("database.server.id", Integer.toString(serverId));
        c.put("topic.prefix", prefix);
        c.put("database.include.list", "bench");
        c.put("table.include.list", "bench.orders,bench.ping");
        c.put("snapshot.mode", "no_data");
        c.put("schema.history.internal.kafka.bootstrap.servers", Lab.KAFKA_INTERNAL);
        c.put("schema.history.internal.kafka.topic", prefix + "-history");
        return c;
    }
}
