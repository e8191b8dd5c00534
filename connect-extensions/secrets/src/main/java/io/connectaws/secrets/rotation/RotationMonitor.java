package io.connectaws.secrets.rotation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.secrets.RotatableConfigProvider;
import io.connectaws.secrets.rotation.ReferenceScanner.Reference;

/**
 * Makes a rotated secret reach running tasks. For every connector this worker owns, it re-reads each AWS reference in
 * the connector's raw config at the reference's check interval ({@code ?ttl=} or the provider's {@code ttl}); when the
 * value differs from the one the connector's tasks were started with, it restarts the connector and all its tasks,
 * which resolve the new value. Unchanged values restart nothing. One worker (the connector's owner) acts per connector.
 */
public final class RotationMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RotationMonitor.class);

    /** Restarts what of a connector runs on this worker; returns false when the worker refused (retried later). */
    public interface Restarter {
        /**
         * Restarts what of {@code connector} runs on this worker: its instance when {@code instanceHere}, and the tasks
         * {@code tasksHere}. Each worker restarts only its own, so no call is forwarded to the leader (where REST
         * authentication or the write lock would not know this worker's token).
         */
        boolean restart(String connector, boolean instanceHere, List<Integer> tasksHere);
    }

    /** What of a connector runs on this worker: its state, its instance or not, its tasks. */
    private record Here(String state, boolean instance, List<Integer> tasks) {
        @Override
        public String toString() {
            return (instance ? "the connector" : "") + (instance && !tasks.isEmpty() ? " and " : "")
                    + (tasks.isEmpty() ? "" : "tasks " + tasks);
        }
    }

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final class ReferenceState {
        String baseline;
        long nextCheckNanos;
    }

    private final ConnectClusterState cluster;
    private final Map<String, RotatableConfigProvider> providers;
    private final String workerId;
    private final Restarter restarter;
    private final LongSupplier nanoTime;
    private final RotationMetrics metrics;
    private final Map<String, Map<Reference, ReferenceState>> state = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private ScheduledExecutorService executor;

    /**
     * @param providers the worker's AWS providers by their {@code config.providers} name
     * @param workerId  this worker's id as Connect reports it in statuses ({@code host:port})
     */
    public RotationMonitor(ConnectClusterState cluster, Map<String, RotatableConfigProvider> providers, String workerId,
                           Restarter restarter, LongSupplier nanoTime, RotationMetrics metrics) {
        this.cluster = cluster;
        this.providers = Map.copyOf(providers);
        this.workerId = workerId;
        this.restarter = restarter;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    /** Runs {@link #tick()} every {@code period} on a daemon thread. */
    public synchronized void start(Duration period) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connect-aws-secret-rotation");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                log.warn("Secret rotation check failed; retrying: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Secret rotation monitor started for worker {} (providers {})", workerId, providers.keySet());
    }

    /** One pass: re-reads the references that are due and restarts the connectors whose values changed. */
    public synchronized void tick() {
        long now = nanoTime.getAsLong();
        Map<Reference, List<String>> due = new LinkedHashMap<>();
        Map<String, Here> owned = new HashMap<>(); // connector -> what of it runs here
        for (String connector : cluster.connectors()) {
            Map<String, String> config;
            try {
                ConnectorHealth health = cluster.connectorHealth(connector);
                if (health == null) continue;
                boolean instanceHere = workerId.equals(health.connectorState().workerId());
                List<Integer> tasks = health.tasksState().values().stream().filter(t -> workerId.equals(t.workerId()))
                        .map(TaskState::taskId).sorted().toList();
                if (!instanceHere && tasks.isEmpty()) continue;
                config = cluster.connectorConfig(connector);
                owned.put(connector, new Here(health.connectorState().state(), instanceHere, tasks));
            } catch (RuntimeException e) {
                continue; // deleted or not yet assigned: seen again at the next pass
            }
            Map<Reference, ReferenceState> refs = state.computeIfAbsent(connector, c -> new HashMap<>());
            Set<Reference> current = ReferenceScanner.scan(config, providers.keySet());
            refs.keySet().retainAll(current);
            for (Reference ref : current) {
                Optional<Duration> every = interval(ref);
                if (every.isEmpty()) continue;
                ReferenceState rs = refs.get(ref);
                if (rs == null) {
                    rs = new ReferenceState();
                    // What this worker handed to Kafka for the reference is what the connector started with.
                    rs.baseline = providers.get(ref.provider()).servedFingerprint(ref.path(), ref.key()).orElse(null);
                    rs.nextCheckNanos = rs.baseline == null ? now : now + every.get().toNanos();
                    refs.put(ref, rs);
                }
                if (now - rs.nextCheckNanos >= 0) due.computeIfAbsent(ref, r -> new ArrayList<>()).add(connector);
            }
        }
        state.keySet().retainAll(owned.keySet());

        Map<String, Map<Reference, String>> changed = new LinkedHashMap<>();
        for (Map.Entry<Reference, List<String>> e : due.entrySet()) {
            Reference ref = e.getKey();
            long next = now + interval(ref).orElseThrow().toNanos();
            String fresh;
            try {
                metrics.checks.incrementAndGet();
                fresh = providers.get(ref.provider()).freshFingerprint(ref.path(), ref.key());
            } catch (RuntimeException ex) {
                metrics.checkFailures.incrementAndGet();
                log.warn("Could not re-read {} to look for a rotation; the connectors keep their current value and it is"
                        + " read again at the next check: {}", ref, ex.getMessage());
                for (String connector : e.getValue()) state.get(connector).get(ref).nextCheckNanos = next;
                continue;
            }
            for (String connector : e.getValue()) {
                ReferenceState rs = state.get(connector).get(ref);
                rs.nextCheckNanos = next;
                if (rs.baseline == null) {
                    rs.baseline = fresh;
                } else if (!rs.baseline.equals(fresh)) {
                    changed.computeIfAbsent(connector, c -> new LinkedHashMap<>()).put(ref, fresh);
                }
            }
        }

        for (Map.Entry<String, Map<Reference, String>> e : changed.entrySet()) {
            String connector = e.getKey();
            metrics.rotationsDetected.addAndGet(e.getValue().size());
            boolean ok;
            Here here = owned.get(connector);
            if ("STOPPED".equals(here.state())) {
                log.info("The value of {} used by stopped connector '{}' changed; it takes the new value when resumed",
                        e.getValue().keySet(), connector);
                ok = true;
            } else {
                log.info("The value of {} used by connector '{}' changed; restarting {} on this worker so they use the "
                        + "new value", e.getValue().keySet(), connector, here);
                ok = restarter.restart(connector, here.instance(), here.tasks());
                if (ok) metrics.restarts.incrementAndGet();
                else metrics.restartFailures.incrementAndGet();
            }
            Map<Reference, ReferenceState> refs = this.state.get(connector);
            if (ok) {
                e.getValue().forEach((ref, fp) -> refs.get(ref).baseline = fp);
            } else {
                // Keep the old baseline so the change is seen again, and retry soon rather than at the next interval.
                log.warn("Restart of connector '{}' after a rotation was not accepted; retrying in {} s", connector,
                        RETRY_AFTER.toSeconds());
                e.getValue().keySet().forEach(ref -> refs.get(ref).nextCheckNanos = now + RETRY_AFTER.toNanos());
            }
        }
    }

    private Optional<Duration> interval(Reference ref) {
        try {
            return providers.get(ref.provider()).rotationCheckInterval(ref.path(), ref.key());
        } catch (ConfigException e) {
            if (warned.add(ref.toString())) log.warn("Not checking {} for rotation: {}", ref, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) executor.shutdownNow();
    }
}
