package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        HealthSettings s = HealthSettings.from(Map.of("bootstrap.servers", "b:9092"));
        assertThat(s.interval).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.stuckGrace).isEqualTo(Duration.ofMinutes(3));
        assertThat(s.unhealthyStates).containsExactlyInAnyOrder("FAILED", "DISCONNECTED");
        assertThat(s.threshold()).isEqualTo("1");
        assertThat(s.ignore).isEmpty();
        assertThat(s.restartEnabled).isTrue();
        assertThat(s.restartUnit).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.restartMaxBackoff).isEqualTo(Duration.ofMinutes(60));
        assertThat(s.maxRestarts).isZero();
        assertThat(s.restartReset).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.disconnectedAfter).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void valuesAreReadFromWorkerProperties() {
        HealthSettings s = HealthSettings.from(Map.of(
                HealthSettings.STATES, "failed, UNASSIGNED",
                HealthSettings.THRESHOLD, "50%",
                HealthSettings.IGNORE, "^test-.*,legacy",
                HealthSettings.RESTART_ENABLED, "false",
                HealthSettings.RESTART_MAX, "7"));
        assertThat(s.unhealthyStates).isEqualTo(Set.of("FAILED", "UNASSIGNED"));
        assertThat(s.thresholdPercent).isEqualTo(50);
        assertThat(s.ignored("test-orders")).isTrue();
        assertThat(s.ignored("legacy")).isTrue();
        assertThat(s.ignored("legacy-orders")).as("whole-name match").isFalse();
        assertThat(s.restartEnabled).isFalse();
        assertThat(s.maxRestarts).isEqualTo(7);
    }

    @Test
    void pausedOrStoppedCannotBeCountedAndTheMessageSaysWhy() {
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.STATES, "FAILED,PAUSED")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("health.readiness.states")
                .hasMessageContaining("PAUSED and STOPPED are set by an operator on purpose")
                .hasMessageContaining("CONNECT_HEALTH_READINESS_STATES");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.STATES, "BROKEN")))
                .hasMessageContaining("use FAILED, UNASSIGNED, RESTARTING or DISCONNECTED");
        assertThat(HealthSettings.from(Map.of(HealthSettings.STATES, "failed")).unhealthyStates)
                .as("leaving DISCONNECTED out leaves database connections out of readiness").containsExactly("FAILED");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.DISCONNECTED_AFTER, "500")))
                .hasMessageContaining("health.disconnected.after.ms").hasMessageContaining("CONNECT_HEALTH_DISCONNECTED_AFTER_MS");
    }

    @Test
    void badThresholdPatternAndNumbersNameTheSetting() {
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.THRESHOLD, "0")))
                .hasMessageContaining("health.readiness.threshold").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.THRESHOLD, "150%")))
                .hasMessageContaining("1% to 100%");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.IGNORE, "orders[")))
                .hasMessageContaining("health.readiness.ignore").hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.INTERVAL, "soon")))
                .hasMessageContaining("health.check.interval.ms").hasMessageContaining("CONNECT_HEALTH_CHECK_INTERVAL_MS");
        assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.RESTART_ENABLED, "maybe")))
                .hasMessageContaining("health.autorestart.enabled");
    }
}
