package io.connectaws.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mariadb.MariaDBContainer;

/** MariaDB (ROW binlog) through Debezium's MariaDB connector in the product image into Kafka. */
class MariaDbCdcIT extends BinlogCdcScenario {

    static MariaDBContainer mariadb;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws SQLException {
        Stack.kafka();
        mariadb = new MariaDBContainer(Images.mariadb())
                .withNetwork(Stack.network())
                .withNetworkAliases("mariadb")
                .withDatabaseName("inventory")
                .withUsername("cdc")
                .withPassword("cdc-secret")
                .withConfigurationOverride("mariadb-cdc");
        worker = new ConnectWorker("maria-cdc");
        Startables.deepStart(mariadb, worker).join();
        // Least privilege Debezium documents for a binlog reader, granted the way a DBA would.
        try (Connection root = DriverManager.getConnection(mariadb.getJdbcUrl(), "root", "cdc-secret")) {
            root.createStatement().execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, "
                    + "REPLICATION CLIENT ON *.* TO 'cdc'@'%'");
        }
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mariadb);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(mariadb.getJdbcUrl(), "cdc", "cdc-secret");
    }

    @Override
    protected Map<String, String> connection() {
        return Map.of("connector.class", "io.debezium.connector.mariadb.MariaDbConnector", "database.hostname", "mariadb",
                "database.user", "cdc", "database.password", "cdc-secret",
                "database.server.id", "5401", "topic.prefix", "maria");
    }

    @Test
    void snapshotInsertUpdateDeleteAndTombstoneReachKafka() throws Exception {
        runScenario(worker.rest(), "maria-inventory");
    }
}
