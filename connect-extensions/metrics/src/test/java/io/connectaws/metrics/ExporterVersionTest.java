package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.prometheus.jmx.JmxCollector;

/** The rules check against the jmx_exporter collector it is written for. */
class ExporterVersionTest {

    @Test
    void theKeyListsAreThoseOfTheCollectorOnTheClassPath() throws Exception {
        Properties pom = new Properties();
        try (InputStream in = JmxCollector.class.getResourceAsStream("/META-INF/maven/io.prometheus.jmx/collector/pom.properties")) {
            assertThat(in).as("the collector jar's pom.properties").isNotNull();
            pom.load(in);
        }
        assertThat(pom.getProperty("version"))
                .as("jmx_exporter was upgraded: compare MetricsRules.TOP_LEVEL and RULE_KEYS with the keys the new "
                        + "JmxCollector reads, then set MetricsRules.EXPORTER_VERSION")
                .isEqualTo(MetricsRules.EXPORTER_VERSION);
    }

    @Test
    void whatTheCollectorChecksItselfIsRefusedInItsWords() {
        Path file = Path.of("rules.yml");
        assertThatThrownBy(() -> MetricsRules.parse(file, "rules:\n  - name: x\n"))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageContaining("rules.yml is refused by jmx_exporter: Must provide pattern, if name is given");
        assertThatThrownBy(() -> MetricsRules.parse(file, "rules:\n  - pattern: 'a'\n    help: h\n"))
                .hasMessageContaining("refused by jmx_exporter: Must provide name, if help or labels are given");
    }
}
