package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.junit.jupiter.api.Test;

import io.connectaws.sourcedb.Finding;
import io.connectaws.sourcedb.Preflight;

/** How pre-flight findings become Connect validation errors, and the mode variable. */
class SourcePreflightTest {

    private static ConfigInfo value(String name) {
        return new ConfigInfo(null, new ConfigValueInfo(name, "x", List.of(), List.of(), true));
    }

    @Test
    void aFindingIsAnErrorOnItsKeyAndCountsSoThatCreateAnswers400() {
        ConfigInfos infos = new ConfigInfos("PostgresConnector", 0, List.of("Common"),
                List.of(value("connector.class"), value("table.include.list")));
        ConfigInfos checked = SourcePreflight.withErrors(infos, List.of(
                Finding.error("table.include.list", "table public.events has no primary key"),
                Finding.error("no.such.key", "wal_level is 'replica'")));
        assertThat(checked.errorCount()).isEqualTo(2);
        assertThat(checked.configs().get(1).configValue().errors()).containsExactly("table public.events has no primary key");
        assertThat(checked.configs().get(0).configValue().errors()).as("a key the connector lacks: on connector.class")
                .containsExactly("wal_level is 'replica'");
        assertThat(infos.errorCount()).as("the original is left as it was").isZero();
    }

    @Test
    void theVariableTakesEnforceWarnOrOffAndNamesItselfWhenWrong() {
        assertThat(SourcePreflight.mode(Map.of())).isEqualTo(Preflight.Mode.ENFORCE);
        assertThat(SourcePreflight.mode(Map.of("CONNECT_AWS_PREFLIGHT", "warn"))).isEqualTo(Preflight.Mode.WARN);
        assertThatThrownBy(() -> SourcePreflight.mode(Map.of("CONNECT_AWS_PREFLIGHT", "yes")))
                .hasMessageStartingWith("CONNECT_AWS_PREFLIGHT: 'yes' is not a pre-flight mode");
        assertThat(ConnectLauncher.variables()).contains("CONNECT_AWS_PREFLIGHT");
    }
}
