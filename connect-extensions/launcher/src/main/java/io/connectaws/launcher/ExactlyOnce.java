package io.connectaws.launcher;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kafka's exactly-once source delivery (KIP-618) behind one switch, {@value #VARIABLE}, and the connector settings
 * that contradict the worker's choice. With it on, every source task writes its records and its offsets in one Kafka
 * transaction (the worker's own consumers then read committed records only, which Kafka sets itself), sink tasks of the
 * group read committed records only, and Debezium's connectors that support it are created with
 * {@code exactly.once.support=required} ({@link ConnectorDefaults}).
 */
final class ExactlyOnce {

    /** {@code true}, {@code false} (the default) or {@code preparing}, the first of two rolls in a running cluster. */
    static final String VARIABLE = "CONNECT_AWS_EXACTLY_ONCE";
    /** The worker property the switch sets. */
    static final String WORKER_KEY = "exactly.once.source.support";
    /** A source connector's requirement: {@code requested} (Kafka's default) or {@code required}. */
    static final String CONNECTOR_KEY = "exactly.once.support";
    /** A source connector's transaction boundary: {@code poll} (Kafka's default), {@code interval} or {@code connector}. */
    static final String BOUNDARY_KEY = "transaction.boundary";
    /** Debezium's source connectors that declare exactly-once support (their {@code exactlyOnceSupport()}, 3.x). */
    static final Set<String> DEBEZIUM_SUPPORTED = Set.of(
            "io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.mysql.MySqlConnector",
            "io.debezium.connector.mariadb.MariaDbConnector", "io.debezium.connector.sqlserver.SqlServerConnector");
    private static final String SINK_ISOLATION = "consumer.isolation.level";

    private ExactlyOnce() {
    }

    /**
     * Sets {@value #WORKER_KEY} from {@value #VARIABLE}, refusing a {@code CONNECT_EXACTLY_ONCE_SOURCE_SUPPORT} that
     * says otherwise, and, when exactly-once is enabled by either, {@code consumer.isolation.level=read_committed}
     * for sink tasks unless set: a sink reading a topic its own group writes in transactions would otherwise take the
     * records of aborted transactions too.
     */
    static void apply(Map<String, String> environment, Map<String, String> merged, Map<String, String> origins) {
        String value = KafkaAuth.value(environment, VARIABLE);
        if (value != null) {
            String support = switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> "enabled";
                case "false" -> "disabled";
                case "preparing" -> "preparing";
                default -> throw new LauncherException(VARIABLE + "=" + value + " is not true, false or preparing "
                        + "(preparing is the first of two rolling deployments that turn exactly-once on in a cluster "
                        + "already running: docs/delivery.md)");
            };
            String other = origins.get(WORKER_KEY);
            if (other != null && !WorkerConfiguration.PROFILE.equals(other)
                    && !support.equalsIgnoreCase(merged.get(WORKER_KEY).trim())) {
                throw new LauncherException(VARIABLE + "=" + value + " and " + other + "=" + merged.get(WORKER_KEY)
                        + " disagree: keep " + VARIABLE + " alone");
            }
            merged.put(WORKER_KEY, support);
            origins.put(WORKER_KEY, VARIABLE + "=" + value);
        }
        if (enabled(merged.get(WORKER_KEY)) && merged.putIfAbsent(SINK_ISOLATION, "read_committed") == null) {
            origins.put(SINK_ISOLATION, origins.get(WORKER_KEY) + " (sink tasks read committed records only)");
        }
    }

    /** Whether a {@value #WORKER_KEY} value turns exactly-once on. */
    static boolean enabled(String workerSupport) {
        return workerSupport != null && workerSupport.trim().equalsIgnoreCase("enabled");
    }

    /**
     * Why {@code config} cannot run as it asks on a worker whose {@value #WORKER_KEY} is {@code workerSupport}: a
     * connector requiring exactly-once, or choosing a transaction boundary, where Kafka would silently deliver
     * at-least-once. Empty when there is no contradiction.
     */
    static Optional<String> contradiction(Map<String, String> config, String workerSupport) {
        if (enabled(workerSupport)) {
            return Optional.empty();
        }
        String support = workerSupport == null ? "disabled" : workerSupport.trim().toLowerCase(Locale.ROOT);
        String fix = support.equals("preparing")
                ? "finish turning it on: roll the workers again with " + VARIABLE + "=true"
                : "set " + VARIABLE + "=true on every worker of the group (docs/delivery.md)";
        String required = config.get(CONNECTOR_KEY);
        if (required != null && required.trim().equalsIgnoreCase("required")) {
            return Optional.of(CONNECTOR_KEY + "=required asks for exactly-once delivery, and this worker's exactly-once "
                    + "source support is " + support + ", so Kafka would deliver at-least-once without a word: " + fix
                    + ", or remove " + CONNECTOR_KEY + " from the connector config");
        }
        String boundary = config.get(BOUNDARY_KEY);
        if (boundary != null && !boundary.isBlank()) {
            return Optional.of(BOUNDARY_KEY + "=" + boundary.trim() + " takes effect only with exactly-once delivery, and "
                    + "this worker's exactly-once source support is " + support + ": " + fix + ", or remove "
                    + BOUNDARY_KEY + " from the connector config");
        }
        return Optional.empty();
    }
}
