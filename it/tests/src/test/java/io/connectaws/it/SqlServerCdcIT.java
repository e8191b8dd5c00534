package io.connectaws.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mssqlserver.MSSQLServerContainer;

/**
 * The full CDC scenario against a real SQL Server with its agent running (CDC needs it). SQL Server
 * cannot run from Debian packages: skipped, with the reason, where its image cannot be pulled.
 */
class SqlServerCdcIT extends CdcScenario {

    static final String PASSWORD = "Str0ng-Passw0rd!";

    static Optional<String> unavailable;
    static MSSQLServerContainer mssql;
    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        unavailable = Images.unavailable(Images.sqlServer());
        unavailable.ifPresent(reason -> System.out.println("SKIPPED SQL Server CDC: " + reason));
        if (unavailable.isEmpty()) {
            Stack.kafka();
            mssql = new MSSQLServerContainer(Images.sqlServer())
                    .acceptLicense()
                    .withPassword(PASSWORD)
                    .withEnv("MSSQL_AGENT_ENABLED", "true")
                    .withNetwork(Stack.network())
                    .withNetworkAliases("mssql");
            worker = new ConnectWorker("mssql-cdc");
            Startables.deepStart(mssql, worker).join();
        }
    }

    @BeforeEach
    void requireImage() {
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "SQL Server CDC needs a SQL Server image: "
                + unavailable.orElse("") + " (set -Dit.image.sqlserver=<image> where one can be pulled)");
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mssql);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(mssql.getJdbcUrl() + ";databaseName=inventory", "sa", PASSWORD);
    }

    @Override
    protected List<String> createTable() {
        return List.of(
                "CREATE TABLE dbo.customers (id INT PRIMARY KEY, name VARCHAR(64), email VARCHAR(128))",
                "EXEC sys.sp_cdc_enable_table @source_schema = 'dbo', @source_name = 'customers', "
                        + "@role_name = NULL, @supports_net_changes = 0");
    }

    @Override
    protected String table() {
        return "dbo.customers";
    }

    @Override
    protected Map<String, String> connectorConfig() {
        return SqlServerIT.connectorConfig("mssql");
    }

    @Override
    protected String topic() {
        return "mssql.inventory.dbo.customers";
    }

    @Test
    void snapshotInsertUpdateDeleteAndTombstoneReachKafka() throws Exception {
        try (Connection master = DriverManager.getConnection(mssql.getJdbcUrl(), "sa", PASSWORD)) {
            master.createStatement().execute("CREATE DATABASE inventory");
        }
        execute("EXEC sys.sp_cdc_enable_db");
        runScenario(worker.rest(), "mssql-inventory");
    }
}
