package io.connectaws.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts FAILED connectors and tasks this worker owns, the way Strimzi's {@code autoRestart} does for a
 * KafkaConnector: the first restart at once, the (n+1)th min(n*n+n, 60) back-off units after the nth (unit 1 min:
 * 0, 2, 6, 12, 20, 30, 42, 56, then every 60 min), an optional cap, and the count starting over once the connector or
 * task has been RUNNING for a stable period. Each restart is logged and counted.
 */
final class SelfHealing {
    private static final Logger log = LoggerFactory.getLogger(SelfHealing.class);

    /** What a restart request came to. */
    enum Outcome { RESTARTED, REFUSED, GONE }

    /** Asks Connect to restart one connector instance or one task. */
    interface Restarter {
        Outcome restart(Unit unit);
    }

    /** A connector's or task's restart streak, for the readiness reply. */
    record Status(int restarts, Long nextRestartInMillis, boolean gaveUp) {
    }

    private static final class Track {
        int count;
        long lastRestartNanos;
        long runningSinceNanos = -1;
        boolean gaveUp;
    }

    private final HealthSettings settings;
    private final Restarter restarter;
    private final LongSupplier nanoTime;
    private final HealthMetrics metrics;
    private final Map<String, Track> tracks = new HashMap<>();

    SelfHealing(HealthSettings settings, Restarter restarter, LongSupplier nanoTime, HealthMetrics metrics) {
        this.settings = settings;
        this.restarter = restarter;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    /** The wait before the restart that follows {@code restartsSoFar} restarts. */
    Duration backoff(int restartsSoFar) {
        long n = restartsSoFar;
        long units = Math.min(n * n + n, 1_000_000L);
        Duration d = settings.restartUnit.multipliedBy(units);
        return d.compareTo(settings.restartMaxBackoff) > 0 ? settings.restartMaxBackoff : d;
    }

    /** Looks at this worker's units once: restarts the FAILED ones that are due, tracks the RUNNING ones. */
    synchronized void onCheck(List<Unit> owned) {
        long now = nanoTime.getAsLong();
        Set<String> seen = new HashSet<>();
        for (Unit u : owned) {
            seen.add(u.key());
            Track t = tracks.get(u.key());
            if ("RUNNING".equals(u.state())) {
                if (t == null) continue;
                if (t.runningSinceNanos < 0) t.runningSinceNanos = now;
                if (now - t.runningSinceNanos >= settings.restartReset.toNanos()) {
                    log.info("Self-healing: {} has been RUNNING for {} since its last restart; its back-off starts over",
                            u.label(), human(settings.restartReset));
                    tracks.remove(u.key());
                }
                continue;
            }
            if (!"FAILED".equals(u.state())) {
                if (t != null) t.runningSinceNanos = -1;
                continue;
            }
            if (t == null) {
                t = new Track();
                tracks.put(u.key(), t);
            }
            t.runningSinceNanos = -1;
            if (settings.maxRestarts > 0 && t.count >= settings.maxRestarts) {
                if (!t.gaveUp) {
                    t.gaveUp = true;
                    log.warn("Self-healing: {} FAILED again after {} restarts ({}); it is left FAILED. Fix the cause, then "
                                    + "restart it: POST /connectors/{}/restart?includeTasks=true&onlyFailed=true",
                            u.label(), t.count, HealthSettings.RESTART_MAX, u.connector());
                }
                continue;
            }
            if (t.count > 0 && now - t.lastRestartNanos < backoff(t.count).toNanos()) continue;
            Outcome outcome = restarter.restart(u);
            switch (outcome) {
                case RESTARTED -> {
                    t.count++;
                    t.lastRestartNanos = now;
                    metrics.restarted(u.connector());
                    log.info("Self-healing: restarted FAILED {} (restart {}{} in a row; if it fails again, the next one "
                                    + "waits {})", u.label(), t.count,
                            settings.maxRestarts > 0 ? " of at most " + settings.maxRestarts : "", human(backoff(t.count)));
                }
                case REFUSED -> {
                    metrics.refused();
                    log.warn("Self-healing: the restart of {} was not accepted; trying again at the next check", u.label());
                }
                case GONE -> tracks.remove(u.key());
            }
        }
        tracks.keySet().retainAll(seen);
    }

    /** The streak of {@code unit}, if it has one. */
    synchronized Optional<Status> status(Unit unit) {
        Track t = tracks.get(unit.key());
        if (t == null || t.count == 0) return Optional.empty();
        Long next = null;
        if (!t.gaveUp && "FAILED".equals(unit.state())) {
            long wait = backoff(t.count).toNanos() - (nanoTime.getAsLong() - t.lastRestartNanos);
            next = Math.max(0, wait / 1_000_000);
        }
        return Optional.of(new Status(t.count, next, t.gaveUp));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return d.toMillis() + " ms";
        if (s < 120) return s + " s";
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }
}
