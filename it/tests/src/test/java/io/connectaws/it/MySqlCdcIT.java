package io.connectaws.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mysql.MySQLContainer;

/**
 * MySQL through Debezium's MySQL connector. Needs a real MySQL server: MariaDB is not MySQL for
 * this connector (3.6.x sends SHOW BINARY LOG STATUS, which MariaDB rejects), and MySQL's server
 * binaries are not available from Debian. Skipped with the reason where {@code mysql} cannot be pulled.
 */
class MySqlCdcIT extends BinlogCdcScenario {

    static Optional<String> unavailable;
    static MySQLContainer mysql;
    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        unavailable = Images.unavailable(Images.mysql());
        unavailable.ifPresent(reason -> System.out.println("SKIPPED MySQL CDC: " + reason));
        if (unavailable.isPresent()) {
            return;
        }
        Stack.kafka();
        mysql = new MySQLContainer(Images.mysql())
                .withNetwork(Stack.network())
                .withNetworkAliases("mysql")
                .withDatabaseName("inventory")
                .withUsername("root")
                .withPassword("cdc-secret")
                .withConfigurationOverride("mysql-cdc");
        worker = new ConnectWorker("mysql-cdc");
        Startables.deepStart(mysql, worker).join();
    }

    @BeforeEach
    void requireImage() {
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "MySQL CDC needs a MySQL image: "
                + unavailable.orElse("") + " (set -Dit.image.mysql=<image> where one can be pulled)");
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mysql);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(mysql.getJdbcUrl(), "root", "cdc-secret");
    }

    @Override
    protected Map<String, String> connection() {
        return Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector", "database.hostname", "mysql",
                "database.user", "root", "database.password", "cdc-secret",
                "database.server.id", "5402", "topic.prefix", "mysql");
    }

    @Test
    void snapshotInsertUpdateDeleteAndTombstoneReachKafka() throws Exception {
        runScenario(worker.rest(), "mysql-inventory");
    }
}
