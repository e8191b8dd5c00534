package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsRulesTest {
    @TempDir
    Path dir;

    private MetricsRules load(String yaml) throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, yaml);
        return MetricsRules.load(file);
    }

    private static final String GOOD = """
            lowercaseOutputName: true
            includeObjectNames: ["kafka.connect:*"]
            rules:
              - pattern: 'kafka.connect<type=source-task-metrics, connector=(.+), task=(\\d+)><>source-record-write-total'
                name: kafka_connect_source_task_source_record_write_total
                type: COUNTER
                labels: {connector: "$1", task: "$2"}
            """;

    @Test
    void aGoodFileLoads() throws Exception {
        MetricsRules rules = load(GOOD);
        assertThat(rules.ruleCount()).isEqualTo(1);
        assertThat(rules.newCollector()).isNotNull();
    }

    @Test
    void theShippedRulesLoad() {
        Path shipped = Path.of(System.getProperty("user.dir")).resolve("../../config/metrics/metrics-rules.yml").normalize();
        assertThat(MetricsRules.load(shipped).ruleCount()).isGreaterThan(20);
    }

    @Test
    void eachProblemIsNamedWithWhereItIs() {
        assertThatThrownBy(() -> load("rules:\n  - pattern: 'a'\n   name: x\n"))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageMatching("metrics rules file .*rules.yml is not valid YAML: .* at line \\d+, column \\d+");
        assertThatThrownBy(() -> load(GOOD.replace("includeObjectNames", "includeObjectName")))
                .hasMessageContaining("unknown key 'includeObjectName' (did you mean 'includeObjectNames'?)");
        assertThatThrownBy(() -> load(GOOD.replace("    type: COUNTER", "    typ: COUNTER")))
                .hasMessageContaining("rule 1 (pattern 'kafka.connect<type=source-task-metrics")
                .hasMessageContaining("unknown key 'typ' (did you mean 'type'?)");
        assertThatThrownBy(() -> load(GOOD.replace("COUNTER", "SUMMARY")))
                .hasMessageContaining("type 'SUMMARY'; use GAUGE, COUNTER or UNTYPED");
        assertThatThrownBy(() -> load(GOOD.replace("task=(\\d+)>", "task=(\\d+>")))
                .hasMessageContaining("the pattern is not a valid regular expression: Unclosed group");
        assertThatThrownBy(() -> load(GOOD.replace("{connector: \"$1\", task: \"$2\"}", "{connector: \"$1\", task: 2}")))
                .hasMessageContaining("label 'task' must be a string");
        assertThatThrownBy(() -> load("lowercaseOutputName: true\n"))
                .hasMessageContaining("has no 'rules:' list");
        assertThatThrownBy(() -> load("hostPort: localhost:9999\n" + GOOD))
                .hasMessageContaining("metrics are read in-process");
        assertThatThrownBy(() -> load(GOOD.replace("[\"kafka.connect:*\"]", "[\"kafka.connect\"]")))
                .hasMessageContaining("refused by jmx_exporter").hasMessageContaining("malformed");
        assertThatThrownBy(() -> load("- a\n- b\n")).hasMessageContaining("must be a YAML mapping");
        assertThatThrownBy(() -> MetricsRules.load(dir.resolve("missing.yml")))
                .hasMessageContaining("missing.yml cannot be read (NoSuchFileException)")
                .hasMessageContaining("CONNECT_METRICS_RULES_FILE");
    }

    @Test
    void aRuleIsLeftOutOfAPartitionOnlyWhenItsLiteralDomainOrTypeCannotMatch() throws Exception {
        javax.management.ObjectName source = new javax.management.ObjectName("kafka.connect:type=source-task-metrics,*");
        javax.management.ObjectName debezium = new javax.management.ObjectName("debezium.*:type=connector-metrics,context=streaming,*");
        assertThat(MetricsRules.canMatch("kafka\\.connect<type=source-task-metrics, connector=(.+)><>x", source)).isTrue();
        assertThat(MetricsRules.canMatch("kafka\\.connect<type=sink-task-metrics, connector=(.+)><>x", source)).isFalse();
        assertThat(MetricsRules.canMatch("kafka\\.producer<type=producer-metrics, [^>]*><>x", source)).isFalse();
        assertThat(MetricsRules.canMatch("kafka\\.connect<type=(source|sink)-task-metrics, (.+)><>x", source)).isTrue();
        assertThat(MetricsRules.canMatch("kafka.connect<type=source-task-metrics>", new javax.management.ObjectName("kafkaXconnect:type=source-task-metrics"))).as("an unescaped dot matches any character").isTrue();
        assertThat(MetricsRules.canMatch("debezium\\.([^:<]+)<type=connector-metrics, context=streaming><>x", debezium)).isTrue();
        assertThat(MetricsRules.canMatch("debezium\\.postgres<type=connector-metrics><>x", debezium)).isTrue();
        assertThat(MetricsRules.canMatch("debezium\\.postgres<type=other><>x", debezium)).isFalse();
        assertThat(MetricsRules.canMatch("kafka\\.connect<type=connector-metrics>", debezium)).isFalse();
        assertThat(MetricsRules.canMatch(".*", source)).isTrue();
    }
}
