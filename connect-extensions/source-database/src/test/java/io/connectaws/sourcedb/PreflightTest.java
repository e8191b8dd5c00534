package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pre-flight's dispatch, its modes and what it does when a database cannot be read. */
class PreflightTest {

    private static final String POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";

    @Test
    void modesParseAndABadOneNamesTheChoices() {
        assertThat(Preflight.Mode.parse(null)).isEqualTo(Preflight.Mode.ENFORCE);
        assertThat(Preflight.Mode.parse(" Warn ")).isEqualTo(Preflight.Mode.WARN);
        assertThat(Preflight.Mode.parse("off")).isEqualTo(Preflight.Mode.OFF);
        assertThatThrownBy(() -> Preflight.Mode.parse("strict")).hasMessageContaining("'strict'")
                .hasMessageContaining("enforce").hasMessageContaining("warn").hasMessageContaining("off");
    }

    @Test
    void aConnectorNoCheckKnowsGetsNoFindingAndNoConnection() {
        Preflight preflight = Preflight.standard((c, d, u, p) -> {
            throw new AssertionError("no connection for an unknown connector");
        });
        assertThat(preflight.covers("com.example.SinkConnector")).isFalse();
        assertThat(preflight.findings(new Candidate("s", Map.of("connector.class", "com.example.SinkConnector"), null)))
                .isEmpty();
        assertThat(preflight.covers(POSTGRES)).isTrue();
    }

    @Test
    void anUnreadableDatabaseIsOneWarningWithoutTheUrlOrPassword() {
        Preflight preflight = Preflight.standard((c, d, url, p) -> {
            throw new SQLException("Connection to db.internal:5432 refused", "08001",
                    new RuntimeException("jdbc:postgresql://db.internal:5432/shop?password=" + p.getProperty("password")));
        });
        List<Finding> findings = preflight.findings(new Candidate("c", Map.of("connector.class", POSTGRES,
                "database.hostname", "db.internal", "database.password", "s3cret-pw"), null));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.blocking()).isFalse();
            assertThat(f.message()).contains("SQLSTATE 08001").doesNotContain("s3cret-pw").doesNotContain("jdbc:");
        });
    }

    @Test
    void thePostgresConnectionCarriesTheConnectorsSettingsAndShortTimeouts() {
        Candidate c = new Candidate("c", Map.of("connector.class", POSTGRES, "database.hostname", "db", "database.port",
                "6543", "database.dbname", "shop", "database.user", "cdc", "database.password", "pw",
                "database.sslmode", "verify-full", "database.sslrootcert", "/certs/rds.pem"), null);
        assertThat(PostgresCheck.url(c)).isEqualTo("jdbc:postgresql://db:6543/shop");
        assertThat(PostgresCheck.properties(c)).containsEntry("user", "cdc").containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/certs/rds.pem").containsEntry("connectTimeout", "10")
                .containsEntry("socketTimeout", "30");
    }

    @Test
    void identifiersAreQuotedOnlyWhenTheyNeedIt() {
        assertThat(PostgresCheck.ident("orders")).isEqualTo("orders");
        assertThat(PostgresCheck.ident("Orders")).isEqualTo("\"Orders\"");
        assertThat(PostgresCheck.ident("order \"x\"")).isEqualTo("\"order \"\"x\"\"\"");
    }
}
