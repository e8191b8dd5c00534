package io.connectaws.sourcedb;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the replication slot of each Debezium PostgreSQL connector whose Connector instance runs on this worker, every
 * 30 s, with the connector's own (resolved) config, and shows it as one MBean per connector
 * ({@link ReplicationSlotMBean}, {@code io.connectaws:type=replication-slot,connector="NAME"}): retained WAL,
 * confirmed-flush lag, active, wal_status and safe_wal_size. A connector that leaves the worker, is deleted or is no
 * longer a PostgreSQL one loses its MBean at the next round; {@link #close()} stops the thread and unregisters all.
 *
 * <p>A slot that cannot be read (database unreachable, refused login, no such slot yet) has no value, and one log line
 * says so when its state changes, not at every round. Nothing here throws into the herder: a round that fails is logged
 * and the next one runs. The config is resolved (config provider references, such as the password from Secrets
 * Manager) when it changes and again after a failed reading, not every round.
 */
public final class SlotLagCollector implements AutoCloseable {

    /** The MBean domain and type: {@code io.connectaws:type=replication-slot,connector="NAME"}. */
    public static final String TYPE = "io.connectaws:type=replication-slot";
    static final String CONNECTOR = PostgresCheck.CONNECTOR;
    static final String DEFAULT_SLOT = "debezium";
    static final Duration INTERVAL = Duration.ofSeconds(30);

    /**
     * One query for everything: {@code s.*} so a server without {@code wal_status}/{@code safe_wal_size} (before 13)
     * still answers; the WAL position is the receive position on a standby, where {@code pg_current_wal_lsn()} fails.
     */
    static final String QUERY = "SELECT s.*, pg_wal_lsn_diff(w.lsn, s.restart_lsn) AS connect_aws_retained, "
            + "pg_wal_lsn_diff(w.lsn, s.confirmed_flush_lsn) AS connect_aws_flush_lag FROM pg_replication_slots s, "
            + "(SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn) w "
            + "WHERE s.slot_name = ?";

    private static final Logger LOG = LoggerFactory.getLogger(SlotLagCollector.class);

    /** What the worker tells the collector. Implementations must not block for long and may throw. */
    public interface Host {
        /** Names of the connectors whose Connector instance runs on this worker. */
        Collection<String> localConnectors();

        /** The connector's config as stored (references unresolved), or null when it is gone. */
        Map<String, String> rawConfig(String connector);

        /** The config with config provider references resolved, as the worker resolves it. */
        Map<String, String> resolve(Map<String, String> raw);

        /** The full class name for a connector.class value (which may be an alias or a legacy name). */
        String connectorClass(String value);
    }

    /** Reads one slot; null when the server has no slot of that name. */
    @FunctionalInterface
    interface Reader {
        SlotReading read(Candidate connector, String slot) throws SQLException;
    }

    /** What the log last said about a connector's slot. */
    enum State { UNKNOWN, READ, NO_SLOT, UNREACHABLE }

    private final Host host;
    private final Reader reader;
    private final MBeanServer server;
    private final Clock clock;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Object lock = new Object();
    private ScheduledExecutorService executor;
    private boolean closed;
    /** Log lines written about slots' states, for tests: one per change, none per round. */
    volatile int logLines;

    /** On the platform MBean server, reading with the driver of the PostgreSQL plugin through {@code connections}. */
    public SlotLagCollector(Host host, Connections connections) {
        this(host, jdbc(connections), ManagementFactory.getPlatformMBeanServer(), Clock.systemUTC());
    }

    SlotLagCollector(Host host, Reader reader, MBeanServer server, Clock clock) {
        this.host = Objects.requireNonNull(host, "host");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.server = Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts the rounds (the first after {@code initialDelay}) on a daemon thread of its own. */
    public void start(Duration initialDelay) {
        synchronized (lock) {
            if (closed || executor != null) {
                return;
            }
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "connect-aws-slot-lag");
                t.setDaemon(true);
                return t;
            });
            executor.scheduleWithFixedDelay(this::safeRound, initialDelay.toMillis(), INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void safeRound() {
        try {
            round();
        } catch (RuntimeException | Error e) {
            LOG.warn("Replication slot lag: this round failed; the next one runs in {} s", INTERVAL.toSeconds(), e);
        }
    }

    /** One round: follows the connectors the worker runs, then reads each one's slot. */
    void round() {
        Set<String> local;
        try {
            local = new HashSet<>(host.localConnectors());
        } catch (RuntimeException e) {
            LOG.debug("Replication slot lag: the worker's connectors cannot be listed now", e);
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (String name : Set.copyOf(tracked.keySet())) {
                if (!local.contains(name)) {
                    forget(name);
                }
            }
        }
        for (String name : local) {
            Map<String, String> raw;
            try {
                raw = host.rawConfig(name);
            } catch (RuntimeException e) {
                raw = null;
            }
            if (raw == null || !isPostgres(raw)) {
                synchronized (lock) {
                    forget(name);
                }
                continue;
            }
            Tracked t;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                t = tracked.computeIfAbsent(name, this::track);
            }
            sample(t, raw);
        }
    }

    private boolean isPostgres(Map<String, String> raw) {
        String value = raw.get("connector.class");
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            return CONNECTOR.equals(host.connectorClass(value.trim()));
        } catch (RuntimeException e) {
            return CONNECTOR.equals(value.trim());
        }
    }

    private void sample(Tracked t, Map<String, String> raw) {
        if (!raw.equals(t.raw) || t.state != State.READ) {
            try {
                t.resolved = new Candidate(t.name, host.resolve(raw), null);
                t.raw = raw;
            } catch (RuntimeException e) {
                t.raw = null;
                t.bean.clear();
                change(t, State.UNREACHABLE, "its config cannot be resolved (" + e.getClass().getSimpleName() + ")");
                return;
            }
        }
        String slot = t.resolved.get("slot.name", DEFAULT_SLOT);
        t.bean.slot = slot;
        SlotReading reading;
        try {
            reading = reader.read(t.resolved, slot);
        } catch (SQLException | RuntimeException e) {
            t.bean.clear();
            change(t, State.UNREACHABLE, "cannot be read from " + where(t.resolved) + ": " + describe(e, t.resolved));
            return;
        }
        if (reading == null) {
            t.bean.clear();
            change(t, State.NO_SLOT, "does not exist on " + where(t.resolved) + " (yet: Debezium creates it when the task starts)");
            return;
        }
        t.bean.set(reading, clock.millis());
        change(t, State.READ, "is read again from " + where(t.resolved));
    }

    private void change(Tracked t, State state, String what) {
        if (t.state == state) {
            return;
        }
        logLines++;
        boolean quietStart = t.state == State.UNKNOWN && state == State.READ;
        t.state = state;
        if (quietStart) {
            LOG.info("Connector '{}': replication slot '{}' is measured every {} s", t.name, t.bean.slot, INTERVAL.toSeconds());
        } else if (state == State.READ) {
            LOG.info("Connector '{}': replication slot '{}' {}", t.name, t.bean.slot, what);
        } else {
            LOG.warn("Connector '{}': replication slot '{}' {}; its lag has no value until it can be read", t.name,
                    t.bean.slot, what);
        }
    }

    private static String where(Candidate c) {
        return c.get("database.hostname", "localhost") + ":" + c.get("database.port", "5432") + "/"
                + c.get("database.dbname", "postgres");
    }

    /** The exception's class, SQL state and message, with the password taken out should a driver ever echo it. */
    static String describe(Exception e, Candidate c) {
        String message = Objects.requireNonNullElse(e.getMessage(), "");
        String password = c.config().get("database.password");
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "****");
        }
        String state = e instanceof SQLException s && s.getSQLState() != null ? " [" + s.getSQLState() + "]" : "";
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + state + " " + (newline < 0 ? message : message.substring(0, newline));
    }

    private Tracked track(String name) {
        Tracked t = new Tracked(name);
        t.bean.clock = clock;
        try {
            server.registerMBean(new StandardMBean(t.bean, ReplicationSlotMBean.class), t.objectName);
        } catch (JMException e) {
            LOG.warn("Connector '{}': the replication slot MBean {} cannot be registered ({})", name, t.objectName, e.toString());
        }
        return t;
    }

    private void forget(String name) {
        Tracked t = tracked.remove(name);
        if (t == null) {
            return;
        }
        try {
            if (server.isRegistered(t.objectName)) {
                server.unregisterMBean(t.objectName);
            }
        } catch (JMException e) {
            LOG.debug("Replication slot MBean {} was already gone", t.objectName, e);
        }
    }

    /** What the log last said about {@code connector}'s slot; null when it is not followed. */
    State state(String connector) {
        synchronized (lock) {
            Tracked t = tracked.get(connector);
            return t == null ? null : t.state;
        }
    }

    /** The MBean name for a connector: the name always quoted, as the health extension's per-connector MBeans. */
    public static ObjectName objectName(String connector) {
        try {
            return new ObjectName(TYPE + ",connector=" + ObjectName.quote(connector));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Stops the rounds and unregisters every MBean it registered. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (lock) {
            closed = true;
            running = executor;
            for (String name : Set.copyOf(tracked.keySet())) {
                forget(name);
            }
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            // a round that was reading when close() began may have registered one more
            for (String name : Set.copyOf(tracked.keySet())) {
                forget(name);
            }
        }
    }

    /** Reads with a short-lived connection of the connector's user, through the PostgreSQL plugin's driver. */
    static Reader jdbc(Connections connections) {
        return (connector, slot) -> {
            Properties properties = properties(connector);
            try (Connection db = connections.open(CONNECTOR, PostgresCheck.DRIVER, PostgresCheck.url(connector), properties);
                 PreparedStatement s = db.prepareStatement(QUERY)) {
                s.setQueryTimeout(10);
                s.setString(1, slot);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? reading(rs) : null;
                }
            }
        };
    }

    /** The pre-flight's connection settings with shorter timeouts and this collector's application name. */
    static Properties properties(Candidate connector) {
        Properties p = PostgresCheck.properties(connector);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "15");
        p.setProperty("loginTimeout", "10");
        p.setProperty("ApplicationName", "connect-aws-slot-lag");
        return p;
    }

    static SlotReading reading(ResultSet rs) throws SQLException {
        Set<String> columns = new HashSet<>();
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        String walStatus = columns.contains("wal_status") ? rs.getString("wal_status") : null;
        Long safe = null;
        if (columns.contains("safe_wal_size")) {
            long value = rs.getLong("safe_wal_size");
            safe = rs.wasNull() ? null : value;
        }
        return new SlotReading(rs.getLong("connect_aws_retained"), rs.getLong("connect_aws_flush_lag"),
                rs.getBoolean("active"), walStatus, safe);
    }

    /** What the collector knows of one connector. Touched by the round's thread only, except the bean's reads. */
    private static final class Tracked {
        final String name;
        final ObjectName objectName;
        final ReplicationSlot bean = new ReplicationSlot();
        Map<String, String> raw;
        Candidate resolved;
        State state = State.UNKNOWN;

        Tracked(String name) {
            this.name = name;
            this.objectName = objectName(name);
        }
    }

    /** The MBean: one immutable snapshot swapped at each reading, so a scrape never mixes two readings. */
    static final class ReplicationSlot implements ReplicationSlotMBean {
        private record Snapshot(SlotReading reading, long at) {
        }

        volatile String slot = DEFAULT_SLOT;
        private volatile Snapshot last;
        private volatile Clock clock = Clock.systemUTC();

        void set(SlotReading reading, long at) {
            last = new Snapshot(reading, at);
        }

        void clear() {
            last = null;
        }

        @Override
        public String getSlotName() {
            return slot;
        }

        /** {@code field} of the last reading; null while there is none. */
        private <T> T read(java.util.function.Function<SlotReading, T> field) {
            Snapshot s = last;
            return s == null ? null : field.apply(s.reading());
        }

        @Override
        public Long getRetainedWalBytes() {
            return read(SlotReading::retainedWalBytes);
        }

        @Override
        public Long getConfirmedFlushLagBytes() {
            return read(SlotReading::confirmedFlushLagBytes);
        }

        @Override
        public Integer getActive() {
            return read(r -> r.active() ? 1 : 0);
        }

        @Override
        public String getWalStatus() {
            return read(SlotReading::walStatus);
        }

        @Override
        public Long getSafeWalSizeBytes() {
            return read(SlotReading::safeWalSizeBytes);
        }

        @Override
        public Long getSecondsSinceLastReading() {
            Snapshot s = last;
            return s == null ? null : Math.max(0, (clock.millis() - s.at()) / 1000);
        }
    }
}
