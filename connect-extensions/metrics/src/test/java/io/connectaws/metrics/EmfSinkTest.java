package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EmfSinkTest {
    private static final EmfFormatter FORMATTER = new EmfFormatter("KafkaConnect",
            new DimensionPlan(Set.of("connector"), Map.of()), Map.of("WorkerId", "w1"));

    @Test
    void writesOneValidEmfLinePerFormattedObjectToTheGivenStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EmfSink sink = new EmfSink(FORMATTER, new PrintStream(bytes, false, StandardCharsets.UTF_8));
        List<Datum> data = List.of(
                new Datum("kafka_connect_source_task_source_record_write_total", "Count",
                        Map.of(DimensionPlan.CLUSTER, "c1", DimensionPlan.CONNECTOR, "orders", DimensionPlan.TASK, "0"), 42),
                new Datum("kafka_connect_worker_connector_count", "Count", Map.of(DimensionPlan.CLUSTER, "c1"), 3));

        sink.publish(data, 1_700_000_000_000L);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).endsWith("\n");
        List<String> lines = out.lines().toList();
        assertThat(lines).isEqualTo(FORMATTER.format(data, 1_700_000_000_000L));
        for (String line : lines) {
            assertThat(EmfValidator.problems(line)).isEmpty();
        }
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("_aws").get("Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(out).contains("\"kafka_connect_source_task_source_record_write_total\":42");
    }

    @Test
    void refusesANullStreamNamingIt() {
        assertThatThrownBy(() -> new EmfSink(FORMATTER, (PrintStream) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("out");
    }
}
