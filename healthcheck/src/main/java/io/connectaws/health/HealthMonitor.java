package io.connectaws.health;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.ConnectorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.health.WorkerStatus.State;

/**
 * Checks the worker and the connectors and tasks it owns every {@code health.check.interval.ms} on its own thread, runs
 * self-healing, and keeps the latest result. The REST resources answer from that result at once, so a probe never
 * waits on a busy herder; a result that stops being refreshed is itself a liveness failure.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** One endpoint's answer: pass or fail, and the JSON body. */
    public record Verdict(boolean ok, Map<String, Object> body) {
    }

    /** The latest completed check. */
    private record Check(WorkerStatus worker, Instant at, long nanos, ReadinessPolicy.Evaluation evaluation,
                         long evaluatedNanos, String viewError, List<Map<String, Object>> unhealthy,
                         List<Map<String, Object>> ignored) {
    }

    private final HealthSettings settings;
    private final String workerId;
    private final WorkerStatus.Source workerStatus;
    private final ConnectClusterState cluster;
    private final ReadinessPolicy policy;
    private final SelfHealing selfHealing;
    private final DatabaseConnections connections;
    private final HealthMetrics metrics;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final long createdNanos;
    private volatile Check last;
    private volatile long lastGoodNanos;
    private State loggedState;
    private volatile ScheduledExecutorService executor;

    HealthMonitor(HealthSettings settings, String workerId, WorkerStatus.Source workerStatus, ConnectClusterState cluster,
                  SelfHealing.Restarter restarter, HealthMetrics metrics, LongSupplier nanoTime, Clock clock) {
        this(settings, workerId, workerStatus, cluster, restarter, DebeziumJmx.platform(), metrics, nanoTime, clock);
    }

    HealthMonitor(HealthSettings settings, String workerId, WorkerStatus.Source workerStatus, ConnectClusterState cluster,
                  SelfHealing.Restarter restarter, DatabaseConnections.Probe debezium, HealthMetrics metrics,
                  LongSupplier nanoTime, Clock clock) {
        this.settings = settings;
        this.workerId = workerId;
        this.workerStatus = workerStatus;
        this.cluster = cluster;
        this.policy = new ReadinessPolicy(settings);
        this.selfHealing = new SelfHealing(settings, restarter, nanoTime, metrics);
        this.connections = new DatabaseConnections(settings, debezium, cluster::connectorConfig, nanoTime);
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.createdNanos = nanoTime.getAsLong();
        this.lastGoodNanos = createdNanos;
        metrics.secondsSinceLastCheck(() -> {
            Check c = last;
            return c == null ? -1 : TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - c.nanos);
        });
    }

    /** Runs {@link #check()} on a daemon thread: every interval, every second while the worker is starting. */
    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connect-aws-health");
            t.setDaemon(true);
            return t;
        });
        executor.schedule(this::checkAndReschedule, 0, TimeUnit.MILLISECONDS);
    }

    private void checkAndReschedule() {
        try {
            check();
        } catch (RuntimeException | LinkageError e) {
            log.warn("Health check failed: {}", e.toString());
        }
        ScheduledExecutorService current = executor;
        if (current != null && !current.isShutdown()) {
            try {
                current.schedule(this::checkAndReschedule, nextDelayMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // closed meanwhile
            }
        }
    }

    /** Until the worker runs, readiness should flip within a second of it, not a whole interval later. */
    long nextDelayMillis() {
        Check c = last;
        boolean starting = c == null || c.worker.state() == State.STARTING;
        return starting ? Math.min(STARTING_INTERVAL_MILLIS, settings.interval.toMillis()) : settings.interval.toMillis();
    }

    static final long STARTING_INTERVAL_MILLIS = 1000;

    /** One check: the worker's own state, then (when it runs) the units it owns, readiness and self-healing. */
    void check() {
        WorkerStatus worker = workerStatus.check();
        long now = nanoTime.getAsLong();
        if (worker.state() == State.STARTING || worker.state() == State.RUNNING) lastGoodNanos = now;
        logTransition(worker);
        Check previous = last;
        ReadinessPolicy.Evaluation evaluation = null;
        long evaluatedNanos = now;
        String viewError = null;
        List<Map<String, Object>> unhealthy = List.of();
        List<Map<String, Object>> ignored = List.of();
        if (worker.state() == State.RUNNING) {
            try {
                List<ConnectorHealth> all = connectors();
                List<Unit> owned = ReadinessPolicy.owned(workerId, all);
                if (settings.restartEnabled) selfHealing.onCheck(owned);
                evaluation = policy.evaluate(withConnections(owned, all));
                Map<String, Map<String, String>> configs = new HashMap<>();
                unhealthy = render(evaluation.unhealthy(), configs);
                ignored = render(evaluation.ignored(), configs);
            } catch (RuntimeException e) {
                // Connect refuses cluster requests while a rebalance is under way; a recent view stays valid a while.
                viewError = e.getMessage();
                if (previous != null && previous.evaluation != null && now - previous.evaluatedNanos < viewValidNanos()) {
                    evaluation = previous.evaluation;
                    evaluatedNanos = previous.evaluatedNanos;
                    unhealthy = previous.unhealthy;
                    ignored = previous.ignored;
                }
                log.debug("Health: connector states unavailable: {}", viewError);
            }
        }
        last = new Check(worker, clock.instant(), now, evaluation, evaluatedNanos, viewError, unhealthy, ignored);
        metrics.update(liveness().ok(), readiness().ok(), evaluation);
    }

    /**
     * Judges the database connection of the Debezium tasks in {@code owned}, sets their gauges, and returns
     * {@code owned} with the RUNNING ones judged disconnected in the state DISCONNECTED.
     */
    private List<Unit> withConnections(List<Unit> owned, List<ConnectorHealth> all) {
        Set<String> sources = new HashSet<>();
        for (ConnectorHealth h : all) if (h.type() == ConnectorType.SOURCE) sources.add(h.name());
        Map<String, DatabaseConnections.Verdict> verdicts = connections.judge(owned, sources);
        verdicts.values().forEach(v -> metrics.connection(v.unit().connector(), v.unit().task(), v.connected(),
                v.notConnectedSeconds()));
        metrics.retainConnections(verdicts.keySet());
        List<Unit> judged = new ArrayList<>(owned.size());
        for (Unit u : owned) {
            DatabaseConnections.Verdict v = verdicts.get(u.key());
            judged.add(v != null && !v.connected() && "RUNNING".equals(u.state()) ? u.as(HealthSettings.DISCONNECTED, v.detail()) : u);
        }
        return judged;
    }

    private List<ConnectorHealth> connectors() {
        Collection<String> names = cluster.connectors();
        List<ConnectorHealth> result = new ArrayList<>(names.size());
        for (String name : names) {
            try {
                result.add(cluster.connectorHealth(name));
            } catch (RuntimeException e) {
                log.debug("Health: no status for connector {} (deleted meanwhile?): {}", name, e.toString());
            }
        }
        return result;
    }

    private List<Map<String, Object>> render(List<Unit> units, Map<String, Map<String, String>> configs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Unit u : units) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connector", u.connector());
            if (u.task() != null) m.put("task", u.task());
            m.put("state", u.state());
            m.put("worker", u.workerId());
            if (u.detail() != null) m.put("detail", u.detail());
            String trace = Traces.shorten(u.trace(), settings.traceChars,
                    u.trace() == null || settings.traceChars == 0 ? Map.of() : configs.computeIfAbsent(u.connector(), this::rawConfig));
            if (trace != null) m.put("trace", trace);
            selfHealing.status(u).ifPresent(s -> {
                m.put("restarts", s.restarts());
                if (s.nextRestartInMillis() != null) m.put("nextRestartInSeconds", (s.nextRestartInMillis() + 999) / 1000);
                if (s.gaveUp()) m.put("selfHealing", "gave up after " + s.restarts() + " restarts");
            });
            out.add(m);
        }
        return List.copyOf(out);
    }

    private Map<String, String> rawConfig(String connector) {
        try {
            return cluster.connectorConfig(connector);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** Liveness now: fails only when the worker itself is broken, never for a connector or task. */
    public Verdict liveness() {
        long now = nanoTime.getAsLong();
        Check c = last;
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok;
        String reason;
        long staleAfter = settings.stuckGrace.toNanos() + 2 * settings.interval.toNanos() + TimeUnit.SECONDS.toNanos(30);
        if (c == null) {
            ok = now - createdNanos < staleAfter;
            reason = ok ? "starting: the first health check has not completed yet"
                    : "no health check has completed in " + seconds(now - createdNanos) + " s since the extension started";
        } else if (now - c.nanos > staleAfter) {
            ok = false;
            reason = "no health check has completed for " + seconds(now - c.nanos) + " s: the health monitor is blocked";
        } else if (c.worker.state() == State.UNHEALTHY || c.worker.state() == State.UNREACHABLE) {
            long bad = now - lastGoodNanos;
            ok = bad < settings.stuckGrace.toNanos();
            reason = "worker " + c.worker.state().name().toLowerCase(Locale.ROOT) + " for " + seconds(bad) + " s (limit "
                    + settings.stuckGrace.toSeconds() + " s, " + HealthSettings.STUCK_GRACE + "): " + c.worker.detail();
        } else {
            ok = true;
            reason = c.worker.state() == State.STARTING ? "starting" : "running";
        }
        body.put("status", ok ? "live" : "not live");
        body.put("reason", reason);
        body.put("worker", workerBody(c));
        if (c != null) body.put("checkedAt", c.at.toString());
        return new Verdict(ok, body);
    }

    /** Readiness now: the worker runs and the connectors and tasks it owns meet the policy. */
    public Verdict readiness() {
        long now = nanoTime.getAsLong();
        Check c = last;
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok = false;
        String reason;
        if (c == null) {
            reason = "starting: the first health check has not completed yet";
        } else if (now - c.nanos > viewValidNanos()) {
            reason = "the last health check is " + seconds(now - c.nanos) + " s old";
        } else if (c.worker.state() != State.RUNNING) {
            reason = "worker " + c.worker.state().name().toLowerCase(Locale.ROOT) + ": " + c.worker.detail();
        } else if (c.evaluation == null) {
            reason = "connector and task states unavailable: " + c.viewError;
        } else {
            ok = c.evaluation.ready();
            reason = c.evaluation.reason();
        }
        body.put("status", ok ? "ready" : "not ready");
        body.put("reason", reason);
        body.put("worker", workerBody(c));
        if (c != null && c.evaluation != null) {
            body.put("owned", Map.of("connectors", c.evaluation.ownedConnectors(), "tasks", c.evaluation.ownedTasks()));
            body.put("unhealthy", c.unhealthy);
            body.put("ignored", c.ignored);
        }
        Map<String, Object> policyBody = new LinkedHashMap<>();
        policyBody.put("states", settings.unhealthyStates.stream().sorted().toList());
        policyBody.put("threshold", settings.threshold());
        policyBody.put("ignore", settings.ignore.stream().map(Object::toString).toList());
        policyBody.put("disconnectedAfterSeconds", settings.disconnectedAfter.toSeconds());
        body.put("policy", policyBody);
        body.put("selfHealing", Map.of("enabled", settings.restartEnabled, "restarts", metrics.getSelfHealingRestarts()));
        if (c != null) body.put("checkedAt", c.at.toString());
        return new Verdict(ok, body);
    }

    private Map<String, Object> workerBody(Check c) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("id", workerId);
        w.put("state", c == null ? "starting" : c.worker.state().name().toLowerCase(Locale.ROOT));
        if (c != null && c.worker.detail() != null) w.put("detail", c.worker.detail());
        return w;
    }

    private void logTransition(WorkerStatus worker) {
        if (worker.state() == loggedState) return;
        if (worker.state() == State.RUNNING || worker.state() == State.STARTING) {
            log.info("Health: worker {} is {}", workerId, worker.state().name().toLowerCase(Locale.ROOT));
        } else {
            log.warn("Health: worker {} is {}: {} (liveness fails if this lasts {})", workerId,
                    worker.state().name().toLowerCase(Locale.ROOT), worker.detail(), SelfHealing.human(settings.stuckGrace));
        }
        loggedState = worker.state();
    }

    /** How long a check's view of the connectors stays usable: across a rebalance, or for readiness at all. */
    private long viewValidNanos() {
        return 3 * settings.interval.toNanos() + TimeUnit.SECONDS.toNanos(30);
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
