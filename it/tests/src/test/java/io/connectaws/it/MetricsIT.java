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

import io.connectaws.metrics.EmfMetricCount;
import io.connectaws.metrics.EmfValidator;

/**
 * The CloudWatch exporter and the Prometheus agent in the image, against a real PostgreSQL connector: every row
 * streamed shows up once in the exported write and poll deltas, Debezium's lag carries the connector's name, a
 * failed task flips its gauge, and Prometheus serves the same rules. With three PostgreSQL connectors, the custom
 * metrics the EMF lines create stay within the budget by default and every series comes back at the full level.
 */
class MetricsIT {
    static final String DB_HOST = "metrics-pg";
    static final String CONNECTOR = "metrics-orders";
    static final String PREFIX = "mo";
    static final String CLUSTER = "metrics-it-cluster";
    static final int PROMETHEUS_PORT = 9404;
    static final int ROWS = 300;
    /** The budget (issue 26): custom metrics per connector and at cluster level, at the default detail level. */
    static final int PER_CONNECTOR_BUDGET = 15;
    static final int CLUSTER_BUDGET = 20;
    static final int BUDGET_CONNECTORS = 3;

    static PostgreSQLContainer postgres;
    private ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(DB_HOST);
        postgres.start();
        psql("CREATE TABLE public.metrics_orders (id INT PRIMARY KEY, note TEXT)");
        for (int i = 1; i <= BUDGET_CONNECTORS; i++) {
            psql("CREATE TABLE public.tenant_" + i + " (id INT PRIMARY KEY, note TEXT)");
        }
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
        // the image's PostgreSQL heartbeat would add its own records to the writes counted below
        c.put("heartbeat.interval.ms", "0");
        return c;
    }

    @Test
    void everyRowIsCountedOnceTheLagHasTheConnectorsNameAndAFailedTaskFlipsItsGauge() throws Exception {
        worker = new ConnectWorker("metrics-it");
        worker.withEnv("CONNECT_CLOUDWATCH_SINK", "emf")
                .withEnv("CONNECT_CLOUDWATCH_INTERVAL_SECONDS", "2")
                .withEnv("CONNECT_CLOUDWATCH_CLUSTER", CLUSTER)
                // every series at task level with the rollups: what this test reads (the budget test below reads basic)
                .withEnv("CONNECT_CLOUDWATCH_DETAIL", "full")
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

    /**
     * Issue 26's measurement as a test: three PostgreSQL connectors on one worker, EMF on, and every distinct
     * (namespace, metric, dimension set) triple the lines create counted, once with the defaults and once with
     * {@code CONNECT_CLOUDWATCH_DETAIL=full} (a second group with three new connectors on the same tables, so that they
     * take their snapshot too). Prometheus keeps every series at the default.
     */
    @Test
    void threeConnectorsStayWithinTheMetricBudgetByDefaultAndFullGivesEverySeries() throws Exception {
        worker = budgetWorker("metrics-budget", null);
        worker.start();
        List<String> connectors = startTenants(1);
        EmfMetricCount basic = awaitSteadyCount(connectors);
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + worker.getHost() + ":"
                + worker.getMappedPort(PROMETHEUS_PORT) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Stack.stop(worker);

        worker = budgetWorker("metrics-budget-full", "full");
        worker.start();
        List<String> fullConnectors = startTenants(BUDGET_CONNECTORS + 1);
        EmfMetricCount full = awaitSteadyCount(fullConnectors);

        String figures = String.format("%d PostgreSQL connectors, 1 task each; custom metrics (namespace x metric x dimension "
                + "set):%n  basic (default): %d in all, per connector %s, cluster level %d%n  full: %d in all, per connector %s, "
                + "cluster level %d%n", BUDGET_CONNECTORS, basic.total(), basic.perConnector(), basic.clusterLevel().size(),
                full.total(), full.perConnector(), full.clusterLevel().size());
        figures += "full, " + fullConnectors.get(0) + ":\n  " + String.join("\n  ", full.of(fullConnectors.get(0))) + "\n";
        System.out.print(figures);
        Files.writeString(Path.of("target/metric-budget.txt"), figures + "basic, " + connectors.get(0) + ":\n  "
                + String.join("\n  ", basic.of(connectors.get(0))) + "\nbasic, cluster level:\n  "
                + String.join("\n  ", basic.clusterLevel()) + "\n");

        assertThat(basic.perConnector()).containsOnlyKeys(connectors).allSatisfy((name, n) ->
                assertThat(n).as("custom metrics of %s by default: %s", name, basic.of(name)).isLessThanOrEqualTo(PER_CONNECTOR_BUDGET));
        assertThat(basic.clusterLevel()).as("cluster-level custom metrics by default").hasSizeLessThanOrEqualTo(CLUSTER_BUDGET);
        assertThat(basic.of("tenant-1")).contains("kafka_connect_task_state_failed [Cluster, Connector]",
                "debezium_streaming_milliseconds_behind_source [Cluster, Connector]",
                "debezium_streaming_connected [Cluster, Connector]",
                "kafka_connect_source_task_source_record_write_total [Cluster, Connector]",
                "connect_aws_replication_slot_retained_wal_bytes [Cluster, Connector]");
        assertThat(full.perConnector()).containsOnlyKeys(fullConnectors).allSatisfy((name, n) ->
                assertThat(n).as("custom metrics of %s at full: every series", name).isGreaterThan(5 * PER_CONNECTOR_BUDGET));
        for (int i = 0; i < BUDGET_CONNECTORS; i++) {
            assertThat(full.of(fullConnectors.get(i))).as("full has everything basic has").containsAll(basic.of(connectors.get(i)));
        }
        assertThat(full.clusterLevel()).containsAll(basic.clusterLevel());
        // Prometheus is not on a budget: the default worker served the series CloudWatch gets only at full
        assertThat(scrape).contains("kafka_connect_task_running_ratio{connector=\"tenant-1\",task=\"0\"}",
                "kafka_connect_producer_record_send_total{connector=\"tenant-1\",task=\"0\"}",
                "kafka_connect_coordinator_assigned_tasks");
    }

    /** Three connectors tenant-N, tenant-N+1, ... on the tables tenant_1..3, each with its own slot; running, rows written. */
    private List<String> startTenants(int first) throws Exception {
        ConnectRest rest = worker.rest();
        List<String> connectors = new ArrayList<>();
        for (int i = 0; i < BUDGET_CONNECTORS; i++) {
            int n = first + i;
            Map<String, String> c = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                    PostgresCdcIT.postgresConnector("budget_" + n, "budget" + n, "public.tenant_" + (i + 1))));
            c.put("database.hostname", DB_HOST);
            assertThat(rest.createConnector("tenant-" + n, c).status()).isEqualTo(201);
            connectors.add("tenant-" + n);
        }
        for (String name : connectors) {
            rest.awaitRunning(name, Duration.ofSeconds(90));
        }
        for (int i = 1; i <= BUDGET_CONNECTORS; i++) {
            psql("INSERT INTO public.tenant_" + i + " SELECT g, 'row ' || g FROM generate_series(" + (first * 100 + 1) + ", "
                    + (first * 100 + 10) + ") g");
        }
        return connectors;
    }

    private ConnectWorker budgetWorker(String group, String detail) {
        ConnectWorker w = new ConnectWorker(group);
        w.withEnv("CONNECT_CLOUDWATCH_SINK", "emf")
                .withEnv("CONNECT_CLOUDWATCH_INTERVAL_SECONDS", "2")
                .withEnv("CONNECT_CLOUDWATCH_CLUSTER", group)
                .withEnv("CONNECT_AWS_PROMETHEUS_PORT", String.valueOf(PROMETHEUS_PORT))
                .addExposedPort(PROMETHEUS_PORT);
        if (detail != null) {
            w.withEnv("CONNECT_CLOUDWATCH_DETAIL", detail);
        }
        return w;
    }

    /**
     * The custom metrics of every EMF line so far, once each connector is connected and its slot has been read, and
     * three more intervals have passed (so each cycle's metrics are in).
     */
    private EmfMetricCount awaitSteadyCount(List<String> connectors) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            EmfMetricCount count = count();
            if (connectors.stream().allMatch(c -> count.of(c).contains("debezium_streaming_connected [Cluster, Connector]")
                    && count.of(c).contains("connect_aws_replication_slot_retained_wal_bytes [Cluster, Connector]"))) {
                ConnectRest.sleep(6500);
                return count();
            }
            ConnectRest.sleep(2000);
        }
        fail("no EMF lines with Debezium connected and the slot read for each of " + connectors + " within 120 s; worker "
                + "stdout:\n" + tail(worker.getLogs(OutputType.STDOUT)));
        return null;
    }

    private EmfMetricCount count() throws Exception {
        EmfMetricCount count = new EmfMetricCount();
        emfLines().forEach(count::add);
        return count;
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
