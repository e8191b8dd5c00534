package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Real output of the shipped log4j2.properties: {@link LogEmitter} runs in a child JVM started like the image's
 * entrypoint (-Dlog4j2.configurationFile, the environment variables themselves), and its stdout is read line by line.
 */
class LoggingOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMESTAMP = "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3}\\]";
    private static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @Test
    void jsonIsOneObjectPerEventWithConnectorTaskAndScope() throws Exception {
        Output output = run(Map.of("CONNECT_AWS_LOG_FORMAT", "json"),
                "-Dconnect.aws.ecs.task.id=0f1e2d3c4b5a69788796a5b4c3d2e1f0", "-Dconnect.aws.worker.id=10.0.1.23:8083");
        assertThat(output.stderr).isEmpty(); // no status warnings or errors from log4j
        List<JsonNode> events = output.json();
        assertThat(events).hasSize(LogEmitter.EVENTS);
        for (JsonNode event : events) {
            assertThat(event.get("@timestamp").asText()).matches(ISO_UTC);
            assertThat(event.get("thread").asText()).isEqualTo("main");
            assertThat(event.get("ecs").get("task_id").asText()).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
            assertThat(event.get("worker_id").asText()).isEqualTo("10.0.1.23:8083");
        }

        JsonNode plain = events.get(0);
        assertThat(plain.get("level").asText()).isEqualTo("INFO");
        assertThat(plain.get("logger").asText()).isEqualTo(LogEmitter.class.getName());
        assertThat(plain.get("message").asText()).isEqualTo("Kafka Connect worker initializing");
        assertThat(fieldNames(plain)).doesNotContain("connector", "task", "scope", "error");

        JsonNode connector = events.get(1);
        assertThat(connector.get("connector").asText()).isEqualTo("orders-cdc");
        assertThat(connector.get("scope").asText()).isEqualTo("worker");
        assertThat(connector.has("task")).isFalse();

        JsonNode task = events.get(2);
        assertThat(task.get("message").asText()).isEqualTo("Executing source task");
        assertThat(task.get("connector").asText()).isEqualTo("orders-cdc");
        assertThat(task.get("task").isInt()).isTrue();
        assertThat(task.get("task").asInt()).isZero();
        assertThat(task.get("scope").asText()).isEqualTo("task");

        JsonNode failure = events.get(3);
        assertThat(failure.get("level").asText()).isEqualTo("ERROR");
        assertThat(failure.get("task").asInt()).isZero();
        JsonNode error = failure.get("error");
        assertThat(error.get("type").asText()).isEqualTo("org.apache.kafka.connect.errors.ConnectException");
        assertThat(error.get("message").asText()).isEqualTo("snapshot failed");
        assertThat(error.get("stack_trace").asText())
                .startsWith("org.apache.kafka.connect.errors.ConnectException: snapshot failed\n\tat io.connectaws.config.LogEmitter.main(")
                .contains("Caused by: java.io.IOException: connection reset");

        JsonNode offsets = events.get(4);
        assertThat(offsets.get("connector").asText()).isEqualTo("orders-cdc");
        assertThat(offsets.get("task").asInt()).isEqualTo(3);
        assertThat(offsets.get("scope").asText()).isEqualTo("offsets");

        assertThat(events.get(5).get("message").asText())
                .isEqualTo("Worker configuration:\n  group.id=connect-cdc\n  note=\"quoted\"");
        assertThat(events.get(5).has("connector")).isFalse(); // the MDC was restored when the contexts closed

        // the health filter works in JSON too: the probe's request is dropped, the other one kept
        assertThat(events.get(6).get("logger").asText()).isEqualTo("org.apache.kafka.connect.runtime.rest.RestServer");
        assertThat(events.get(6).get("message").asText()).isEqualTo(LogEmitter.OTHER_REQUEST);
        assertThat(output.stdout).doesNotContain("/health/live");
    }

    @Test
    void jsonLeavesOutTheEcsContextWhenUnknown() throws Exception {
        List<JsonNode> events = run(Map.of("CONNECT_AWS_LOG_FORMAT", "JSON")).json();
        assertThat(events).hasSize(LogEmitter.EVENTS);
        assertThat(events).allSatisfy(event -> assertThat(fieldNames(event)).doesNotContain("ecs", "worker_id"));
    }

    @Test
    void systemPropertyWhenTheVariableIsNotSet() throws Exception {
        assertThat(run(Map.of(), "-Dconnect.aws.log.format=json").json()).hasSize(LogEmitter.EVENTS);
        assertThat(run(Map.of("CONNECT_AWS_LOG_FORMAT", ""), "-Dconnect.aws.log.format=json").json())
                .hasSize(LogEmitter.EVENTS);
    }

    @Test
    void textByDefaultAsBefore() throws Exception {
        Output output = run(Map.of());
        assertThat(output.stderr).isEmpty();
        List<String> lines = output.lines();
        assertThat(lines.get(0)).matches(TIMESTAMP + " INFO Kafka Connect worker initializing \\(LogEmitter\\)");
        assertThat(lines.get(1)).matches(TIMESTAMP + " INFO \\[orders-cdc\\|worker\\] Starting connector orders-cdc \\(LogEmitter\\)");
        assertThat(lines.get(2)).matches(TIMESTAMP + " INFO \\[orders-cdc\\|task-0\\] Executing source task \\(LogEmitter\\)");
        assertThat(lines.get(3)).matches(TIMESTAMP
                + " ERROR \\[orders-cdc\\|task-0\\] Task threw an uncaught and unrecoverable exception \\(LogEmitter\\)");
        assertThat(lines.get(4)).isEqualTo("org.apache.kafka.connect.errors.ConnectException: snapshot failed");
        assertThat(lines.get(5)).startsWith("\tat io.connectaws.config.LogEmitter.main(");
        assertThat(lines).contains("Caused by: java.io.IOException: connection reset");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                TIMESTAMP + " INFO \\[orders-cdc\\|task-3\\|offsets\\] Committing offsets for 42 acknowledged messages \\(LogEmitter\\)"));
        int configuration = indexOfMatch(lines, TIMESTAMP + " INFO Worker configuration:");
        assertThat(lines.get(configuration + 1)).isEqualTo("  group.id=connect-cdc");
        assertThat(lines.get(configuration + 2)).isEqualTo("  note=\"quoted\" (LogEmitter)");
        assertThat(lines.get(lines.size() - 1)).matches(
                TIMESTAMP + " INFO " + java.util.regex.Pattern.quote(LogEmitter.OTHER_REQUEST) + " \\(RestServer\\)");
        assertThat(output.stdout).doesNotContain("/health/live").doesNotContain("debug detail")
                .doesNotContain("could not get type");
        assertThat(output.stdout).doesNotStartWith("{");
    }

    @Test
    void anInvalidFormatStillLogsAsTextAndSaysWhy() throws Exception {
        Output output = run(Map.of("CONNECT_AWS_LOG_FORMAT", "xml"));
        assertThat(output.lines().get(0)).matches(TIMESTAMP + " INFO Kafka Connect worker initializing \\(LogEmitter\\)");
        assertThat(output.stderr)
                .contains("CONNECT_AWS_LOG_FORMAT=xml is not a log format: use text (the default) or json; logging as text");
    }

    @Test
    void levelsFromTheEnvironment() throws Exception {
        Output output = run(Map.of("CONNECT_AWS_LOG_FORMAT", "json", "LOG_LEVEL", "debug",
                "CONNECT_LOG4J_LOGGERS", "org.apache.kafka.connect.runtime.rest=WARN"), "--apply-levels");
        List<JsonNode> events = output.json();
        assertThat(events).extracting(event -> event.get("message").asText())
                .contains("debug detail")
                .doesNotContain(LogEmitter.OTHER_REQUEST) // the request logger follows its package now
                .doesNotContain("could not get type for name"); // org.reflections stays quiet (ERROR in the file)
        assertThat(events).hasSize(LogEmitter.EVENTS);
    }

    private static int indexOfMatch(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        throw new AssertionError("no line matches " + regex + " in " + lines);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private record Output(String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        /** Every line of stdout parsed as one JSON object. */
        List<JsonNode> json() throws IOException {
            List<JsonNode> events = new ArrayList<>();
            for (String line : lines()) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                events.add(event);
            }
            assertThat(stdout).endsWith("\n");
            return events;
        }
    }

    /** Runs LogEmitter with the shipped configuration; arguments starting with -D are JVM options, others its own. */
    private static Output run(Map<String, String> environment, String... arguments) throws Exception {
        Path config = Path.of(LoggingOutputTest.class.getResource("/connect-aws/config/log4j2.properties").toURI());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + config,
                "-cp", System.getProperty("java.class.path")));
        List<String> programArguments = new ArrayList<>();
        for (String argument : arguments) {
            (argument.startsWith("-D") ? command : programArguments).add(argument);
        }
        command.add(LogEmitter.class.getName());
        command.addAll(programArguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnvironment = builder.environment();
        for (String inherited : List.of("CONNECT_AWS_LOG_FORMAT", "LOG_LEVEL", "CONNECT_LOG4J_ROOT_LOGLEVEL",
                "CONNECT_LOG4J_LOGGERS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            childEnvironment.remove(inherited);
        }
        childEnvironment.putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("LogEmitter finished").isTrue();
        assertThat(process.exitValue()).as("LogEmitter's exit code; stderr: %s", stderr.get()).isZero();
        return new Output(stdout, stderr.get());
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
