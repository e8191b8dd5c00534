package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.metrics.EmfValidator;

/**
 * The CloudWatch exporter and the Prometheus agent in the image, against a real PostgreSQL connector: every row
 * streamed shows up once in the exported write and poll deltas, Debezium's lag carries the connector's name, a
 * failed task flips its gauge, and Prometheus serves the same rules.
 */
class MetricsIT {
    static final String DB_HOST = "metrics-pg";
    static final String CONNECTOR = "metrics-orders";
    static final String PREFIX = "mo";
    static final String CLUSTER = "metrics-it-cluster";
    static final int PROMETHEUS_PORT = 9404;
    static final int ROWS = 300;

    static PostgreSQLContainer postgres;
    private ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(DB_HOST);
        postgres.start();
        psql("CREATE TABLE public.metrics_orders (id INT PRIMARY KEY, note TEXT)");
    }

    @AfterAll
    static void stop() {
        Stack.stop(postgres);
    }

    @AfterEach
    void stopWorker() {
        Stack.stop(worker);
    }

    private static Map<String, String> connector() {
        Map<String, String> c = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector("metrics_orders", PREFIX, "public.metrics_orders")));
        c.put("database.hostname", DB_HOST);
        c.put("errors.max.retries", "0");
        return c;
    }

    @Test
    void everyRowIsCountedOnceTheLagHasTheConnectorsNameAndAFailedTaskFlipsItsGauge() throws Exception {
        worker = new ConnectWorker("metrics-it");
        worker.withEnv("CONNECT_CLOUDWATCH_SINK", "emf")
                .withEnv("CONNECT_CLOUDWATCH_INTERVAL_SECONDS", "2")
                .withEnv("CONNECT_CLOUDWATCH_CLUSTER", CLUSTER)
                .withEnv("CONNECT_AWS_PROMETHEUS_PORT", String.valueOf(PROMETHEUS_PORT))
                // self-healing would restart the failed task within seconds, before the gauge is read
                .withEnv("CONNECT_HEALTH_AUTORESTART_ENABLED", "false")
                .addExposedPort(PROMETHEUS_PORT);
        worker.start();
        ConnectRest rest = worker.rest();
        assertThat(rest.createConnector(CONNECTOR, connector()).status()).isEqualTo(201);
        rest.awaitRunning(CONNECTOR, Duration.ofSeconds(90));
        // streaming has begun once Debezium says it is connected (the empty table's snapshot is over)
        awaitEmf(lines -> lines.stream().anyMatch(l -> l.path("debezium_streaming_connected").asInt() == 1),
                "debezium_streaming_connected = 1");

        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), PREFIX + ".public.metrics_orders")) {
            for (int from = 1; from <= ROWS; from += 100) {
                psql("INSERT INTO public.metrics_orders SELECT g, 'row ' || g FROM generate_series(" + from + ", "
                        + (from + 99) + ") g");
            }
            reader.awaitCount(ROWS, Duration.ofSeconds(60));
        }
        // deltas of each interval add up to the rows streamed: none lost, none counted twice
        List<JsonNode> lines = awaitEmf(l -> sum(l, "kafka_connect_source_task_source_record_write_total") >= ROWS
                && sum(l, "kafka_connect_source_task_source_record_poll_total") >= ROWS, "write and poll deltas adding up to " + ROWS);
        ConnectRest.sleep(4500); // two more intervals: nothing more may be added
        lines = emfLines();
        assertThat(sum(lines, "kafka_connect_source_task_source_record_write_total")).isEqualTo(ROWS);
        assertThat(sum(lines, "kafka_connect_source_task_source_record_poll_total")).isEqualTo(ROWS);

        JsonNode lag = last(lines, l -> l.has("debezium_streaming_milliseconds_behind_source"));
        assertThat(lag.path("Connector").asText()).as("Debezium's server name %s resolved to the connector", PREFIX)
                .isEqualTo(CONNECTOR);
        assertThat(lag.path("Cluster").asText()).isEqualTo(CLUSTER);
        assertThat(unit(lag, "debezium_streaming_milliseconds_behind_source")).isEqualTo("Milliseconds");

        JsonNode state = last(lines, l -> l.has("kafka_connect_task_state_running") && l.path("Task").asText().equals("0"));
        assertThat(state.path("Connector").asText()).isEqualTo(CONNECTOR);
        assertThat(state.path("kafka_connect_task_state_running").asInt()).isEqualTo(1);
        assertThat(state.path("kafka_connect_task_state_failed").asInt()).isEqualTo(0);
        assertThat(state.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Cluster\",\"Connector\",\"Task\"],[\"Cluster\",\"Connector\"],[\"Cluster\"]]");
        assertThat(state.path("WorkerId").asText()).as("the worker id is a property, not a dimension").isNotEmpty();
        assertThat(unit(state, "kafka_connect_source_task_source_record_write_total")).isEqualTo("Count");

        // Prometheus: the same rules, cumulative values
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + worker.getHost() + ":"
                + worker.getMappedPort(PROMETHEUS_PORT) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).contains("kafka_connect_source_task_source_record_write_total{connector=\"" + CONNECTOR
                + "\",task=\"0\"} " + ROWS + ".0");
        assertThat(scrape).containsPattern("debezium_streaming_milliseconds_behind_source\\{[^}]*server=\"" + PREFIX + "\"");
        List<Pattern> ruleNames = ruleNames();
        Set<String> families = new LinkedHashSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            }
        }
        List<String> ours = families.stream().filter(f -> !f.startsWith("jvm") && !f.startsWith("jmx_")
                && !f.startsWith("process_")).toList();
        assertThat(ours).hasSizeGreaterThan(20);
        for (String family : ours) {
            assertThat(ruleNames).as("%s comes from a rule in config/metrics/metrics-rules.yml", family)
                    .anyMatch(p -> p.matcher(family).matches() || p.matcher(family + "_total").matches());
        }

        // a lost replication connection with no retries fails the task: the failed gauge flips
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_replication");
        rest.awaitFailed(CONNECTOR, Duration.ofSeconds(60), CONNECTOR + " after its replication connection was cut");
        JsonNode failed = last(awaitEmf(l -> {
            JsonNode s = last(l, n -> n.has("kafka_connect_task_state_failed") && n.path("Task").asText().equals("0"));
            return s != null && s.path("kafka_connect_task_state_failed").asInt() == 1;
        }, "kafka_connect_task_state_failed = 1"), n -> n.has("kafka_connect_task_state_failed") && n.path("Task").asText().equals("0"));
        assertThat(failed.path("kafka_connect_task_state_running").asInt()).isEqualTo(0);
        assertThat(failed.path("Connector").asText()).isEqualTo(CONNECTOR);
        assertThat(emfLines()).as("no EMF line carries the database password").noneMatch(l -> l.toString().contains("cdc-secret"));
    }

    @Test
    void theApiSinkPublishesWithTheTaskRoleAndRidesOutThrottling() throws Exception {
        try (LocalAwsContainer aws = new LocalAwsContainer()) {
            aws.start();
            String local = "http://" + aws.getHost() + ":" + aws.getMappedPort(4566);
            HttpClient http = HttpClient.newHttpClient();
            // the first two PutMetricData calls are throttled: the SDK's retries carry the points through
            assertThat(http.send(HttpRequest.newBuilder(URI.create(local + "/_local/throttle"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"requests\": 2}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            Map<String, String> env = new HashMap<>(ConnectWorker.defaults("metrics-api"));
            env.putAll(LocalAwsContainer.workerEnvironment());
            env.put("CONNECT_CLOUDWATCH_SINK", "api");
            env.put("CONNECT_CLOUDWATCH_INTERVAL_SECONDS", "2");
            env.put("CONNECT_CLOUDWATCH_ENDPOINT", LocalAwsContainer.ENDPOINT_ON_STACK);
            env.put("CONNECT_CLOUDWATCH_DIMENSIONS", "Environment=it");
            worker = new ConnectWorker("metrics-api-worker", env).alsoOn(aws.taskNetwork());
            worker.start();

            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            JsonNode data = null;
            while (Instant.now().isBefore(deadline)) {
                data = ConnectRest.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(local + "/_local/cloudwatch/metric-data"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                if (data.size() > 0) {
                    break;
                }
                ConnectRest.sleep(1000);
            }
            assertThat(data).as("PutMetricData data points from the worker").isNotEmpty();
            JsonNode count = null;
            for (JsonNode d : data) {
                if (d.path("metricName").asText().equals("kafka_connect_worker_connector_count")) {
                    count = d;
                }
            }
            assertThat(count).as("worker-level connector count published").isNotNull();
            assertThat(count.path("namespace").asText()).isEqualTo("KafkaConnect");
            assertThat(count.path("dimensions").toString()).isEqualTo("{\"Environment\":\"it\",\"Cluster\":\"metrics-api\"}");
            assertThat(count.path("unit").asText()).isEqualTo("Count");

            JsonNode calls = ConnectRest.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(local + "/_local/cloudwatch/calls"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(calls.get(0).path("errorCode").asText()).isEqualTo("Throttling");
            assertThat(calls.get(1).path("errorCode").asText()).isEqualTo("Throttling");
            assertThat(calls.get(2).path("status").asInt()).isEqualTo(200);
            for (JsonNode call : calls) {
                assertThat(call.path("accessKeyId").asText()).as("signed with the task role's credentials from the ECS endpoint")
                        .isNotEqualTo(io.connectaws.it.aws.LocalAws.ACCESS_KEY_ID).isNotEmpty();
            }
            assertThat(worker.getLogs()).doesNotContain("PutMetricData failed");
        }
    }

    /** Every EMF line the worker wrote so far, each checked against the EMF specification. */
    private List<JsonNode> emfLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : worker.getLogs(OutputType.STDOUT).split("\n")) {
            if (EmfValidator.isEmf(line)) {
                assertThat(EmfValidator.problems(line)).as(line).isEmpty();
                lines.add(ConnectRest.JSON.readTree(line));
            }
        }
        return lines;
    }

    private List<JsonNode> awaitEmf(Predicate<List<JsonNode>> done, String what) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> lines = emfLines();
            if (done.test(lines)) {
                return lines;
            }
            ConnectRest.sleep(1000);
        }
        fail("no EMF output with " + what + " within 60 s; worker stdout:\n" + tail(worker.getLogs(OutputType.STDOUT)));
        return null;
    }

    private static long sum(List<JsonNode> lines, String metric) {
        long total = 0;
        for (JsonNode l : lines) {
            if (l.has(metric) && CONNECTOR.equals(l.path("Connector").asText()) && "0".equals(l.path("Task").asText())) {
                total += l.get(metric).asLong();
            }
        }
        return total;
    }

    private static JsonNode last(List<JsonNode> lines, Predicate<JsonNode> which) {
        JsonNode found = null;
        for (JsonNode l : lines) {
            if (which.test(l)) {
                found = l;
            }
        }
        return found;
    }

    private static String unit(JsonNode line, String metric) {
        for (JsonNode m : line.at("/_aws/CloudWatchMetrics/0/Metrics")) {
            if (metric.equals(m.path("Name").asText())) {
                return m.path("Unit").asText();
            }
        }
        return null;
    }

    /** The rules' metric names, with $n captures as wildcards. */
    static List<Pattern> ruleNames() throws Exception {
        List<Pattern> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*name:\\s*\"?([A-Za-z0-9_$]+)\"?\\s*$")
                .matcher(Files.readString(Path.of("../../config/metrics/metrics-rules.yml")));
        while (m.find()) {
            names.add(Pattern.compile(m.group(1).replaceAll("\\$\\d+", "[a-z0-9_]+")));
        }
        return names;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static void psql(String sql) throws Exception {
        ExecResult r = postgres.execInContainer("psql", "-v", "ON_ERROR_STOP=1",
                "postgresql://cdc:cdc-secret@127.0.0.1:5432/inventory", "-c", sql);
        assertThat(r.getExitCode()).as("psql %s: %s", sql, r.getStderr()).isZero();
    }
}
