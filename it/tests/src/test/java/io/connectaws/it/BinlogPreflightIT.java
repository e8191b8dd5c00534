package io.connectaws.it;

import static io.connectaws.it.DeclarationFiles.entry;
import static io.connectaws.it.DeclarationFiles.outcome;
import static io.connectaws.it.DeclarationFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mariadb.MariaDBContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The source database pre-flight for binlog databases (issue 20), through the product image against a real MariaDB:
 * binlog_format STATEMENT refuses a REST-created and a declared connector with HTTP 400 naming the setting and its fix
 * (and the declared one is created once the database is fixed), binlog_row_image MINIMAL and a user without the
 * replication grants are refused, a ready database creates a RUNNING connector. One MariaDB and one worker for the
 * class; each test changes a global setting or a user and puts it back.
 */
class BinlogPreflightIT {

    static final String HOST = "preflight-mariadb";
    static final String ROOT_PASSWORD = "cdc-secret";
    static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(90);

    static MariaDBContainer mariadb;
    static ConnectWorker worker;
    static DeclarationFiles files;

    @BeforeAll
    static void start() throws SQLException {
        Stack.kafka();
        mariadb = new MariaDBContainer(Images.mariadb())
                .withNetwork(Stack.network())
                .withNetworkAliases(HOST)
                .withDatabaseName("inventory")
                .withUsername("cdc")
                .withPassword(ROOT_PASSWORD)
                .withConfigurationOverride("mariadb-cdc");
        files = new DeclarationFiles("binlog-preflight");
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("binlog-pf"));
        env.put("CONNECT_DECLARATIONS_INTERVAL_MS", "2000");
        worker = files.mountOn(new ConnectWorker("binlog-pf-worker", env));
        Startables.deepStart(mariadb, worker).join();
        root("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%'",
                "CREATE USER 'reader'@'%' IDENTIFIED BY 'reader-secret'",
                "GRANT SELECT, RELOAD, SHOW DATABASES ON *.* TO 'reader'@'%'",
                "CREATE TABLE inventory.customers (id INT PRIMARY KEY, name VARCHAR(64))",
                "INSERT INTO inventory.customers VALUES (1, 'first')");
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mariadb);
        if (files != null) files.close();
    }

    /** Every test leaves the server as Debezium needs it, whatever it asserted. */
    @AfterEach
    void restore() throws SQLException {
        root("SET GLOBAL binlog_format = 'ROW'", "SET GLOBAL binlog_row_image = 'FULL'");
    }

    static void root(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(mariadb.getJdbcUrl(), "root", ROOT_PASSWORD);
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static Map<String, String> connector(String name, String serverId) {
        return new HashMap<>(CdcScenario.withJsonAndTopicCreation(Map.of(
                "connector.class", "io.debezium.connector.mariadb.MariaDbConnector",
                "database.hostname", HOST,
                "database.port", "3306",
                "database.user", "cdc",
                "database.password", ROOT_PASSWORD,
                "database.server.id", serverId,
                "database.include.list", "inventory",
                "table.include.list", "inventory.customers",
                "topic.prefix", name)));
    }

    @Test
    void binlogFormatStatementRefusesARestAndADeclaredConnectorWithTheFixAndTheDeclaredOneIsCreatedOnceFixed()
            throws Exception {
        root("SET GLOBAL binlog_format = 'STATEMENT'");
        ConnectRest rest = worker.rest();

        ConnectRest.Reply refused = rest.createConnector("pf-statement", connector("pf_statement", "5601"));
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("Connector configuration is invalid")
                .contains("binlog_format is 'STATEMENT'").contains("so it must be 'ROW'")
                .contains("SET GLOBAL binlog_format = 'ROW'").doesNotContain(ROOT_PASSWORD);
        assertThat(rest.get("/connectors/pf-statement").status()).as("not created").isEqualTo(404);

        files.write("pf-declared.yaml", "name: pf-declared\nconfig:\n" + yaml(connector("pf_declared", "5602"), 2));
        JsonNode report = rest.await("/declarations", r -> "failed".equals(outcome(r.body(), "pf-declared")),
                Duration.ofSeconds(60), "the declaration of 'pf-declared' refused").body();
        assertThat(entry(report, "pf-declared").path("detail").asText()).contains("create refused")
                .contains("binlog_format is 'STATEMENT'").contains("SET GLOBAL binlog_format = 'ROW'");
        assertThat(rest.get("/connectors/pf-declared").status()).as("not created").isEqualTo(404);

        root("SET GLOBAL binlog_format = 'ROW'");
        rest.await("/declarations", r -> java.util.Set.of("applied", "unchanged").contains(outcome(r.body(), "pf-declared")), Duration.ofSeconds(60),
                "the declaration of 'pf-declared' applied once binlog_format is ROW");
        rest.awaitRunning("pf-declared", RUNNING_TIMEOUT);
        files.remove("pf-declared.yaml");
        rest.call("DELETE", "/connectors/pf-declared", null);
    }

    @Test
    void binlogRowImageMinimalIsRefusedWithItsFix() throws SQLException {
        root("SET GLOBAL binlog_row_image = 'MINIMAL'");
        ConnectRest.Reply refused = worker.rest().createConnector("pf-minimal", connector("pf_minimal", "5603"));
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("binlog_row_image is 'MINIMAL'").contains("so it must be 'FULL'")
                .contains("SET GLOBAL binlog_row_image = 'FULL'").doesNotContain("binlog_format is");
    }

    @Test
    void aUserWithoutTheReplicationGrantsIsRefusedWithTheGrantToRun() {
        Map<String, String> config = connector("pf_reader", "5604");
        config.put("database.user", "reader");
        config.put("database.password", "reader-secret");
        ConnectRest.Reply refused = worker.rest().createConnector("pf-reader", config);
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("user 'reader'@'%' lacks REPLICATION SLAVE and REPLICATION CLIENT")
                .contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'reader'@'%';")
                .doesNotContain("reader-secret");
    }

    @Test
    void aReadyDatabaseCreatesARunningConnector() {
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("pf-ready", connector("pf_ready", "5605"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("pf-ready", RUNNING_TIMEOUT);
        assertThat(worker.getLogs()).doesNotContain("Connector 'pf-ready': source database pre-flight");
        rest.call("DELETE", "/connectors/pf-ready", null);
    }
}
