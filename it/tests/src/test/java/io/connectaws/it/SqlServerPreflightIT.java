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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mssqlserver.MSSQLServerContainer;

/**
 * The source database pre-flight against a real SQL Server with its agent (issue 20): a database without CDC, then an
 * included table without CDC, are refused with the procedure to run; once both are enabled the connector is created
 * and runs. Skipped with the reason where the SQL Server image cannot be pulled (see {@link SqlServerCdcIT}).
 */
@org.junit.jupiter.api.TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlServerPreflightIT {

    static Optional<String> unavailable;
    static MSSQLServerContainer mssql;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws SQLException {
        unavailable = Images.unavailable(Images.sqlServer());
        unavailable.ifPresent(reason -> System.out.println("SKIPPED SQL Server pre-flight: " + reason));
        if (unavailable.isPresent()) {
            return;
        }
        Stack.kafka();
        mssql = new MSSQLServerContainer(Images.sqlServer())
                .acceptLicense()
                .withPassword(SqlServerCdcIT.PASSWORD)
                .withEnv("MSSQL_AGENT_ENABLED", "true")
                .withNetwork(Stack.network())
                .withNetworkAliases("preflight-mssql");
        worker = new ConnectWorker("mssql-pf");
        Startables.deepStart(mssql, worker).join();
        sql(mssql.getJdbcUrl(), "CREATE DATABASE inventory");
        sql(inventory(), "CREATE TABLE dbo.customers (id INT PRIMARY KEY, name VARCHAR(64))");
    }

    @BeforeEach
    void requireImage() {
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "the SQL Server pre-flight needs a SQL Server image: "
                + unavailable.orElse("") + " (set -Dit.image.sqlserver=<image> where one can be pulled)");
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, mssql);
    }

    static String inventory() {
        return mssql.getJdbcUrl() + ";databaseName=inventory";
    }

    static void sql(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", SqlServerCdcIT.PASSWORD);
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    static Map<String, String> connector() {
        Map<String, String> config = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                SqlServerIT.connectorConfig("preflight-mssql")));
        config.put("topic.prefix", "mssql_pf");
        config.put("schema.history.internal.kafka.topic", "schema-history.mssql_pf");
        return config;
    }

    @Test
    @Order(1)
    void aDatabaseWithoutCdcIsRefusedWithTheProcedureToRun() {
        ConnectRest.Reply refused = worker.rest().createConnector("mssql-pf", connector());
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("CDC is not enabled on database 'inventory'")
                .contains("EXEC sys.sp_cdc_enable_db").doesNotContain(SqlServerCdcIT.PASSWORD);
    }

    @Test
    @Order(2)
    void anIncludedTableWithoutCdcIsRefusedWithItsEnableStatement() throws SQLException {
        sql(inventory(), "EXEC sys.sp_cdc_enable_db");
        ConnectRest.Reply refused = worker.rest().createConnector("mssql-pf", connector());
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
        assertThat(refused.message()).contains("table inventory.dbo.customers")
                .contains("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers'");
    }

    @Test
    @Order(3)
    void withCdcOnTheDatabaseAndTheTableTheConnectorRuns() throws SQLException {
        sql(inventory(), "IF (SELECT is_cdc_enabled FROM sys.databases WHERE name = 'inventory') = 0 "
                + "EXEC sys.sp_cdc_enable_db", "EXEC sys.sp_cdc_enable_table @source_schema = 'dbo', "
                + "@source_name = 'customers', @role_name = NULL, @supports_net_changes = 0");
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("mssql-pf", connector());
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("mssql-pf", Duration.ofSeconds(120));
    }
}
