package io.connectaws.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tenants Density and Fleet share: databases {@code tenant_001} .. with a 10-row {@code public.accounts} table each,
 * and one PostgreSQL connector per tenant with nothing but the required settings ({@link Workloads#postgres}), named
 * {@code t001<suffix>} with topic prefix and slot of the same name (its topic {@code t001<suffix>.public.accounts}).
 * A suffix tells one group's set from another's (e.g. the flavour's label).
 */
final class Tenants {

    static final String TABLE = "public.accounts";
    /** Rows of each tenant's table: its snapshot is in Kafka when its topic holds this many records. */
    static final int ROWS = 10;
    /** Concurrent REST requests of a deploy loop. */
    static final int PARALLEL_REQUESTS = 4;

    private Tenants() {
    }

    /** The id of tenant number {@code t} (1-based): 001, 002, ... */
    static String id(int t) {
        return String.format("%03d", t);
    }

    /** The connector (and topic prefix, and slot) of tenant {@code id}. */
    static String name(String id, String suffix) {
        return "t" + id + suffix;
    }

    /** The connector config of tenant {@code id}; {@code id} may be a {@code {{tenant}}} placeholder (a template). */
    static Map<String, String> config(String id, String suffix) {
        String name = name(id, suffix);
        return Workloads.postgres("tenant_" + id, name, name, TABLE, "initial");
    }

    /** The snapshot topics of tenants 1..n. */
    static List<String> topics(int n, String suffix) {
        List<String> topics = new ArrayList<>();
        for (int t = 1; t <= n; t++) {
            topics.add(name(id(t), suffix) + "." + TABLE);
        }
        return topics;
    }

    /** Creates databases tenant_001..n with their 10 rows, where absent (kept between scenarios and runs). */
    static void createDatabases(Lab lab, int n) throws Exception {
        Workloads workloads = new Workloads(lab);
        for (int t = 1; t <= n; t++) {
            String db = "tenant_" + id(t);
            workloads.postgresDatabase(db);
            try (Connection c = lab.pg(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id int PRIMARY KEY, name text, balance numeric(12,2))");
                s.execute("INSERT INTO " + TABLE + " SELECT g, 'account ' || g, g * 10 FROM generate_series(1, " + ROWS + ") g"
                        + " ON CONFLICT DO NOTHING");
            }
        }
    }

    /** Creates the connectors of tenants 1..n through {@code worker}'s REST API, PARALLEL_REQUESTS at a time. */
    static void deployByRest(Worker worker, int n, String suffix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int t = 1; t <= n; t++) {
                String id = id(t);
                puts.add(pool.submit(() -> worker.rest().putConnector(name(id, suffix), config(id, suffix))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Waits until every connector of tenants 1..n and its task is RUNNING on {@code worker}'s group and each tenant's
     * topic holds its snapshot; returns System.nanoTime() then. A FAILED task ends the wait at once.
     */
    static long awaitDeployed(Worker worker, Topics topics, int n, String suffix, Duration timeout) {
        List<String> topicNames = topics(n, suffix);
        return Waits.until(n + " tenants RUNNING with their snapshots", timeout, 1000,
                () -> allRunning(worker, n, suffix, null) && topics.ends(topicNames).values().stream()
                        .filter(end -> end >= ROWS).count() == n);
    }

    /**
     * Every tenant connector (name ending in {@code suffix}) and its task RUNNING, as {@code worker} reports them; with
     * {@code joined}, also the worker that joined holding its balanced share (half of the connectors and half of the
     * tasks, rounded down).
     */
    static boolean allRunning(Worker worker, int n, String suffix, Worker joined) {
        JsonNode all = worker.rest().json("/connectors?expand=status");
        if (all == null) {
            return false;
        }
        int running = 0;
        int onJoined = 0;
        for (var entry : all.properties()) {
            if (!entry.getKey().endsWith(suffix)) {
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
}
