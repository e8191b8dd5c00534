package io.connectaws.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The extension's settings, read from the worker config ({@code health.*}; the image maps {@code CONNECT_HEALTH_*}
 * environment variables onto them). Invalid values stop the worker at start with a message naming the setting.
 */
public final class HealthSettings {
    public static final String INTERVAL = "health.check.interval.ms";
    public static final String STUCK_GRACE = "health.liveness.stuck.grace.ms";
    public static final String STATES = "health.readiness.states";
    public static final String THRESHOLD = "health.readiness.threshold";
    public static final String IGNORE = "health.readiness.ignore";
    public static final String TRACE_CHARS = "health.readiness.trace.chars";
    public static final String RESTART_ENABLED = "health.autorestart.enabled";
    public static final String RESTART_UNIT = "health.autorestart.backoff.unit.ms";
    public static final String RESTART_MAX_BACKOFF = "health.autorestart.backoff.max.ms";
    public static final String RESTART_MAX = "health.autorestart.max.restarts";
    public static final String RESTART_RESET = "health.autorestart.reset.after.ms";
    public static final String REST_URL = "health.rest.url";
    public static final String DISCONNECTED_AFTER = "health.disconnected.after.ms";

    /** The pseudo-state of a RUNNING Debezium task that has not been connected to its database for too long. */
    static final String DISCONNECTED = "DISCONNECTED";

    /** States a policy may count as unhealthy; PAUSED and STOPPED are an operator's choice and never count. */
    static final Set<String> COUNTABLE_STATES = Set.of("FAILED", "UNASSIGNED", "RESTARTING", DISCONNECTED);

