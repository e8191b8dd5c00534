package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

/**
 * Faults mid-stream against the built image with real Kafka and PostgreSQL, each counted: an application writes
 * 10-row transactions while a fault strikes, and every row the table holds at the end is looked for in Kafka (lost)
 * and counted (repeated). The figures each drill prints are the ones docs/delivery.md quotes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillIT {

    static final int ROWS_PER_TRANSACTION = 10;
    /** The image's offset.flush.interval.ms: what an at-least-once worker killed can repeat at most, plus the lag. */
    static final Duration OFFSET_FLUSH = Duration.ofSeconds(10);
    /** Commit to acknowledged write in Kafka and the flush's own duration, on this 2-vCPU machine with margin. */
    static final Duration DELIVERY_SLACK = Duration.ofSeconds(5);
    /**
     * Rolling replacement: from the old worker's SIGTERM to every connector and task RUNNING on a live worker. Measured
     * here (2 vCPUs, four workers, twelve connectors, 2026-12-07): see docs/delivery.md; the bound leaves room for a
     * slower CI machine and fails when a departed worker's tasks wait for it (Kafka's 5-minute default delay).
     */
    static final Duration ROLLING_MOVE_BOUND = Duration.ofSeconds(60);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(180);
    static final Map<String, String> EXACTLY_ONCE = Map.of("CONNECT_AWS_EXACTLY_ONCE", "true");

    static PostgreSQLContainer postgres;
    private final List<Startable> started = new ArrayList<>();

    @BeforeAll
    static void startDatabase() {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        postgres.start();
    }

    @AfterAll
    static void stopDatabase() {
        Stack.stop(postgres);
    }

    @AfterEach
    void stopWorkers() {
        Stack.stop(started.toArray(Startable[]::new));
        started.clear();
    }

    // ------------------------------------------------------------------------------------------------- kill -9

    @Test
    @Order(1)
    void killNineMidStreamLosesNothingAndRepeatsNothingWithExactlyOnceAtMostAFlushIntervalWithout() throws Exception {
        RowWriter.createTable(jdbcUrl(), "eos_orders");
        RowWriter.createTable(jdbcUrl(), "alo_orders");
        ConnectWorker eos = worker("drill-eos", "drill-eos-1", Stack.KAFKA_INTERNAL, EXACTLY_ONCE);
        ConnectWorker alo = worker("drill-alo", "drill-alo-1", Stack.KAFKA_INTERNAL, Map.of());
        Startables.deepStart(eos, alo).join();
        // a connector asking for exactly-once where the worker does not give it: refused, not run at-least-once
        Map<String, String> asking = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector("drill_asks", "drillasks", "public.alo_orders")));
        asking.put("exactly.once.support", "required");
        ConnectRest.Reply refused = alo.rest().createConnector("alo-asks", asking);
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.message()).contains("exactly.once.support=required", "CONNECT_AWS_EXACTLY_ONCE=true");
        asking.put("name", "alo-asks");
        ConnectRest.Reply validated = alo.rest().validate("io.debezium.connector.postgresql.PostgresConnector", asking);
        assertThat(validated.status()).as(validated.body().toString()).isEqualTo(400);
        assertThat(alo.rest().get("/connectors").body().toString()).doesNotContain("alo-asks");
        create(eos, "eos-orders", "drill_eos", "drilleos", "eos_orders");
        create(alo, "alo-orders", "drill_alo", "drillalo", "alo_orders");
        assertThat(eos.rest().get("/connectors/eos-orders/config").body().path("exactly.once.support").asText())
                .as("Debezium's PostgreSQL connector is created requiring exactly-once on such a worker").isEqualTo("required");
        assertThat(alo.rest().get("/connectors/alo-orders/config").body().has("exactly.once.support")).isFalse();
        awaitRunningOn(eos, "eos-orders", Set.of(eos.workerId()));
        awaitRunningOn(alo, "alo-orders", Set.of(alo.workerId()));

        RowWriter eosWriter = new RowWriter(FaultDrillIT::jdbcUrl, List.of("eos_orders"), ROWS_PER_TRANSACTION, 20);
        RowWriter aloWriter = new RowWriter(FaultDrillIT::jdbcUrl, List.of("alo_orders"), ROWS_PER_TRANSACTION, 20);
        long killedAt;
        try {
            // three offset flushes and a half: the at-least-once bound (one interval and the slack) is then about half
            // of what was written before the kill, so a worker that never flushed would fail it
            ConnectRest.sleep(OFFSET_FLUSH.toMillis() * 3 + 5_000);
            killedAt = System.currentTimeMillis();
            kill(eos);
            kill(alo);
            ConnectWorker eos2 = worker("drill-eos", "drill-eos-2", Stack.KAFKA_INTERNAL, EXACTLY_ONCE);
            ConnectWorker alo2 = worker("drill-alo", "drill-alo-2", Stack.KAFKA_INTERNAL, Map.of());
            Startables.deepStart(eos2, alo2).join();
            awaitRunningOn(eos2, "eos-orders", Set.of(eos2.workerId()));
            long eosBack = System.currentTimeMillis() - killedAt;
            awaitRunningOn(alo2, "alo-orders", Set.of(alo2.workerId()));
            long aloBack = System.currentTimeMillis() - killedAt;
            System.out.printf("FaultDrillIT kill -9: the task RUNNING on a new worker %d ms (exactly-once) and %d ms "
                    + "(at-least-once) after the kill, the new workers' start included%n", eosBack, aloBack);
            ConnectRest.sleep(5_000);
        } finally {
            eosWriter.close();
            aloWriter.close();
        }

        Set<Integer> eosRows = eosWriter.idsIn("eos_orders");
        Set<Integer> aloRows = aloWriter.idsIn("alo_orders");
        Duration window = OFFSET_FLUSH.plus(DELIVERY_SLACK);
        int bound = aloWriter.committedBetween("alo_orders", killedAt - window.toMillis(), killedAt);
        try (KeyCounter committed = new KeyCounter(bootstrap(), "drilleos.public.eos_orders", true);
             KeyCounter uncommitted = new KeyCounter(bootstrap(), "drilleos.public.eos_orders", false);
             KeyCounter plain = new KeyCounter(bootstrap(), "drillalo.public.alo_orders", false)) {
            committed.readAll(eosRows, READ_TIMEOUT, Duration.ofSeconds(3));
            uncommitted.readAll(eosRows, READ_TIMEOUT, Duration.ofSeconds(1));
            plain.readAll(aloRows, READ_TIMEOUT, Duration.ofSeconds(3));
            System.out.printf("FaultDrillIT kill -9, exactly-once: %d rows, %d lost, %d repeated for read_committed "
                            + "(a read_uncommitted consumer sees %d records of the aborted transaction)%n",
                    eosRows.size(), committed.missing(eosRows).size(), committed.duplicates(), uncommitted.duplicates());
            System.out.printf("FaultDrillIT kill -9, at-least-once: %d rows, %d lost, %d repeated; bound: %d rows "
                            + "committed in the %d s before the kill%n", aloRows.size(), plain.missing(aloRows).size(),
                    plain.duplicates(), bound, window.toSeconds());
            assertThat(committed.missing(eosRows)).as("rows lost with exactly-once").isEmpty();
            assertThat(committed.unexpected(eosRows)).as("records of rows the table does not hold").isEmpty();
            assertThat(committed.duplicates()).as("rows repeated for a read_committed consumer with exactly-once").isZero();
            assertThat(plain.missing(aloRows)).as("rows lost at-least-once").isEmpty();
            assertThat(plain.duplicates()).as("rows repeated at-least-once: at most what was committed in one offset "
                    + "flush interval (%s) and the delivery slack (%s) before the kill", OFFSET_FLUSH, DELIVERY_SLACK)
                    .isLessThanOrEqualTo(bound);
        }
    }

    // ---------------------------------------------------------------------------------------- PostgreSQL restart

    @Test
    @Order(2)
    void postgresRestartMidStreamLosesAndRepeatsNothingAndTheTaskRecoversByItself() throws Exception {
        RowWriter.createTable(jdbcUrl(), "pgr_orders");
        ConnectWorker w = worker("drill-pgr", "drill-pgr-1", Stack.KAFKA_INTERNAL, EXACTLY_ONCE);
        w.start();
        create(w, "pgr-orders", "drill_pgr", "drillpgr", "pgr_orders");
        awaitRunningOn(w, "pgr-orders", Set.of(w.workerId()));
        RowWriter writer = new RowWriter(FaultDrillIT::jdbcUrl, List.of("pgr_orders"), ROWS_PER_TRANSACTION, 20);
        Duration recovered;
        try {
            ConnectRest.sleep(6_000);
            Instant down = PostgresOutage.stop(postgres);
            ConnectRest.sleep(5_000);
            PostgresOutage.start(postgres);
            System.out.printf("FaultDrillIT PostgreSQL restart: down %d ms, %d transactions refused meanwhile%n",
                    Duration.between(down, Instant.now()).toMillis(), writer.failures());
            // rows written after the restart must arrive: the task found the database again without a person
            int afterRestart = writer.committed();
            ConnectRest.sleep(8_000);
            assertThat(writer.committed()).as("the application writes again").isGreaterThan(afterRestart);
            recovered = Duration.between(down, Instant.now());
        } finally {
            writer.close();
        }
        Set<Integer> rows = writer.idsIn("pgr_orders");
        try (KeyCounter committed = new KeyCounter(bootstrap(), "drillpgr.public.pgr_orders", true)) {
            committed.readAll(rows, READ_TIMEOUT, Duration.ofSeconds(3));
            JsonNode status = w.rest().get("/connectors/pgr-orders/status").body();
            System.out.printf("FaultDrillIT PostgreSQL restart: %d rows, %d lost, %d repeated; status %s%n", rows.size(),
                    committed.missing(rows).size(), committed.duplicates(), status);
            assertThat(committed.missing(rows)).as("rows lost over a PostgreSQL restart").isEmpty();
            assertThat(committed.duplicates()).as("rows repeated over a PostgreSQL restart, exactly-once").isZero();
            awaitRunningOn(w, "pgr-orders", Set.of(w.workerId()));
        }
        assertThat(w.getLogs()).as("no REST restart was needed").doesNotContain("POST /connectors/pgr-orders/restart");
        System.out.printf("FaultDrillIT PostgreSQL restart: every row in Kafka %d s after the database went down%n",
                recovered.toSeconds());
    }

    // -------------------------------------------------------------------------------------------- broker restart

    @Test
    @Order(3)
    void brokerRestartMidStreamLosesAndRepeatsNothingWithExactlyOnce() throws Exception {
        int hostPort;
        try (ServerSocket free = new ServerSocket(0)) {
            hostPort = free.getLocalPort();
        }
        // a broker of its own, on a fixed host port: a restarted container keeps its address for the host's consumer
        KafkaContainer broker = new KafkaContainer(Images.kafka())
                .withNetwork(Stack.network())
                .withNetworkAliases("drillkafka")
                .withListener("drillkafka:19092")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(9092))));
        started.add(broker);
        broker.start();
        RowWriter.createTable(jdbcUrl(), "brk_orders");
        ConnectWorker w = worker("drill-brk", "drill-brk-1", "drillkafka:19092", EXACTLY_ONCE);
        w.start();
        create(w, "brk-orders", "drill_brk", "drillbrk", "brk_orders");
        awaitRunningOn(w, "brk-orders", Set.of(w.workerId()));
        RowWriter writer = new RowWriter(FaultDrillIT::jdbcUrl, List.of("brk_orders"), ROWS_PER_TRANSACTION, 20);
        try {
            ConnectRest.sleep(6_000);
            var docker = DockerClientFactory.instance().client();
            Instant down = Instant.now();
            docker.stopContainerCmd(broker.getContainerId()).withTimeout(10).exec();
            ConnectRest.sleep(5_000);
            docker.startContainerCmd(broker.getContainerId()).exec();
            System.out.printf("FaultDrillIT broker restart: the broker was away %d ms%n",
                    Duration.between(down, Instant.now()).toMillis());
            ConnectRest.sleep(8_000);
        } finally {
            writer.close();
        }
        Set<Integer> rows = writer.idsIn("brk_orders");
        try (KeyCounter committed = new KeyCounter(broker.getBootstrapServers(), "drillbrk.public.brk_orders", true)) {
            committed.readAll(rows, READ_TIMEOUT, Duration.ofSeconds(3));
            System.out.printf("FaultDrillIT broker restart: %d rows, %d lost, %d repeated; status %s%n", rows.size(),
                    committed.missing(rows).size(), committed.duplicates(),
                    w.rest().get("/connectors/brk-orders/status").body());
            assertThat(committed.missing(rows)).as("rows lost over a broker restart").isEmpty();
            assertThat(committed.duplicates()).as("rows repeated over a broker restart, exactly-once").isZero();
        }
    }

    // ----------------------------------------------------------------------------------------- rolling replacement

    @Test
    @Order(4)
    void rollingReplacementOfThreeWorkersWithTwelveConnectorsLosesNothingAndMovesTasksWithinTheBound() throws Exception {
        int connectors = 12;
        List<String> tables = IntStream.range(0, connectors).mapToObj(i -> String.format("roll_%02d", i)).toList();
        for (String table : tables) {
            RowWriter.createTable(jdbcUrl(), table);
        }
        List<ConnectWorker> live = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            live.add(worker("drill-roll", "drill-roll-" + i, Stack.KAFKA_INTERNAL, Map.of()));
        }
        Startables.deepStart(live.toArray(Startable[]::new)).join();
        for (String table : tables) {
            create(live.get(0), table.replace('_', '-'), "drill_" + table, "drill" + table.replace("_", ""), table);
        }
        awaitAllRunningOn(live.get(0), connectors, ids(live), Duration.ofSeconds(180));
        RowWriter writer = new RowWriter(FaultDrillIT::jdbcUrl, tables, ROWS_PER_TRANSACTION, 24);
        List<Long> moves = new ArrayList<>();
        try {
            ConnectRest.sleep(5_000);
            for (int i = 1; i <= 3; i++) {
                // ECS's rolling deployment: the new task first, healthy, then SIGTERM to an old one
                ConnectWorker fresh = worker("drill-roll", "drill-roll-" + (i + 3), Stack.KAFKA_INTERNAL, Map.of());
                fresh.start();
                live.add(fresh);
                ConnectWorker old = live.remove(0);
                Instant term = Instant.now();
                DockerClientFactory.instance().client().stopContainerCmd(old.getContainerId())
                        .withTimeout((int) RestartResilienceIT.ECS_STOP_TIMEOUT.toSeconds()).exec();
                Duration moved = awaitAllRunningOn(fresh, connectors, ids(live), Duration.ofSeconds(360));
                long ms = Duration.between(term, Instant.now()).toMillis();
                moves.add(ms);
                System.out.printf("FaultDrillIT rolling: worker %d replaced by worker %d; every task RUNNING on a live "
                        + "worker %d ms after its SIGTERM (polled %d ms)%n", i, i + 3, ms, moved.toMillis());
            }
            ConnectRest.sleep(3_000);
        } finally {
            writer.close();
        }
        int rows = 0;
        int repeated = 0;
        for (String table : tables) {
            Set<Integer> ids = writer.idsIn(table);
            rows += ids.size();
            try (KeyCounter counter = new KeyCounter(bootstrap(), "drill" + table.replace("_", "") + ".public." + table,
                    false)) {
                counter.readAll(ids, READ_TIMEOUT, Duration.ofMillis(500));
                assertThat(counter.missing(ids)).as("rows of %s lost in the rolling replacement", table).isEmpty();
                repeated += counter.duplicates();
            }
        }
        System.out.printf("FaultDrillIT rolling: %d connectors, %d rows, 0 lost, %d repeated; moves %s ms%n", connectors,
                rows, repeated, moves);
        assertThat(moves).as("SIGTERM to every task RUNNING on a live worker, each of the three replacements")
                .allMatch(ms -> ms < ROLLING_MOVE_BOUND.toMillis());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private ConnectWorker worker(String group, String alias, String bootstrap, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults(group));
        env.put("BOOTSTRAP_SERVERS", bootstrap);
        env.putAll(more);
        ConnectWorker w = new ConnectWorker(alias, env);
        started.add(w);
        return w;
    }

    private static void create(ConnectWorker w, String name, String slot, String prefix, String table) {
        Map<String, String> config = CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector(slot, prefix, "public." + table));
        ConnectRest.Reply created = w.rest().createConnector(name, config);
        assertThat(created.status()).as("create %s: %s", name, created.body()).isEqualTo(201);
    }

    private static void kill(ConnectWorker w) {
        DockerClientFactory.instance().client().killContainerCmd(w.getContainerId()).withSignal("SIGKILL").exec();
    }

    private static Set<String> ids(List<ConnectWorker> workers) {
        return workers.stream().map(ConnectWorker::workerId).collect(Collectors.toSet());
    }

    /** Waits until the connector and each of its tasks is RUNNING on one of {@code live}; returns how long it took. */
    private static Duration awaitRunningOn(ConnectWorker w, String name, Set<String> live) {
        Instant start = Instant.now();
        w.rest().await("/connectors/" + name + "/status", r -> r.status() == 200 && runningOn(r.body(), live),
                Duration.ofSeconds(180), name + " RUNNING on " + live);
        return Duration.between(start, Instant.now());
    }

    /** Waits until {@code count} connectors and all their tasks are RUNNING on workers of {@code live}. */
    private static Duration awaitAllRunningOn(ConnectWorker w, int count, Set<String> live, Duration timeout) {
        Instant start = Instant.now();
        w.rest().await("/connectors?expand=status", r -> {
            if (r.status() != 200 || r.body().size() != count) {
                return false;
            }
            for (JsonNode connector : r.body()) {
                if (!runningOn(connector.path("status"), live)) {
                    return false;
                }
            }
            return true;
        }, timeout, count + " connectors RUNNING on " + live);
        return Duration.between(start, Instant.now());
    }

    private static boolean runningOn(JsonNode status, Set<String> live) {
        JsonNode tasks = status.path("tasks");
        if (!"RUNNING".equals(status.path("connector").path("state").asText())
                || !live.contains(status.path("connector").path("worker_id").asText()) || tasks.isEmpty()) {
            return false;
        }
        for (JsonNode task : tasks) {
            if ("FAILED".equals(task.path("state").asText())) {
                fail("a task FAILED: " + task.path("trace").asText());
            }
            if (!"RUNNING".equals(task.path("state").asText()) || !live.contains(task.path("worker_id").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The database's address from the host now: its mapped port changes when it is restarted. */
    static String jdbcUrl() {
        var bindings = DockerClientFactory.instance().client().inspectContainerCmd(postgres.getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(5432));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("PostgreSQL is down");
        }
        return "jdbc:postgresql://" + postgres.getHost() + ":" + bindings[0].getHostPortSpec() + "/inventory";
    }

    private static String bootstrap() {
        return Stack.kafka().getBootstrapServers();
    }
}
