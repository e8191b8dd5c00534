package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link Preflight#standard}: which check, and so which plugin driver, each Debezium connector class gets. */
class StandardChecksTest {

    @Test
    void theFourDebeziumSourcesEachReachTheirOwnDriver() {
        List<String> drivers = new ArrayList<>();
        Preflight preflight = Preflight.standard((connectorClass, driver, url, properties) -> {
            drivers.add(connectorClass + " " + driver + " " + url);
            throw new SQLException("connection refused", "08001");
        });
        Map<String, String> classes = Map.of(
                PostgresCheck.CONNECTOR, "org.postgresql.Driver jdbc:postgresql://db:",
                BinlogCheck.MYSQL, "com.mysql.cj.jdbc.Driver jdbc:mysql://db:3306/",
                BinlogCheck.MARIADB, "org.mariadb.jdbc.Driver jdbc:mariadb://db:3306/",
                SqlServerCheck.CONNECTOR, "com.microsoft.sqlserver.jdbc.SQLServerDriver jdbc:sqlserver://db:1433");
        classes.forEach((connectorClass, expected) -> {
            assertThat(preflight.covers(connectorClass)).as(connectorClass).isTrue();
            List<Finding> findings = preflight.findings(new Candidate("c", Map.of("connector.class", connectorClass,
                    "database.hostname", "db", "database.password", "pw-never-shown"), null));
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.blocking()).as("an unreachable database is a warning").isFalse();
                assertThat(f.message()).doesNotContain("pw-never-shown");
            });
            assertThat(drivers.remove(drivers.size() - 1)).startsWith(connectorClass + " " + expected);
        });
        assertThat(preflight.covers("io.debezium.connector.jdbc.JdbcSinkConnector")).isFalse();
    }
}
