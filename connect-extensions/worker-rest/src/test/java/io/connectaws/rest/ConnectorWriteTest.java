package io.connectaws.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectorWriteTest {
    @Test
    void recognisesTheCallsThatCarryAConfig() {
        assertThat(ConnectorWrite.of("POST", List.of("connectors"))).contains(ConnectorWrite.CREATE);
        assertThat(ConnectorWrite.of("PUT", List.of("connectors", "a", "config"))).contains(ConnectorWrite.REPLACE);
        assertThat(ConnectorWrite.of("PATCH", List.of("connectors", "a", "config"))).contains(ConnectorWrite.PATCH);
        assertThat(ConnectorWrite.of("PUT", List.of("connector-plugins", "C", "config", "validate"))).contains(ConnectorWrite.VALIDATE);
        assertThat(ConnectorWrite.of("PUT", List.of("connectors", "a", "pause"))).isEmpty();
        assertThat(ConnectorWrite.of("GET", List.of("connectors", "a", "config"))).isEmpty();
        assertThat(ConnectorWrite.of("POST", List.of("connectors", "a", "restart"))).isEmpty();
        assertThat(ConnectorWrite.connectorName(List.of("connectors", "a", "config"))).isEqualTo("a");
    }
}
