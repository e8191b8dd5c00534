package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.connectaws.sourcedb.SqlServerCheck.Database;
import io.connectaws.sourcedb.SqlServerCheck.Server;
import io.connectaws.sourcedb.SqlServerCheck.Table;

class SqlServerCheckTest {

    static final int STANDARD = 2;

    static Candidate candidate(String... extra) {
        Map<String, String> config = new HashMap<>(Map.of("connector.class", SqlServerCheck.CONNECTOR,
                "database.hostname", "mssql", "database.user", "cdc", "database.password", "Str0ng-pw!",
                "database.names", "inventory"));
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return new Candidate("c", config, null);
    }

    static Database inventory(boolean cdc, Table... tables) {
        return new Database("inventory", true, cdc, null, List.of(tables));
    }

    @Test
    void aReadyServerHasNoFinding() {
        Server ready = new Server(false, STANDARD, List.of(inventory(true, new Table("dbo", "customers", true))), true, null);
        assertThat(SqlServerCheck.findings(candidate("table.include.list", "dbo.customers"), ready)).isEmpty();
    }

    @Test
    void aDatabaseWithoutCdcNamesTheProcedureSelfManagedAndOnRds() {
        Finding self = SqlServerCheck.findings(candidate(), new Server(false, STANDARD, List.of(inventory(false)), true,
                null)).get(0);
        assertThat(self.key()).isEqualTo("database.names");
        assertThat(self.message()).contains("CDC is not enabled on database 'inventory'").contains("is_cdc_enabled = 0")
                .contains("USE [inventory]; EXEC sys.sp_cdc_enable_db;").contains("msdb.dbo.rds_cdc_enable_db N'inventory'");
        Finding rds = SqlServerCheck.findings(candidate(), new Server(true, STANDARD, List.of(inventory(false)), null,
                null)).get(0);
        assertThat(rds.message()).contains("EXEC msdb.dbo.rds_cdc_enable_db N'inventory';").doesNotContain("sp_cdc_enable_db");
    }

    @Test
    void anIncludedTableWithoutCdcIsRefusedWithItsEnableStatement() {
        Server server = new Server(false, STANDARD, List.of(inventory(true, new Table("dbo", "customers", false),
                new Table("dbo", "orders", true), new Table("dbo", "audit", false))), true, null);
        List<Finding> f = SqlServerCheck.findings(candidate("table.include.list", "dbo.customers,dbo.orders"), server);
        assertThat(f).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo("table.include.list");
            assertThat(t.message()).contains("table inventory.dbo.customers").doesNotContain("audit")
                    .contains("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers'");
        });
        assertThat(SqlServerCheck.findings(candidate(), server)).as("without filters only CDC tables are captured")
                .isEmpty();
    }

    @Test
    void noCdcTableAtAllIsAWarning() {
        List<Finding> f = SqlServerCheck.findings(candidate(), new Server(false, STANDARD, List.of(inventory(true,
                new Table("dbo", "customers", false))), true, null));
        assertThat(f).singleElement().satisfies(w -> assertThat(w.blocking()).isFalse());
    }

    @Test
    void aStoppedAgentIsRefusedAnUnreadableOneIsAWarningAndRdsRunsItsOwn() {
        Database ready = inventory(true, new Table("dbo", "customers", true));
        assertThat(SqlServerCheck.findings(candidate(), new Server(false, STANDARD, List.of(ready), false, null)))
                .singleElement().satisfies(a -> {
                    assertThat(a.blocking()).isTrue();
                    assertThat(a.message()).contains("SQL Server Agent is not running").contains("MSSQL_AGENT_ENABLED=true");
                });
        assertThat(SqlServerCheck.findings(candidate(), new Server(false, STANDARD, List.of(ready), null,
                "SQLSTATE S0001: VIEW SERVER STATE permission was denied"))).singleElement().satisfies(a -> {
                    assertThat(a.blocking()).isFalse();
                    assertThat(a.message()).contains("VIEW SERVER STATE");
                });
        assertThat(SqlServerCheck.findings(candidate(), new Server(true, STANDARD, List.of(ready), null, null))).isEmpty();
    }

    @Test
    void expressEditionAndAMissingDatabaseAreRefused() {
        assertThat(SqlServerCheck.findings(candidate(), new Server(false, SqlServerCheck.EXPRESS, List.of(
                inventory(true, new Table("dbo", "t", true))), null, null))).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("Express edition"));
        assertThat(SqlServerCheck.findings(candidate(), new Server(false, STANDARD, List.of(new Database("inventory",
                false, false, null, List.of())), true, null))).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("database 'inventory' does not exist"));
    }

    @Test
    void theConnectionCarriesTheConnectorsTlsSettingsAndNamesOnlyTheHost() {
        Candidate c = candidate("database.encrypt", "false", "database.trustServerCertificate", "true",
                "database.names", " inventory , sales ");
        assertThat(SqlServerCheck.url(c)).isEqualTo("jdbc:sqlserver://mssql:1433");
        assertThat(SqlServerCheck.properties(c)).containsEntry("encrypt", "false")
                .containsEntry("trustServerCertificate", "true").containsEntry("databaseName", "master");
        assertThat(SqlServerCheck.databaseNames(c)).containsExactly("inventory", "sales");
    }
}
