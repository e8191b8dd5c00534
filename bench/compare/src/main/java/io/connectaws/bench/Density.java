package io.connectaws.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Many tenants on one worker: TENANTS PostgreSQL databases with one connector each, on a worker limited to
 * WORKER_MEMORY_MB (4 GiB). Measured per image: the time to deploy the set through REST (4 requests at a time)
 * until every connector and task is RUNNING with its snapshot in Kafka; the worker's RSS per connector (idle with the
 * set minus idle without it); the start time of the whole set (the worker replaced by a new container of the same
 * group, to every connector and task RUNNING); the rebalance when a second worker joins (to every connector and task
 * RUNNING again with the newcomer holding its balanced share). An OOM kill or a failed task ends the scenario.
 */
final class Density {

    private Density() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        int n = settings.tenants;
        Measurement deploy = results.measure("density.deploy", n + " tenant connectors: deploy to all RUNNING", "s", false, null);
        Measurement perConnector = results.measure("density.rss", "RSS per tenant connector", "MiB", false, null);
        Measurement total = results.measure("density.total", "Idle RSS with " + n + " tenant connectors", "MiB", false, null);
        Measurement restart = results.measure("start.density", "Worker start with " + n + " connectors to all RUNNING", "s", false, null);
        Measurement rebalance = results.measure("start.rebalance", "Second worker joins: rebalance to all RUNNING", "s", false, null);
        createTenants(lab, n);
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (Flavour flavour : settings.flavours) {
                String group = "bench-dens-" + flavour.label;
                List<String> names = new ArrayList<>();
                List<String> topicNames = new ArrayList<>();
                for (int t = 1; t <= n; t++) {
                    names.add(String.format("t%03d%s", t, flavour.label));
                    topicNames.add(String.format("t%03d%s.public.accounts", t, flavour.label));
                }
                topics.create(topicNames);
                Worker first = Worker.start(lab, flavour, group + "-1", flavour.env(group), settings.workerMemory);
                Worker second = null;
                Worker replacement = null;
                try {
                    first.awaitReady(Duration.ofMinutes(3));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    double idle0 = Memory.mib(first.memory()[0]);
                    long start = System.nanoTime();
                    ExecutorService pool = Executors.newFixedThreadPool(4);
                    List<Future<?>> puts = new ArrayList<>();
                    for (int t = 1; t <= n; t++) {
                        String name = names.get(t - 1);
                        String db = String.format("tenant_%03d", t);
                        puts.add(pool.submit(() -> first.rest().putConnector(name,
                                Workloads.postgres(db, name, name, "public.accounts", "initial"))));
                    }
                    for (Future<?> put : puts) {
                        put.get();
                    }
                    pool.shutdown();
                    long deployed = Waits.until(n + " tenants RUNNING with their snapshots", Duration.ofMinutes(30), 1000,
                            () -> allRunning(first, flavour, n, null) && topics.ends(topicNames).values().stream()
                                    .filter(end -> end >= 10).count() == n);
                    deploy.add(flavour.label, Waits.seconds(start, deployed));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    double idleN = Memory.mib(first.memory()[0]);
                    total.add(flavour.label, idleN);
                    perConnector.add(flavour.label, (idleN - idle0) / n);
                    System.out.printf("bench: density %s: %d connectors deployed in %.1f s, RSS %.0f MiB (%.1f MiB each)%n",
                            flavour.label, n, Waits.seconds(start, deployed), idleN, (idleN - idle0) / n);

                    first.close();
                    replacement = Worker.start(lab, flavour, group + "-1b", flavour.env(group), settings.workerMemory);
                    Worker restarted = replacement;
                    long up = Waits.until(n + " tenants RUNNING after a restart", Duration.ofMinutes(30), 500,
                            () -> allRunning(restarted, flavour, n, null));
                    restart.add(flavour.label, Waits.seconds(restarted.startedNanos, up));

                    second = Worker.start(lab, flavour, group + "-2", flavour.env(group), settings.workerMemory);
                    Worker joined = second;
                    long balanced = Waits.until("rebalance onto a second worker", Duration.ofMinutes(30), 500,
                            () -> allRunning(restarted, flavour, n, joined));
                    rebalance.add(flavour.label, Waits.seconds(joined.startedNanos, balanced));
                    System.out.printf("bench: density %s: restart to all RUNNING %.1f s, rebalance onto a second worker %.1f s%n",
                            flavour.label, Waits.seconds(restarted.startedNanos, up), Waits.seconds(joined.startedNanos, balanced));
                } catch (RuntimeException e) {
                    results.failures.add("density " + flavour.label + ": " + e.getMessage());
                    System.err.println("bench: density " + flavour.label + " failed: " + e.getMessage());
                    System.err.println(first.logTail(30));
                } finally {
                    quietly(first);
                    quietly(replacement);
                    quietly(second);
                }
                Waits.sleep(2000);
                new Workloads(lab).dropInactiveSlots();
            }
        }
        results.details.put("density.workerMemoryBytes", settings.workerMemory);
    }

    /**
     * Every tenant connector and its task RUNNING, as {@code worker} reports them; with {@code joined}, also the
     * worker that joined holding its balanced share (half of the connectors and half of the tasks, rounded down).
     */
    private static boolean allRunning(Worker worker, Flavour flavour, int n, Worker joined) {
        JsonNode all = worker.rest().json("/connectors?expand=status");
        if (all == null) {
            return false;
        }
        int running = 0;
        int onJoined = 0;
        for (var entry : all.properties()) {
            if (!entry.getKey().endsWith(flavour.label)) {
                continue;
            }
            JsonNode status = entry.getValue().path("status");
            if ("RUNNING".equals(status.path("connector").path("state").asText())) {
                running++;
                if (joined != null && joined.isWorkerId(status.path("connector").path("worker_id").asText())) {
                    onJoined++;
                }
            }
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new IllegalStateException("task of " + entry.getKey() + " FAILED: " + task.path("trace").asText().lines().findFirst().orElse(""));
                }
                if ("RUNNING".equals(task.path("state").asText())) {
                    running++;
                    if (joined != null && joined.isWorkerId(task.path("worker_id").asText())) {
                        onJoined++;
                    }
                }
            }
        }
        return running == 2 * n && (joined == null || onJoined >= Math.max(1, 2 * (n / 2)));
    }

    private static void createTenants(Lab lab, int n) throws Exception {
        Workloads workloads = new Workloads(lab);
        for (int t = 1; t <= n; t++) {
            String db = String.format("tenant_%03d", t);
            workloads.postgresDatabase(db);
            try (Connection c = lab.pg(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS public.accounts (id int PRIMARY KEY, name text, balance numeric(12,2))");
                s.execute("INSERT INTO public.accounts SELECT g, 'account ' || g, g * 10 FROM generate_series(1, 10) g"
                        + " ON CONFLICT DO NOTHING");
            }
        }
    }

    private static void quietly(Worker worker) {
        if (worker != null) {
            try {
                worker.close();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }
}
