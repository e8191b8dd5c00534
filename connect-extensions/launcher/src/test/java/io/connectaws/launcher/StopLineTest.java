package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.logging.LogSettings;

class StopLineTest {

    private static final Instant AT = Instant.parse("2026-12-07T22:50:01Z");

    @Test
    void textIsTheLineUsersAndTestsKnow() {
        assertThat(new StopLine(LogSettings.Format.TEXT).line("cannot start", "BOOTSTRAP_SERVERS is not set", AT))
                .isEqualTo("connect-aws: cannot start: BOOTSTRAP_SERVERS is not set");
    }

    @Test
    void jsonIsOneObjectWithTheLayoutsFieldsAndTheSameText() throws Exception {
        String line = new StopLine(LogSettings.Format.JSON).line("stopped", "a \"quoted\"\nmulti-line reason", AT);
        assertThat(line).doesNotContain("\n");
        JsonNode event = new ObjectMapper().readTree(line);
        assertThat(event.path("@timestamp").asText()).isEqualTo("2026-12-07T22:50:01.000Z");
        assertThat(event.path("level").asText()).isEqualTo("ERROR");
        assertThat(event.path("logger").asText()).isEqualTo(ConnectLauncher.class.getName());
        assertThat(event.path("message").asText()).isEqualTo("connect-aws: stopped: a \"quoted\"\nmulti-line reason");
    }
}
