package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The source database pre-flight against real PostgreSQL through the product image (issue 20): each prerequisite the
 * test database can lack is an HTTP 400 naming the fix, for a connector created through REST and for a declared one,
 * before the connector exists; the ready database still gets its connector, and with the image's defaults a table
 * outside the connector, without a primary key, keeps taking the application's UPDATEs.
 */
class PostgresPreflightIT {

    static final String HOST = "pg-preflight";
    static final String REPLICA_HOST = "pg-walreplica";
    static final int MAX_SLOTS = 4;

    static PostgreSQLContainer postgres;
    static PostgreSQLContainer replicaLevel;
    static PostgreSQLContainer standby;
    static final String STANDBY_HOST = "pg-standby";
    static ConnectWorker worker;
    static DeclarationFiles files;

    @BeforeAll
    static void start() throws SQLException {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres()).withNetwork(Stack.network()).withNetworkAliases(HOST)
                .withDatabaseName("shop").withUsername("admin").withPassword("admin-secret")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical",
                        "-c", "max_replication_slots=" + MAX_SLOTS, "-c", "max_wal_senders=10");
        // the setting RDS shows until rds.logical_replication=1: physical replication only
        replicaLevel = new PostgreSQLContainer(Images.postgres()).withNetwork(Stack.network())
                .withNetworkAliases(REPLICA_HOST).withDatabaseName("shop").withUsername("admin")
                .withPassword("admin-secret").withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=replica");
        // a server in recovery, as a read replica is: initialised with a user and a table, then started with
        // standby.signal and no primary to follow (it serves reads and takes no writes, like an RDS read replica)
        standby = new PostgreSQLContainer(Images.postgres()).withNetwork(Stack.network())
                .withNetworkAliases(STANDBY_HOST).withDatabaseName("shop").withUsername("admin")
                .withPassword("admin-secret")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical", "-c", "hot_standby=on")
                .withCopyToContainer(Transferable.of("CREATE ROLE cdc LOGIN REPLICATION PASSWORD 'cdc-secret';\n"
                        + "CREATE TABLE public.orders (id INT PRIMARY KEY);\nGRANT SELECT ON public.orders TO cdc;\n"),
                        "/docker-entrypoint-initdb.d/10-schema.sql")
                .withCopyToContainer(Transferable.of("touch \"$PGDATA/standby.signal\"\n"),
                        "/docker-entrypoint-initdb.d/99-standby.sh")
                .waitingFor(Wait.forLogMessage(".*ready to accept read-only connections.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        files = new DeclarationFiles("preflight-declarations");
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("preflight"));
        env.put("CONNECT_DECLARATIONS_INTERVAL_MS", "2000");
        worker = files.mountOn(new ConnectWorker("preflight-worker", env));
        Startables.deepStart(postgres, replicaLevel, standby, worker).join();
        for (PostgreSQLContainer db : List.of(postgres, replicaLevel)) {
            execute(db, "CREATE ROLE cdc LOGIN REPLICATION PASSWORD 'cdc-secret'",
                    "CREATE ROLE app LOGIN PASSWORD 'app-secret'",
                    "CREATE ROLE reader LOGIN PASSWORD 'reader-secret'",
                    "GRANT CREATE ON DATABASE shop TO cdc",
                    "CREATE TABLE public.orders (id INT PRIMARY KEY, total NUMERIC(10,2))",
                    // an application table without a primary key, never captured: a log, a queue, a join table
                    "CREATE TABLE public.audit_log (at TIMESTAMP, note TEXT)",
                    "CREATE TABLE public.events (id INT, kind TEXT)",
                    "ALTER TABLE public.orders OWNER TO cdc", "ALTER TABLE public.events OWNER TO cdc",
                    "GRANT SELECT, UPDATE, INSERT, DELETE ON public.audit_log TO app",
                    "GRANT SELECT ON public.orders, public.events TO reader",
                    "INSERT INTO public.orders VALUES (1, 10.00)", "INSERT INTO public.audit_log VALUES (now(), 'one')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Stack.stop(worker, postgres, replicaLevel, standby);
        if (files != null) {
            files.close();
        }
    }

    /** A connector as a user writes it from Debezium's documentation: no publication settings, no plugin name. */
    static Map<String, String> connector(String host, String user, String password, String slot, String tables) {
        Map<String, String> config = new HashMap<>(CdcScenario.withJsonAndTopicCreation(Map.of(
                "connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "database.hostname", host, "database.port", "5432", "database.user", user,
                "database.password", password, "database.dbname", "shop", "slot.name", slot,
                "publication.name", slot + "_pub", "topic.prefix", slot, "table.include.list", tables)));
        return config;
    }

    @Test
    void logicalDecodingOffIsRefusedWithTheParameterToSet() {
        String error = refused("wal-replica", connector(REPLICA_HOST, "cdc", "cdc-secret", "walcheck", "public.orders"));
        assertThat(error).contains("wal_level is 'replica'").contains("ALTER SYSTEM SET wal_level = logical")
                .contains("rds.logical_replication=1");
    }

    @Test
    void aStandbyIsRefusedTheWritesItCannotTakeWithTheWayOut() {
        String error = refused("standby", connector(STANDBY_HOST, "cdc", "cdc-secret", "standbycheck", "public.orders"));
        assertThat(error).contains("is a standby (read replica)").contains("\"heartbeat.action.query\": \"\"")
                .contains("CREATE PUBLICATION standbycheck_pub FOR TABLE").contains("publication.autocreate.mode=disabled");
    }

    @Test
    void aUserWithoutTheReplicationRightIsRefused() {
        String error = refused("no-replication", connector(HOST, "reader", "reader-secret", "readercheck", "public.orders"));
        assertThat(error).contains("user 'reader' has no replication right").contains("ALTER ROLE reader REPLICATION;");
        assertThat(error).doesNotContain("reader-secret");
    }

    @Test
    void noFreeReplicationSlotIsRefusedNamingTheUnusedOnes() throws SQLException {
        List<String> fillers = new ArrayList<>();
        try {
            int used = count("SELECT count(*) FROM pg_replication_slots");
            for (int i = used; i < MAX_SLOTS; i++) {
                fillers.add("forgotten_" + i);
                execute(postgres, "SELECT pg_create_logical_replication_slot('forgotten_" + i + "', 'pgoutput')");
            }
            String error = refused("slots-full", connector(HOST, "cdc", "cdc-secret", "slotcheck", "public.orders"));
            assertThat(error).contains("all replication slots are in use (" + MAX_SLOTS + " of max_replication_slots="
                    + MAX_SLOTS + ")").contains(fillers.get(0)).contains("pg_drop_replication_slot")
                    .contains("ALTER SYSTEM SET max_replication_slots");
        } finally {
            for (String slot : fillers) {
                execute(postgres, "SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    @Test
    void aCapturedTableWithoutReplicaIdentityIsNamedWithItsFix() throws Exception {
        Map<String, String> config = connector(HOST, "cdc", "cdc-secret", "eventscheck", "public.orders,public.events");
        String error = refused("events-rest", config);
        assertThat(error).contains("table public.events has no primary key and no replica identity")
                .contains("ALTER TABLE public.events REPLICA IDENTITY FULL;");

        // the validate endpoint shows it on the key it concerns
        Map<String, String> named = new HashMap<>(config);
        named.put("name", "events-rest");
        ConnectRest.Reply validated = worker.rest().validate("PostgresConnector", named);
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.body().path("error_count").asInt()).isEqualTo(1);
        assertThat(errorsOf(validated.body(), "table.include.list")).as("%s", validated.body()).contains("ALTER TABLE public.events REPLICA IDENTITY FULL;");

        assertThat(count("SELECT count(*) FROM pg_publication WHERE pubname = 'eventscheck_pub'"))
                .as("the checks read only").isZero();
    }

    @Test
    void publishingAllTablesIsRefusedWhenAnUncapturedTableWouldLoseItsUpdates() {
        Map<String, String> config = connector(HOST, "admin", "admin-secret", "allcheck", "public.orders");
        config.put("publication.autocreate.mode", "all_tables");
        String error = refused("all-tables", config);
        assertThat(error).contains("public.audit_log").contains("ALTER TABLE public.audit_log REPLICA IDENTITY FULL;")
                .contains("publication.autocreate.mode=filtered");
    }

    @Test
    void withTheDefaultsTheReadyDatabaseGetsItsConnectorAndAnUncapturedTableKeepsItsUpdates() throws Exception {
        Map<String, String> config = connector(HOST, "cdc", "cdc-secret", "orderscdc", "public.orders");
        config.remove("publication.name");
        ConnectRest.Reply created = worker.rest().createConnector("orders", config);
        assertThat(created.status()).as("create: %s", created.body()).isEqualTo(201);
        worker.rest().awaitRunning("orders", Duration.ofSeconds(90));
        JsonNode stored = worker.rest().get("/connectors/orders/config").body();
        assertThat(stored.path("publication.autocreate.mode").asText()).isEqualTo("filtered");
        assertThat(stored.path("plugin.name").asText()).isEqualTo("pgoutput");
        assertThat(count("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'dbz_publication'"
                + " AND tablename <> 'orders'")).as("only the captured table is published").isZero();
        assertThat(count("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'dbz_publication'")).isOne();
        // the application's UPDATE and DELETE on its table without a primary key still work
        try (Connection app = DriverManager.getConnection(postgres.getJdbcUrl(), "app", "app-secret");
             Statement s = app.createStatement()) {
            assertThat(s.executeUpdate("UPDATE public.audit_log SET note = 'two'")).isOne();
            s.executeUpdate("INSERT INTO public.audit_log VALUES (now(), 'three')");
            assertThat(s.executeUpdate("DELETE FROM public.audit_log WHERE note = 'three'")).isOne();
        }
        // replacing the running connector: its own active slot is not "held by another"
        config.put("snapshot.mode", "no_data");
        ConnectRest.Reply replaced = worker.rest().call("PUT", "/connectors/orders/config", config);
        assertThat(replaced.status()).as("replace: %s", replaced.body()).isEqualTo(200);
        worker.rest().call("DELETE", "/connectors/orders", null);
    }

    @Test
    void aSlotAnotherClientReadsIsRefused() throws Exception {
        execute(postgres, "CREATE PUBLICATION external_pub FOR TABLE public.orders",
                "SELECT pg_create_logical_replication_slot('external', 'pgoutput')");
        try {
            // a reader outside this cluster (another Connect cluster, a forgotten pg_recvlogical): only the database sees it
            postgres.execInContainer("sh", "-c", "PGPASSWORD=admin-secret nohup pg_recvlogical -U admin -d shop --slot external --start --no-loop "
                    + "-o proto_version=1 -o publication_names=external_pub -f /dev/null >/dev/null 2>&1 &");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'external' AND active") == 0) {
                assertThat(System.nanoTime()).as("pg_recvlogical holds the slot").isLessThan(deadline);
                Thread.sleep(200);
            }
            String error = refused("slot-taken", connector(HOST, "cdc", "cdc-secret", "external", "public.orders"));
            assertThat(error).contains("replication slot 'external' is in use by another connection (pid");
        } finally {
            execute(postgres, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'external'"
                    + " AND active");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'external' AND active") > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            execute(postgres, "SELECT pg_drop_replication_slot('external')", "DROP PUBLICATION external_pub");
        }
    }

    /**
     * POSTs {@code config} as {@code name}, expects HTTP 400 and no connector; then declares the same config in a file
     * as {@code name-declared} and expects the reconciler's create to be refused with the same message. Returns it.
     */
    private static String refused(String name, Map<String, String> config) {
        ConnectRest.Reply reply = worker.rest().createConnector(name, config);
        assertThat(reply.status()).as("create %s: %s", name, reply.body()).isEqualTo(400);
        assertThat(worker.rest().get("/connectors/" + name).status()).isEqualTo(404);
        String message = reply.body().path("message").asText();
        String declared = name + "-declared";
        files.write(declared + ".json", DeclarationFiles.json(config));
        try {
            JsonNode report = worker.rest().await("/declarations",
                    r -> "failed".equals(DeclarationFiles.outcome(r.body(), declared)), Duration.ofSeconds(60),
                    "the declaration of " + declared + " refused").body();
            String detail = DeclarationFiles.entry(report, declared).path("detail").asText();
            String firstError = message.lines().skip(1).findFirst().orElseThrow();
            assertThat(detail).as("the declared connector's refusal").contains(firstError);
            assertThat(worker.rest().get("/connectors/" + declared).status()).isEqualTo(404);
        } finally {
            files.remove(declared + ".json");
        }
        return message;
    }

    private static String errorsOf(JsonNode infos, String key) {
        for (JsonNode c : infos.path("configs")) {
            if (key.equals(c.path("value").path("name").asText())) {
                return c.path("value").path("errors").toString();
            }
        }
        return "";
    }

    private static int count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "admin", "admin-secret");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(PostgreSQLContainer db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.getJdbcUrl(), "admin", "admin-secret");
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
