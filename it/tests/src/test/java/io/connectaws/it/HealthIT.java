package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.it.TopicReader.Event;

/**
 * Liveness, readiness, self-healing and the shell-free probe, through the image with a real broker and a real
 * PostgreSQL that the tests stop and start again: a database outage is what fails the tasks here.
 */
class HealthIT {
    static final String DB_HOST = "health-pg";
    static final String[] PROBE = {"/opt/java/bin/java", "@/opt/connect/config/probe.args"};

    static PostgreSQLContainer postgres;
    private ConnectWorker a;
    private ConnectWorker b;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(DB_HOST);
        postgres.start();
        PostgresOutage.psql(postgres, "CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
    }

    @AfterAll
    static void stop() {
        Stack.stop(postgres);
    }

    @AfterEach
    void stopWorkers() {
        Stack.stop(a, b);
        a = null;
        b = null;
    }

    /** A worker checking health every second, with the given extra environment. */
    private static ConnectWorker worker(String group, Map<String, String> env) {
        ConnectWorker w = new ConnectWorker(group);
        w.withEnv("CONNECT_HEALTH_CHECK_INTERVAL_MS", "1000");
        env.forEach(w::withEnv);
        return w;
    }

    /** A connector on the test database that fails its task at once when the database goes away. */
    private static Map<String, String> connector(String slot, String prefix) {
        Map<String, String> c = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector(slot, prefix, "public.orders")));
        c.put("database.hostname", DB_HOST);
        // no internal retries: a lost connection FAILS the task (the default, -1, retries inside the task forever)
        c.put("errors.max.retries", "0");
        return c;
    }

    @Test
    void aStartingWorkerIsLiveButNotReadyAndTheProbeSaysSoInsideTheImage() throws Exception {
        String kafkaId = Stack.kafka().getContainerId();
        var docker = DockerClientFactory.instance().client();
        // A paused broker holds the worker in its first start phase (cluster id lookup, REST not listening yet).
        docker.pauseContainerCmd(kafkaId).exec();
        try {
            a = worker("health-start", Map.of());
            a.waitingFor(Wait.forLogMessage(".*Kafka Connect worker initializing.*", 1));
            a.start();
            ExecResult live = a.execInContainer(probe("live"));
            ExecResult ready = a.execInContainer(probe("ready"));
            System.out.printf("probe while starting: live=%d %s / ready=%d %s%n", live.getExitCode(), live.getStdout().trim(),
                    ready.getExitCode(), ready.getStdout().trim());
            assertThat(live.getExitCode()).as("live while starting: %s", live.getStdout()).isZero();
            assertThat(live.getStdout()).contains("starting");
            assertThat(ready.getExitCode()).as("ready while starting: %s", ready.getStdout()).isEqualTo(1);
        } finally {
            docker.unpauseContainerCmd(kafkaId).exec();
        }
        ConnectRest rest = a.rest();
        awaitStatus(rest, "/health/ready", 200, Duration.ofSeconds(90));
        assertThat(rest.get("/health/live").status()).isEqualTo(200);
        assertThat(a.execInContainer(probe("live")).getExitCode()).isZero();
        ExecResult ready = a.execInContainer(probe("ready"));
        assertThat(ready.getExitCode()).as(ready.getStdout()).isZero();
        assertThat(ready.getStdout()).startsWith("ready: HTTP 200");
        // the shipped task definition's healthCheck command and target group path, run as ECS and an ALB would
        JsonNode taskDefinition = ConnectRest.JSON.readTree(Path.of("../../config/ecs/connect-task-definition.json").toFile());
        List<String> command = new ArrayList<>();
        taskDefinition.path("containerDefinitions").path(0).path("healthCheck").path("command").forEach(n -> command.add(n.asText()));
        assertThat(command.get(0)).isEqualTo("CMD");
        ExecResult ecsCheck = a.execInContainer(command.subList(1, command.size()).toArray(String[]::new));
        assertThat(ecsCheck.getExitCode()).as("task definition healthCheck: %s", ecsCheck.getStdout()).isZero();
        String targetGroupPath = ConnectRest.JSON.readTree(Path.of("../../config/ecs/target-group-health.json").toFile())
                .path("HealthCheckPath").asText();
        assertThat(rest.get(targetGroupPath).status()).isEqualTo(200);
        // Kafka's own endpoint is still Kafka's
        ConnectRest.Reply kafkaHealth = rest.get("/health");
        assertThat(kafkaHealth.status()).isEqualTo(200);
        assertThat(kafkaHealth.body().path("status").asText()).isEqualTo("healthy");
        JsonNode body = rest.get("/health/ready").body();
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("worker").path("state").asText()).isEqualTo("running");
        assertThat(body.path("selfHealing").path("enabled").asBoolean()).as("on by default").isTrue();
        // health checks are not logged as REST requests; other requests still are
        rest.get("/connectors");
        ConnectRest.sleep(1500);
        assertThat(a.getLogs()).contains("\"GET /connectors HTTP/1.1\"").doesNotContain("\"GET /health");
    }

    @Test
    void aFailedTaskMakesOnlyItsOwnWorkerUnreadyWhilePausedAndIgnoredConnectorsDoNotCount() throws Exception {
        Map<String, String> env = Map.of("CONNECT_HEALTH_AUTORESTART_ENABLED", "false",
                "CONNECT_HEALTH_READINESS_IGNORE", "ignored-.*");
        a = worker("health-pair", env);
        b = worker("health-pair", env);
        a.start();
        b.start();
        ConnectRest rest = a.rest();
        assertThat(rest.createConnector("orders", connector("hp_orders", "hp")).status()).isEqualTo(201);
        assertThat(rest.createConnector("ignored-orders", connector("hp_ignored", "hpi")).status()).isEqualTo(201);
        assertThat(rest.createConnector("paused-orders", connector("hp_paused", "hpp")).status()).isEqualTo(201);
        for (String c : List.of("orders", "ignored-orders", "paused-orders")) rest.awaitRunning(c, Duration.ofSeconds(90));
        assertThat(rest.call("PUT", "/connectors/paused-orders/pause", null).status()).isEqualTo(202);
        rest.await("/connectors/paused-orders/status", r -> r.body().path("tasks").path(0).path("state").asText().equals("PAUSED"),
                Duration.ofSeconds(30), "the task PAUSED");
        awaitStatus(a.rest(), "/health/ready", 200, Duration.ofSeconds(30));
        awaitStatus(b.rest(), "/health/ready", 200, Duration.ofSeconds(30));

        PostgresOutage.stop(postgres);
        try {
            rest.awaitFailed("orders", Duration.ofSeconds(60), "orders after the database stopped");
            rest.awaitFailed("ignored-orders", Duration.ofSeconds(60), "ignored-orders after the database stopped");
            String owner = rest.get("/connectors/orders/status").body().path("tasks").path(0).path("worker_id").asText();
            ConnectWorker ownerWorker = workerId(a).equals(owner) ? a : b;
            ConnectWorker other = ownerWorker == a ? b : a;
            System.out.printf("orders-0 FAILED on %s; other worker %s%n", owner, workerId(other));

            JsonNode unready = awaitStatus(ownerWorker.rest(), "/health/ready", 503, Duration.ofSeconds(30));
            assertThat(unready.path("status").asText()).isEqualTo("not ready");
            assertThat(unready.path("unhealthy")).hasSize(1);
            JsonNode failed = unready.path("unhealthy").path(0);
            assertThat(failed.path("connector").asText()).isEqualTo("orders");
            assertThat(failed.path("task").asInt()).isZero();
            assertThat(failed.path("state").asText()).isEqualTo("FAILED");
            assertThat(failed.path("worker").asText()).isEqualTo(owner);
            assertThat(failed.path("trace").asText()).isNotBlank().hasSizeLessThanOrEqualTo(503);
            assertThat(unready.toString()).doesNotContain("cdc-secret");

            // the other worker stays ready: another worker's failure, an ignored one or a paused one is not its own
            ConnectRest.sleep(3000);
            JsonNode otherReady = other.rest().get("/health/ready").body();
            assertThat(otherReady.path("status").asText()).as("other worker: %s", otherReady).isEqualTo("ready");
            assertThat(otherReady.path("unhealthy")).isEmpty();
            String ignoredOwner = rest.get("/connectors/ignored-orders/status").body().path("tasks").path(0).path("worker_id").asText();
            JsonNode ignoredView = (workerId(a).equals(ignoredOwner) ? a : b).rest().get("/health/ready").body();
            assertThat(ignoredView.path("ignored").toString()).contains("ignored-orders");

            // liveness never follows a connector
            assertThat(a.rest().get("/health/live").status()).isEqualTo(200);
            assertThat(b.rest().get("/health/live").status()).isEqualTo(200);
            // the probe, run the way ECS runs a container health check
            ExecResult ownerProbe = ownerWorker.execInContainer(probe("ready"));
            assertThat(ownerProbe.getExitCode()).as(ownerProbe.getStdout()).isEqualTo(1);
            assertThat(ownerProbe.getStdout()).startsWith("ready: HTTP 503").contains("orders");
            assertThat(ownerWorker.execInContainer(probe("live")).getExitCode()).isZero();
            assertThat(other.execInContainer(probe("ready")).getExitCode()).isZero();
        } finally {
            PostgresOutage.start(postgres);
        }
    }

    @Test
    void selfHealingRestartsAFailedTaskOnceTheDatabaseIsBack() throws Exception {
        a = worker("health-heal", Map.of("CONNECT_HEALTH_AUTORESTART_BACKOFF_UNIT_MS", "1000"));
        a.start();
        ConnectRest rest = a.rest();
        assertThat(rest.createConnector("healing", connector("hh_orders", "hh")).status()).isEqualTo(201);
        rest.awaitRunning("healing", Duration.ofSeconds(90));
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "hh.public.orders")) {
            PostgresOutage.psql(postgres, "INSERT INTO public.orders (id, note) VALUES (1001, 'before the outage')");
            reader.awaitEvents(events -> ids(events).contains(1001), CdcScenario.EVENT_TIMEOUT, "row 1001");

            PostgresOutage.stop(postgres);
            Instant down = Instant.now();
            JsonNode unready;
            try {
                unready = awaitStatus(rest, "/health/ready", 503, Duration.ofSeconds(60));
                assertThat(unready.path("unhealthy").toString()).contains("\"connector\":\"healing\"").contains("FAILED");
                assertThat(rest.get("/health/live").status()).isEqualTo(200);
                // stay down a while: self-healing keeps trying with growing gaps (0, 2, 6, 12 s with a 1 s unit)
                ConnectRest.sleep(8000);
            } finally {
                PostgresOutage.start(postgres);
            }
            System.out.printf("database down for %d s%n", Duration.between(down, Instant.now()).toSeconds());

            JsonNode healed = awaitStatus(rest, "/health/ready", 200, Duration.ofSeconds(90));
            long restarts = healed.path("selfHealing").path("restarts").asLong();
            System.out.printf("healed after %d self-healing restarts: %s%n", restarts, healed);
            assertThat(restarts).isGreaterThanOrEqualTo(1);
            rest.awaitRunning("healing", Duration.ofSeconds(10));
            assertThat(a.getLogs()).contains("Self-healing: restarted FAILED task healing-0");

            PostgresOutage.psql(postgres, "INSERT INTO public.orders (id, note) VALUES (1002, 'after the outage')");
            reader.awaitEvents(events -> ids(events).contains(1002), CdcScenario.EVENT_TIMEOUT, "row 1002 after healing");
        }
    }

    private static String[] probe(String endpoint) {
        return new String[] {PROBE[0], PROBE[1], endpoint};
    }

    private static String workerId(ConnectWorker w) {
        return w.rest().get("/health/live").body().path("worker").path("id").asText();
    }

    private static java.util.Set<Integer> ids(List<Event> events) {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (Event e : events) if (e.key() != null) ids.add(e.key().path("id").asInt());
        return ids;
    }

    /** Polls {@code path} until it answers {@code status}; returns that body. */
    private static JsonNode awaitStatus(ConnectRest rest, String path, int status, Duration timeout) {
        return rest.await(path, r -> r.status() == status, timeout, "HTTP " + status).body();
    }
}
