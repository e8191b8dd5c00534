package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class StartFailureTest {

    private static final Map<String, String> ORIGINS = Map.of(
            "health.readiness.states", "CONNECT_HEALTH_READINESS_STATES",
            "offset.flush.interval.ms", "profile");

    @Test
    void anExtensionsSettingsErrorNamesTheVariableInOneLine() {
        Throwable failure = new ConnectException("Failed to register REST extension", new ConfigException(
                "health.readiness.states", "PAUSED", "PAUSED and STOPPED are set by an operator on purpose\nsecond line"));
        assertThat(StartFailure.isSettings(failure)).isTrue();
        assertThat(StartFailure.describe(failure, ORIGINS::get))
                .isEqualTo("Invalid value PAUSED for configuration health.readiness.states: PAUSED and STOPPED are set by "
                        + "an operator on purpose. Set by CONNECT_HEALTH_READINESS_STATES")
                .doesNotContain("\n");
    }

    @Test
    void aProfileValueAndAMissingSettingAreNamedToo() {
        assertThat(StartFailure.describe(new ConfigException("offset.flush.interval.ms", "x", "Not a number"), ORIGINS::get))
                .endsWith("Set by the worker profile");
        assertThat(StartFailure.describe(new ConfigException(
                "Missing required configuration \"group.id\" which has no default value."), ORIGINS::get))
                .isEqualTo("Missing required configuration \"group.id\" which has no default value. Set by "
                        + "CONNECT_GROUP_ID (unset: it is missing)");
    }

    @Test
    void aSecretLookingValueIsMasked() {
        String line = StartFailure.describe(new ConfigException("database.password", "hunter2", "too short"), k -> null);
        assertThat(line).doesNotContain("hunter2").contains(Masking.MASK).contains("CONNECT_DATABASE_PASSWORD");
    }

    @Test
    void anythingElseIsItsRootCauseInOneLine() {
        Throwable failure = new ConnectException("Unable to initialize REST server",
                new java.io.IOException("Failed to bind to 0.0.0.0/0.0.0.0:8083\nat ..."));
        assertThat(StartFailure.isSettings(failure)).isFalse();
        assertThat(StartFailure.describe(failure, k -> null)).isEqualTo("IOException: Failed to bind to 0.0.0.0/0.0.0.0:8083");
    }
}
