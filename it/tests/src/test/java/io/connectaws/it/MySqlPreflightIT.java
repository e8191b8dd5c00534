package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The source database pre-flight against a real MySQL (issue 20): what MariaDB cannot show, GTID filters on a server
 * without GTID mode, next to binlog_format STATEMENT and a ready server. Skipped with the reason where {@code mysql}
 * cannot be pulled (see {@link MySqlCdcIT}).
 */
class MySqlPreflightIT {

    static final String HOST = "preflight-mysql";
    static final String PASSWORD = "cdc-secret";

    static Optional<String> unavailable;
    static MySQLContainer mysql;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws SQLException {
        unavailable = Images.unavailable(Images.mysql());
        unavailable.ifPresent(reason -> System.out.println("SKIPPED MySQL pre-flight: " + reason));
        if (unavailable.isPresent()) {
            return;
        }
        Stack.kafka();
        mysql = new MySQLContainer(Images.mysql())
                .withNetwork(Stack.network())
                .withNetworkAliases(HOST)
                .withDatabaseName("inventory")
                .withUsername("root")
                .withPassword(PASSWORD)
                .withConfigurationOverride("mysql-cdc");
        worker = new ConnectWorker("mysql-pf");
        Startables.deepStart(mysql, worker).join();
        root("CREATE TABLE inventory.customers (id INT PRIMARY KEY, name VARCHAR(64))");
    }

    @BeforeEach
    void requireImage() {
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "the MySQL pre-flight needs a MySQL image: "
                + unavailable.orElse("") + " (set -Dit.image.mysql=<image> where one can be pulled)");
    }

    @AfterEach
    void restore() throws SQLException {
        if (unavailable.isEmpty()) {
            root("SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mysql);
    }

    static void root(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(mysql.getJdbcUrl(), "root", PASSWORD);
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static Map<String, String> connector(String prefix, String serverId) {
        return new HashMap<>(CdcScenario.withJsonAndTopicCreation(Map.of(
                "connector.class", "io.debezium.connector.mysql.MySqlConnector",
                "database.hostname", HOST, "database.port", "3306",
                "database.user", "root", "database.password", PASSWORD,
                "database.server.id", serverId, "database.include.list", "inventory",
                "table.include.list", "inventory.customers", "topic.prefix", prefix)));
    }

    @Test
    void gtidFiltersWithoutGtidModeAreRefusedWithTheStepwiseFix() {
        Map<String, String> config = connector("mysql_pf_gtid", "5701");
        config.put("gtid.source.includes", ".*");
        ConnectRest.Reply refused = worker.rest().createConnector("mysql-pf-gtid", config);
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("gtid_mode is 'OFF'").contains("gtid.source.includes")
                .contains("enforce_gtid_consistency");
    }

    @Test
    void binlogFormatStatementIsRefused() throws SQLException {
        root("SET GLOBAL binlog_format = 'STATEMENT'");
        ConnectRest.Reply refused = worker.rest().createConnector("mysql-pf-stmt", connector("mysql_pf_stmt", "5702"));
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("binlog_format is 'STATEMENT'").contains("SET GLOBAL binlog_format = 'ROW'");
    }

    @Test
    void aReadyServerCreatesARunningConnector() {
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("mysql-pf-ready", connector("mysql_pf_ready", "5703"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("mysql-pf-ready", Duration.ofSeconds(90));
        rest.call("DELETE", "/connectors/mysql-pf-ready", null);
    }
}
