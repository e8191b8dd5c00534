package io.connectaws.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each task of a Debezium source connector this worker owns is connected to its database, from Debezium's
 * own MBeans ({@link Probe}): connected while its streaming MBean says {@code Connected} or its snapshot MBean says
 * {@code SnapshotRunning}. Connect's task state does not tell: while Debezium retries a lost database (by default
 * for ever, every {@code retriable.restart.connector.wait.ms}, 10 s) the task stays RUNNING, its MBeans are gone and
 * nothing is streamed. A task is judged disconnected once it has not been seen connected for
 * {@code health.disconnected.after.ms}, counted from the last check that saw it connected, or from the first check
 * that saw the task on this worker at all (its start-up grace). A restart does not reset that clock: a task that
 * fails, is restarted and retries again has been disconnected the whole time.
 * <p>
 * Connectors that are not Debezium source connectors ({@code connector.class} outside {@code io.debezium.}, or a
 * sink) are not judged.
 */
final class DatabaseConnections {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConnections.class);
    static final long CONFIG_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final long CONFIG_RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** One task of a Debezium connector: its MBeans carry {@code server=<topic.prefix>}, multi-task ones {@code task=N}. */
    record TaskRef(String topicPrefix, int task) {
    }

    /**
     * What Debezium's MBeans say about one task right now, and how that reads to a person.
     *
     * @param snapshotCompleted its snapshot MBean says {@code SnapshotCompleted} (a snapshot-only connector is done)
     */
    record Observation(boolean connected, String detail, boolean snapshotCompleted) {
        Observation(boolean connected, String detail) {
            this(connected, detail, false);
        }
    }

    /** Reads Debezium's MBeans: once per check, for all the tasks judged. */
    interface Probe {
        Map<TaskRef, Observation> observe(Collection<TaskRef> tasks);
    }

    /** The judgement of one task in one check. */
    record Verdict(Unit unit, boolean connected, long notConnectedNanos, String observation) {
        long notConnectedSeconds() {
            return TimeUnit.NANOSECONDS.toSeconds(notConnectedNanos);
        }

        /** How the readiness reply and its reason say it. */
        String detail() {
            return "not connected to its database for " + notConnectedSeconds() + " s: " + observation;
        }
    }

    /** @param snapshotOnly {@code snapshot.mode=initial_only}: once the snapshot is done, nothing streams by design */
    private record Config(String topicPrefix, boolean snapshotOnly, long readNanos) {
        boolean debezium() {
            return topicPrefix != null;
        }
    }

    private final long boundNanos;
    private final Probe probe;
    private final Function<String, Map<String, String>> configs;
    private final LongSupplier nanoTime;
    private final Map<String, Config> configCache = new HashMap<>();
    /** Per task key: the last check that saw it connected, or the first that saw it at all. */
    private final Map<String, Long> lastConnected = new HashMap<>();
    private final Set<String> notConnectedConnectors = new HashSet<>();
    private final Set<String> loggedDisconnected = new HashSet<>();

    DatabaseConnections(HealthSettings settings, Probe probe, Function<String, Map<String, String>> configs, LongSupplier nanoTime) {
        this.boundNanos = settings.disconnectedAfter.toNanos();
        this.probe = probe;
        this.configs = configs;
        this.nanoTime = nanoTime;
    }

    /**
     * Judges the tasks in {@code owned} whose connector is a Debezium source connector ({@code sources}: the names of
     * the source connectors), whatever their Connect state; the verdicts by {@link Unit#key()}, in {@code owned}'s order.
     */
    synchronized Map<String, Verdict> judge(List<Unit> owned, Set<String> sources) {
        long now = nanoTime.getAsLong();
        Map<Unit, TaskRef> judged = new LinkedHashMap<>();
        Set<String> snapshotOnly = new HashSet<>();
        for (Unit u : owned) {
            if (u.task() == null || !sources.contains(u.connector())) continue;
            Config c = config(u.connector(), now);
            if (c != null && c.debezium()) {
                judged.put(u, new TaskRef(c.topicPrefix(), u.task()));
                if (c.snapshotOnly()) snapshotOnly.add(u.connector());
            }
        }
        Map<TaskRef, Observation> seen = judged.isEmpty() ? Map.of() : probe.observe(new ArrayList<>(judged.values()));
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>();
        notConnectedConnectors.clear();
        for (Map.Entry<Unit, TaskRef> e : judged.entrySet()) {
            Unit u = e.getKey();
            keys.add(u.key());
            Observation o = seen.getOrDefault(e.getValue(), new Observation(false, "no Debezium metrics for server="
                    + e.getValue().topicPrefix()));
            if (!o.connected() && o.snapshotCompleted() && snapshotOnly.contains(u.connector())) {
                o = new Observation(true, "snapshot completed (snapshot.mode=initial_only streams nothing)", true);
            }
            long since = o.connected() ? now : lastConnected.getOrDefault(u.key(), now);
            lastConnected.put(u.key(), since);
            long notConnected = now - since;
            boolean connected = notConnected < boundNanos;
            if (!o.connected()) notConnectedConnectors.add(u.connector());
            Verdict v = new Verdict(u, connected, notConnected, o.detail());
            verdicts.put(u.key(), v);
            logTransition(v);
        }
        lastConnected.keySet().retainAll(keys);
        loggedDisconnected.retainAll(keys);
        Set<String> connectors = new HashSet<>();
        owned.forEach(u -> connectors.add(u.connector()));
        configCache.keySet().retainAll(connectors);
        return verdicts;
    }

    private void logTransition(Verdict v) {
        String key = v.unit().key();
        if (!v.connected() && loggedDisconnected.add(key)) {
            log.warn("Health: {} ({}) is {}", v.unit().label(), v.unit().state(), v.detail());
        } else if (v.connected() && v.notConnectedNanos() == 0 && loggedDisconnected.remove(key)) {
            log.info("Health: {} is connected to its database again: {}", v.unit().label(), v.observation());
        }
    }

    /**
     * The connector's topic prefix when it is a Debezium connector, else a config without one; null while it cannot
     * be read. Read once and every 5 minutes (Connect's herder answers these calls one by one), and again after 60 s
     * while a task of it is not seen connected (its topic.prefix may have changed): with 200 connectors of one database
     * down, about 3 reads a second, not 20.
     */
    private Config config(String connector, long now) {
        Config c = configCache.get(connector);
        long age = c == null ? Long.MAX_VALUE : now - c.readNanos();
        if (c == null || age >= CONFIG_REFRESH_NANOS || (notConnectedConnectors.contains(connector) && age >= CONFIG_RETRY_NANOS)) {
            try {
                Map<String, String> config = configs.apply(connector);
                c = new Config(topicPrefix(config), config != null
                        && "initial_only".equalsIgnoreCase(String.valueOf(config.get("snapshot.mode")).trim()), now);
                configCache.put(connector, c);
            } catch (RuntimeException e) {
                log.debug("Health: no config for connector {} (deleted meanwhile?): {}", connector, e.toString());
            }
        }
        return c;
    }

    /**
     * The topic prefix Debezium names its MBeans after, or null when the config is not a Debezium connector's, or when
     * the prefix is a config provider reference: Connect hands extensions the stored config, and Debezium names its
     * MBeans after the resolved value, so such a connector cannot be matched and is not judged.
     */
    static String topicPrefix(Map<String, String> config) {
        if (config == null) return null;
        String cls = io.connectaws.rest.DebeziumLegacyNames.connectorClass(config.get("connector.class"));
        if (cls == null || !cls.startsWith("io.debezium.")) return null;
        String prefix = config.get("topic.prefix");
        if (prefix == null || prefix.isBlank()) prefix = config.get("database.server.name");
        return prefix == null || prefix.isBlank() || prefix.contains("${") ? null : prefix.trim();
    }
}
