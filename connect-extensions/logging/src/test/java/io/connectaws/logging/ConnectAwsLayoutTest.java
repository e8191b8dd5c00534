package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event template rendered by log4j's JsonTemplateLayout, with this module's resolvers found as plugins. */
class ConnectAwsLayoutTest {

    private static final String TEMPLATE = "classpath:io/connectaws/logging/ConnectAwsLayout.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonTemplateLayout layout = JsonTemplateLayout.newBuilder()
            .setConfiguration(new DefaultConfiguration()).setEventTemplateUri(TEMPLATE).build();

    @AfterEach
    void clearProperties() {
        System.clearProperty("connect.aws.ecs.task.id");
        System.clearProperty("connect.aws.worker.id");
    }

    @Test
    void fieldsOfAPlainEvent() throws Exception {
        JsonNode line = render(event("Kafka Connect started", Map.of(), null));
        assertThat(fieldNames(line)).containsExactly("@timestamp", "level", "message", "logger", "thread");
        assertThat(line.get("@timestamp").asText()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).isEqualTo("Kafka Connect started");
        assertThat(line.get("logger").asText()).isEqualTo("org.apache.kafka.connect.runtime.Connect");
        assertThat(line.get("thread").asText()).isEqualTo("main");
    }

    @Test
    void connectorTaskAndScopeFromEachMdcFormat() throws Exception {
        JsonNode task = render(event("m", Map.of("connector.context", "[orders|task-2] "), null));
        assertThat(task.get("connector").asText()).isEqualTo("orders");
        assertThat(task.get("task").isInt()).isTrue();
        assertThat(task.get("task").asInt()).isEqualTo(2);
        assertThat(task.get("scope").asText()).isEqualTo("task");

        JsonNode offsets = render(event("m", Map.of("connector.context", "[orders|task-0|offsets] "), null));
        assertThat(offsets.get("connector").asText()).isEqualTo("orders");
        assertThat(offsets.get("task").asInt()).isZero();
        assertThat(offsets.get("scope").asText()).isEqualTo("offsets");

        JsonNode worker = render(event("m", Map.of("connector.context", "[orders|worker] "), null));
        assertThat(worker.get("connector").asText()).isEqualTo("orders");
        assertThat(worker.has("task")).isFalse();
        assertThat(worker.get("scope").asText()).isEqualTo("worker");
    }

    @Test
    void noOtherMdcKeyIsWritten() throws Exception {
        JsonNode line = render(event("m", Map.of("connector.context", "[c|task-0] ", "password", "hunter2",
                "dbz.connectorName", "c"), null));
        assertThat(fieldNames(line)).containsExactly("@timestamp", "level", "message", "logger", "thread",
                "connector", "task", "scope");
        assertThat(line.toString()).doesNotContain("hunter2");
    }

    @Test
    void exceptionTypeMessageAndStackTraceOnOneLine() throws Exception {
        Exception error = new IllegalStateException("snapshot failed", new java.io.IOException("connection reset"));
        String rendered = layout.toSerializable(event("Task threw an uncaught exception", Map.of(), error));
        assertThat(rendered).endsWith("\n");
        assertThat(rendered.strip()).doesNotContain("\n");
        JsonNode line = JSON.readTree(rendered);
        JsonNode json = line.get("error");
        assertThat(json.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.get("message").asText()).isEqualTo("snapshot failed");
        assertThat(json.get("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: snapshot failed\n\tat io.connectaws.logging.ConnectAwsLayoutTest")
                .contains("Caused by: java.io.IOException: connection reset");
    }

    @Test
    void ecsContextFromSystemPropertiesWhenSet() throws Exception {
        assertThat(render(event("m", Map.of(), null)).has("ecs")).isFalse();
        System.setProperty("connect.aws.ecs.task.id", "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        System.setProperty("connect.aws.worker.id", "10.0.1.23:8083");
        JsonNode line = render(event("m", Map.of(), null));
        assertThat(line.get("ecs").get("task_id").asText()).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertThat(line.get("worker_id").asText()).isEqualTo("10.0.1.23:8083");
    }

    @Test
    void thePropertyResolverReadsOnlyTheImagesOwnProperties() {
        String template = "{\"x\": {\"$resolver\": \"connectAwsProperty\", \"name\": \"javax.net.ssl.trustStorePassword\"}}";
        assertThatThrownBy(() -> JsonTemplateLayout.newBuilder().setConfiguration(new DefaultConfiguration())
                .setEventTemplate(template).build())
                .hasStackTraceContaining("reads only system properties named connect.aws.*");
    }

    private JsonNode render(LogEvent event) throws Exception {
        String rendered = layout.toSerializable(event);
        assertThat(rendered).endsWith("\n").hasLineCount(1);
        return JSON.readTree(rendered);
    }

    private static LogEvent event(String message, Map<String, String> mdc, Throwable error) {
        SortedArrayStringMap contextData = new SortedArrayStringMap();
        mdc.forEach(contextData::putValue);
        return Log4jLogEvent.newBuilder().setLoggerName("org.apache.kafka.connect.runtime.Connect")
                .setLevel(Level.INFO).setMessage(new SimpleMessage(message)).setThrown(error)
                .setThreadName("main").setTimeMillis(1_795_256_130_123L).setContextData(contextData).build();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
