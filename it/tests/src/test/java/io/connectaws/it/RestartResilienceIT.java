package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.github.dockerjava.api.command.InspectContainerResponse;

import io.connectaws.it.TopicReader.Event;

/**
 * The worker is stopped the way ECS stops a task (SIGTERM, then a grace period), rows are written
 * while it is down, and a new worker of the same group resumes from the committed offset.
 */
class RestartResilienceIT {

    /** ECS's default stopTimeout: past it the container is killed. */
    static final Duration ECS_STOP_TIMEOUT = Duration.ofSeconds(30);

    static PostgreSQLContainer postgres;
    static ConnectWorker first;
    static ConnectWorker second;

    @BeforeAll
    static void start() {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        postgres.start();
    }

    @AfterAll
    static void stop() {
        Stack.stop(first, second, postgres);
    }

    private static void insert(int fromId, int toId) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = c.createStatement()) {
            for (int id = fromId; id <= toId; id++) {
                s.execute("INSERT INTO public.orders (id, note) VALUES (" + id + ", 'order " + id + "')");
            }
        }
    }

    @Test
    void resumesFromCommittedOffsetAfterSigtermWithoutResnapshotOrLoss() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
        }
        insert(1, 5);

        first = new ConnectWorker("restart");
        first.start();
        var config = CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector("it_restart", "rs", "public.orders"));
        assertThat(first.rest().createConnector("orders", config).status()).isEqualTo(201);
        first.rest().awaitRunning("orders", Duration.ofSeconds(90));

        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "rs.public.orders")) {
            reader.awaitCount(5, CdcScenario.EVENT_TIMEOUT);
            insert(6, 10);
            reader.awaitCount(10, CdcScenario.EVENT_TIMEOUT);

            // docker stop: SIGTERM to the JVM (PID 1), SIGKILL only after the timeout.
            long started = System.nanoTime();
            first.getDockerClient().stopContainerCmd(first.getContainerId())
                    .withTimeout((int) ECS_STOP_TIMEOUT.toSeconds()).exec();
            Duration stopTook = Duration.ofNanos(System.nanoTime() - started);
            InspectContainerResponse stopped = first.getDockerClient().inspectContainerCmd(first.getContainerId()).exec();
            String logs = first.getLogs();
            System.out.printf("worker stopped on SIGTERM in %d ms, exit code %d%n",
                    stopTook.toMillis(), stopped.getState().getExitCodeLong());
            assertThat(stopTook).as("stop time").isLessThan(ECS_STOP_TIMEOUT.minusSeconds(10));
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited by itself, not killed (137).
            assertThat(stopped.getState().getExitCodeLong()).isEqualTo(143L);
            assertThat(logs).contains("Kafka Connect stopped");
            first.stop();

            insert(11, 20);

            second = new ConnectWorker("restart");
            second.start();
            second.rest().awaitRunning("orders", Duration.ofSeconds(90));

            List<Event> events = reader.awaitEvents(e -> ids(e).containsAll(range(1, 20)),
                    CdcScenario.EVENT_TIMEOUT, "rows 1..20");
            events = reader.drain(Duration.ofSeconds(3));

            assertThat(events.stream().filter(e -> "r".equals(e.op())).count()).as("snapshot events (no re-snapshot)").isEqualTo(5);
            assertThat(events.subList(5, events.size())).extracting(Event::op).containsOnly("c");
            assertThat(ids(events)).as("no lost row").containsExactlyInAnyOrderElementsOf(range(1, 20));
            assertThat(events).as("no row twice: offsets were committed on SIGTERM").hasSize(20);
        }
    }

    private static Set<Integer> ids(List<Event> events) {
        return events.stream().map(e -> e.key().path("id").asInt()).collect(Collectors.toSet());
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