    static final ConfigDef DEF = new ConfigDef()
            .define(INTERVAL, Type.LONG, 5_000L, ConfigDef.Range.atLeast(100), Importance.MEDIUM,
                    "How often the worker's state and the state of the connectors and tasks it owns are checked.")
            .define(STUCK_GRACE, Type.LONG, 180_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Liveness fails once Kafka's own /health has reported the worker unhealthy (herder not answering) "
                            + "or has not answered for this long. Starting never fails liveness.")
            .define(STATES, Type.LIST, "FAILED," + DISCONNECTED, HealthSettings::validStates, Importance.MEDIUM,
                    "Connector and task states that count as unhealthy for readiness: any of FAILED, UNASSIGNED, RESTARTING, "
                            + "and DISCONNECTED (a RUNNING Debezium task not connected to its database for "
                            + DISCONNECTED_AFTER + ").")
            .define(THRESHOLD, Type.STRING, "1", HealthSettings::validThreshold, Importance.MEDIUM,
                    "The worker is unready once this many of the connectors and tasks it owns are unhealthy: a count "
                            + "(1 = any) or a percentage of the ones it owns (50%).")
            .define(IGNORE, Type.LIST, "", HealthSettings::validPatterns, Importance.MEDIUM,
                    "Connectors whose names match one of these regular expressions (whole name) never make the worker unready.")
            .define(TRACE_CHARS, Type.INT, 500, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Characters of each failure's stack trace in the readiness reply (0 leaves traces out).")
            .define(RESTART_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Restart FAILED connectors and tasks this worker owns, with a growing back-off.")
            .define(RESTART_UNIT, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Back-off unit: the (n+1)th restart waits min(n*n+n units, the maximum) after the nth.")
            .define(RESTART_MAX_BACKOFF, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Longest wait between two restarts of one connector or task.")
            .define(RESTART_MAX, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Restarts of one connector or task before self-healing gives up on it (0 = no limit).")
            .define(RESTART_RESET, Type.LONG, 600_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "A connector or task RUNNING this long after a restart starts again from an immediate first restart.")
            .define(DISCONNECTED_AFTER, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
                    "A task of a Debezium source connector this worker owns that has been neither streaming-connected nor "
                            + "snapshotting for this long (counted from its last connected moment, or from when this worker "
                            + "first saw it) is DISCONNECTED: exported as connected 0 and, RUNNING, counted by readiness.")
            .define(REST_URL, Type.STRING, null, Importance.LOW,
                    "This worker's REST URL for Kafka's /health and restart calls, when no plain-http listener exists.");

    final Duration interval;
    final Duration stuckGrace;
    final Set<String> unhealthyStates;
    final int thresholdCount;
    final int thresholdPercent;
    final List<Pattern> ignore;
    final int traceChars;
    final boolean restartEnabled;
    final Duration restartUnit;
    final Duration restartMaxBackoff;
    final int maxRestarts;
    final Duration restartReset;
    final Duration disconnectedAfter;

    private HealthSettings(AbstractConfig c) {
        interval = Duration.ofMillis(c.getLong(INTERVAL));
        stuckGrace = Duration.ofMillis(c.getLong(STUCK_GRACE));
        unhealthyStates = Set.copyOf(c.getList(STATES).stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList());
        String threshold = c.getString(THRESHOLD).trim();
        thresholdPercent = threshold.endsWith("%") ? Integer.parseInt(threshold.substring(0, threshold.length() - 1).trim()) : 0;
        thresholdCount = threshold.endsWith("%") ? 0 : Integer.parseInt(threshold);
        List<Pattern> patterns = new ArrayList<>();
        for (String p : c.getList(IGNORE)) if (!p.isBlank()) patterns.add(Pattern.compile(p.trim()));
        ignore = List.copyOf(patterns);
        traceChars = c.getInt(TRACE_CHARS);
        restartEnabled = c.getBoolean(RESTART_ENABLED);
        restartUnit = Duration.ofMillis(c.getLong(RESTART_UNIT));
        restartMaxBackoff = Duration.ofMillis(c.getLong(RESTART_MAX_BACKOFF));
        maxRestarts = c.getInt(RESTART_MAX);
        restartReset = Duration.ofMillis(c.getLong(RESTART_RESET));
        disconnectedAfter = Duration.ofMillis(c.getLong(DISCONNECTED_AFTER));
    }

    /** Parses the {@code health.*} entries of a worker config; other entries are ignored. */
    public static HealthSettings from(Map<String, ?> worker) {
        try {
            return new HealthSettings(new AbstractConfig(DEF, worker, false));
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + hint(e.getMessage()));
        }
    }

    /** True when a connector is left out of readiness by {@code health.readiness.ignore}. */
    boolean ignored(String connector) {
        for (Pattern p : ignore) if (p.matcher(connector).matches()) return true;
        return false;
    }

    /** Human-readable threshold, as configured. */
    String threshold() {
        return thresholdPercent > 0 ? thresholdPercent + "%" : Integer.toString(thresholdCount);
    }

    private static String hint(String message) {
        for (ConfigDef.ConfigKey key : DEF.configKeys().values()) {
            if (message != null && message.contains(key.name)) {
                return " (worker property " + key.name + ", environment variable "
                        + "CONNECT_" + key.name.toUpperCase(Locale.ROOT).replace('.', '_') + ")";
            }
        }
        return "";
    }

    private static void validStates(String name, Object value) {
        for (Object o : (List<?>) value) {
            String s = o.toString().trim().toUpperCase(Locale.ROOT);
            if (s.equals("PAUSED") || s.equals("STOPPED")) {
                throw new ConfigException(name, o, "PAUSED and STOPPED are set by an operator on purpose and never count "
                        + "as unhealthy; use FAILED, UNASSIGNED, RESTARTING or DISCONNECTED");
            }
            if (!COUNTABLE_STATES.contains(s)) {
                throw new ConfigException(name, o, "not a connector or task state that can count as unhealthy; "
                        + "use FAILED, UNASSIGNED, RESTARTING or DISCONNECTED");
            }
        }
        if (((List<?>) value).isEmpty()) throw new ConfigException(name, value, "name at least one state, e.g. FAILED");
    }

    private static void validThreshold(String name, Object value) {
        String s = value == null ? "" : value.toString().trim();
        try {
            int n = Integer.parseInt(s.endsWith("%") ? s.substring(0, s.length() - 1).trim() : s);
            if (s.endsWith("%") ? n >= 1 && n <= 100 : n >= 1) return;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, value, "use a count of at least 1 (1 = any unhealthy connector or task) "
                + "or a percentage from 1% to 100%");
    }

    private static void validPatterns(String name, Object value) {
        for (Object o : (List<?>) value) {
            try {
                Pattern.compile(o.toString().trim());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(name, o, "not a regular expression: " + e.getDescription()
                        + "; separate several with commas, e.g. ^test-.*,legacy-orders");
            }
        }
    }
}
