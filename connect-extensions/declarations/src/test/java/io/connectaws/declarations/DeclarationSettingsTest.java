package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DeclarationSettingsTest {
    @Test
    void defaults() {
        DeclarationSettings s = DeclarationSettings.from(Map.of("group.id", "x"));
        assertThat(s.dir).isEqualTo(Path.of("/opt/connect/connectors"));
        assertThat(s.ssmPath).isEmpty();
        assertThat(s.intervalMillis).isEqualTo(30_000L);
        assertThat(s.purge).isFalse();
    }

    @Test
    void mistakesNameTheSetting() {
        assertThatThrownBy(() -> DeclarationSettings.from(Map.of("declarations.ssm.path", "connect/x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("declarations.ssm.path").hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> DeclarationSettings.from(Map.of("declarations.interval.ms", "10")))
                .hasMessageContaining("declarations.interval.ms");
        assertThatThrownBy(() -> DeclarationSettings.from(Map.of("declarations.purge", "yes")))
                .hasMessageContaining("declarations.purge");
        assertThatThrownBy(() -> DeclarationSettings.from(Map.of("declarations.ssm.endpoint", "not a url")))
                .hasMessageContaining("declarations.ssm.endpoint");
        assertThatThrownBy(() -> DeclarationSettings.from(Map.of("declarations.directory", "/x")))
                .hasMessageContaining("declarations.directory is not a setting").hasMessageContaining("declarations.dir");
    }
}
