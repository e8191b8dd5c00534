package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The MDC values of Kafka 4.3.1's LoggingContext.prefixFor, and values of other shapes. */
class ConnectorContextTest {

    @Test
    void connectorScope() {
        assertThat(ConnectorContext.parse("[my-connector|worker] "))
                .isEqualTo(new ConnectorContext("my-connector", null, "worker"));
    }

    @Test
    void taskScope() {
        assertThat(ConnectorContext.parse("[my-connector|task-0] "))
                .isEqualTo(new ConnectorContext("my-connector", 0, "task"));
        assertThat(ConnectorContext.parse("[orders-cdc|task-12] "))
                .isEqualTo(new ConnectorContext("orders-cdc", 12, "task"));
    }

    @Test
    void offsetsScope() {
        assertThat(ConnectorContext.parse("[my-connector|task-3|offsets] "))
                .isEqualTo(new ConnectorContext("my-connector", 3, "offsets"));
    }

    @Test
    void validateScope() {
        assertThat(ConnectorContext.parse("[my-connector|validate] "))
                .isEqualTo(new ConnectorContext("my-connector", null, "validate"));
    }

    @Test
    void connectorNamesWithBarsSpacesAndBrackets() {
        assertThat(ConnectorContext.parse("[a|b c|task-1] ")).isEqualTo(new ConnectorContext("a|b c", 1, "task"));
        assertThat(ConnectorContext.parse("[x|task-2|worker] ")).isEqualTo(new ConnectorContext("x|task-2", null, "worker"));
        assertThat(ConnectorContext.parse("[[db]|task-0] ")).isEqualTo(new ConnectorContext("[db]", 0, "task"));
        assertThat(ConnectorContext.parse("[a|task-x] ")).isEqualTo(new ConnectorContext("a|task-x", null, null));
    }

    @Test
    void otherShapesAreKeptWholeWithoutTaskOrScope() {
        assertThat(ConnectorContext.parse("[something] ")).isEqualTo(new ConnectorContext("something", null, null));
        assertThat(ConnectorContext.parse("plain")).isEqualTo(new ConnectorContext("plain", null, null));
        assertThat(ConnectorContext.parse(null)).isNull();
        assertThat(ConnectorContext.parse("")).isNull();
        assertThat(ConnectorContext.parse("  ")).isNull();
        assertThat(ConnectorContext.parse("[] ")).isNull();
        assertThat(ConnectorContext.parse("[|worker] ")).isNull();
    }
}
