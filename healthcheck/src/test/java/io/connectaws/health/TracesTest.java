package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TracesTest {

    @Test
    void literalSecretsOfTheConnectorAndInlinePasswordsAreHidden() {
        String trace = "org.postgresql.util.PSQLException: FATAL: no login for s3cr3t-Pa55 (url jdbc:postgresql://db/x?password=hunter22&ssl=true)\n"
                + "\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)";
        String s = Traces.shorten(trace, 1000, Map.of("database.password", "s3cr3t-Pa55", "database.user", "cdc",
                "database.hostname", "db"));
        assertThat(s).doesNotContain("s3cr3t-Pa55").doesNotContain("hunter22").contains("[hidden]").contains("PSQLException")
                .contains("db/x", "&ssl=true");
    }

    @Test
    void referencesAreNotValuesAndAreLeftAlone() {
        String s = Traces.shorten("failed reading ${secretsmanager:db:password}", 1000,
                Map.of("database.password", "${secretsmanager:db:password}"));
        assertThat(s).isEqualTo("failed reading ${secretsmanager:db:password}");
    }

    @Test
    void longTracesAreCutAndNoneMeansNone() {
        assertThat(Traces.shorten("x".repeat(800), 500, Map.of())).hasSize(503).endsWith("...");
        assertThat(Traces.shorten("boom", 0, Map.of())).isNull();
        assertThat(Traces.shorten(null, 500, Map.of())).isNull();
    }
}
