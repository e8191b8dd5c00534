package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 25, "Health that sees a dead database": PostgreSQL stops under a running Debezium connector with the
 * defaults (Debezium retries every 10 s for ever, self-healing on). Connect keeps saying RUNNING throughout, and
 * Debezium's own metrics vanish while it retries; readiness must name the task DISCONNECTED and its gauge read 0
 * within the documented bound (docs/health.md, Database connections), and both recover when the database is back.
 */
class DatabaseOutageIT {
    static final String DB_HOST = "outage-pg";
    static final String CONNECTOR = "outage-orders";
    static final String PREFIX = "outage";
    static final int PROMETHEUS_PORT = 9404;
    /** health.disconnected.after.ms for this test (60 s by default). */
    static final Duration BOUND = Duration.ofSeconds(5);
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long Debezium may still report Connected=1 after the database went away, before it notices and removes its
     * MBeans (measured: 8-10 s after a fast shutdown; its retries are 10 s apart); docs/health.md gives the figure.
     */
    static final Duration DEBEZIUM_NOTICES = Duration.ofSeconds(20);
    static final Pattern GAUGE = Pattern.compile("(?m)^connect_aws_health_database_connected\\{connector=\"" + CONNECTOR
            + "\",task=\"0\",?} (\\S+)$");

    static PostgreSQLContainer postgres;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(DB_HOST);
        postgres.start();
        PostgresOutage.psql(postgres, "CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
        worker = new ConnectWorker("db-outage");
        worker.withEnv("CONNECT_HEALTH_CHECK_INTERVAL_MS", String.valueOf(CHECK_INTERVAL.toMillis()))
                .withEnv("CONNECT_HEALTH_DISCONNECTED_AFTER_MS", String.valueOf(BOUND.toMillis()))
                .withEnv("CONNECT_AWS_PROMETHEUS_PORT", String.valueOf(PROMETHEUS_PORT))
                .addExposedPort(PROMETHEUS_PORT);
        worker.start();
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, postgres);
    }

    @Test
    void aStoppedDatabaseMakesTheTaskDisconnectedWhileConnectSaysRunningAndBothRecover() throws Exception {
        ConnectRest rest = worker.rest();
        Map<String, String> config = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector("outage_slot", PREFIX, "public.orders")));
        config.put("database.hostname", DB_HOST);
        assertThat(rest.createConnector(CONNECTOR, config).status()).isEqualTo(201);
        rest.awaitRunning(CONNECTOR, Duration.ofSeconds(90));
        awaitGauge("1.0", Duration.ofSeconds(60));
        rest.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(30), "ready");

        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), PREFIX + ".public.orders")) {
            PostgresOutage.psql(postgres, "INSERT INTO public.orders (id, note) VALUES (1, 'before the outage')");
            reader.awaitEvents(events -> has(events, 1), CdcScenario.EVENT_TIMEOUT, "row 1");

            Instant down;
            try {
                down = PostgresOutage.stop(postgres);
                Duration bound = DEBEZIUM_NOTICES.plus(BOUND).plus(CHECK_INTERVAL).plusSeconds(2);
                JsonNode unready = rest.await("/health/ready", r -> r.status() == 503, bound, "503").body();
                Duration unreadyAfter = Duration.between(down, Instant.now());
                awaitGauge("0.0", Duration.ofSeconds(3));
                Duration zeroAfter = Duration.between(down, Instant.now());
                System.out.printf("database down: /health/ready 503 after %d ms, gauge 0 after %d ms: %s%n",
                        unreadyAfter.toMillis(), zeroAfter.toMillis(), unready);

                assertThat(unready.path("status").asText()).isEqualTo("not ready");
                assertThat(unready.path("unhealthy")).hasSize(1);
                JsonNode task = unready.path("unhealthy").path(0);
                assertThat(task.path("connector").asText()).isEqualTo(CONNECTOR);
                assertThat(task.path("task").asInt()).isZero();
                assertThat(task.path("state").asText()).isEqualTo("DISCONNECTED");
                assertThat(task.path("detail").asText()).matches("not connected to its database for \\d+ s: .*server=" + PREFIX + ".*");
                assertThat(unready.path("reason").asText()).contains("task " + CONNECTOR + "-0 DISCONNECTED (not connected to its database for ");
                assertThat(unready.path("policy").path("disconnectedAfterSeconds").asLong()).isEqualTo(BOUND.toSeconds());
                // what made this invisible before: Connect says RUNNING and Debezium's own gauge is gone, not 0
                JsonNode status = rest.get("/connectors/" + CONNECTOR + "/status").body();
                assertThat(status.path("tasks").path(0).path("state").asText()).as("Connect's view: %s", status).isEqualTo("RUNNING");
                String scrape = scrape();
                assertThat(scrape).doesNotContainPattern("debezium_streaming_connected\\{[^}]*server=\"" + PREFIX + "\"[^}]*} 1");
                assertThat(scrape).containsPattern("(?m)^connect_aws_health_disconnected_tasks 1\\.0$");
                assertThat(rest.get("/health/live").status()).as("liveness never follows a connector").isEqualTo(200);
            } finally {
                PostgresOutage.start(postgres);
            }

            Instant back = Instant.now();
            rest.await("/health/ready", r -> r.status() == 200, Duration.ofSeconds(60), "ready again");
            awaitGauge("1.0", Duration.ofSeconds(5));
            System.out.printf("database back: ready and gauge 1 after %d ms%n", Duration.between(back, Instant.now()).toMillis());
            assertThat(scrape()).containsPattern("(?m)^connect_aws_health_disconnected_tasks 0\\.0$");

            PostgresOutage.psql(postgres, "INSERT INTO public.orders (id, note) VALUES (2, 'after the outage')");
            reader.awaitEvents(events -> has(events, 2), CdcScenario.EVENT_TIMEOUT, "row 2 after the outage");
        }
    }

    private static boolean has(java.util.List<TopicReader.Event> events, int id) {
        return events.stream().anyMatch(e -> e.key() != null && e.key().path("id").asInt() == id);
    }

    /** The worker's Prometheus endpoint: the shipped rules, as a scraper sees them. */
    private static String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + worker.getHost() + ":"
                + worker.getMappedPort(PROMETHEUS_PORT) + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Optional<String> gauge() throws Exception {
        Matcher m = GAUGE.matcher(scrape());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Polls the task's connect_aws_health_database_connected until it reads {@code value}. */
    private static void awaitGauge(String value, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Optional<String> last = gauge();
        while (!last.equals(Optional.of(value))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("connect_aws_health_database_connected of " + CONNECTOR + "-0 never read " + value
                        + " within " + timeout + "; last: " + last.orElse("absent"));
            }
            ConnectRest.sleep(250);
            last = gauge();
        }
    }
}
