package io.connectaws.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The metrics CloudWatch gets at the default detail level ({@code cloudwatch.detail=basic}): the ones an on-call
 * engineer acts on, and the ones the shipped alarms watch. A connector's metrics are published at connector level
 * only (Cluster, Connector; CloudWatch's Sum, Minimum and Maximum aggregate its tasks), some of them also at cluster
 * level; worker metrics at cluster level. Everything else stays on Prometheus and at {@code cloudwatch.detail=full}.
 * A Debezium PostgreSQL connector costs 14 custom metrics here, a worker cluster 11 plus the cluster-level copies.
 */
public final class BasicMetrics {
    /** Where a basic metric is published beside its own level. */
    enum Copies { NONE, CLUSTER }

    private static final Map<String, Copies> DEFAULT;

    static {
        Map<String, Copies> m = new LinkedHashMap<>();
        // a connector, at connector level
        m.put("kafka_connect_connector_state_failed", Copies.CLUSTER);
        m.put("kafka_connect_task_state_failed", Copies.CLUSTER);
        m.put("kafka_connect_task_state_running", Copies.NONE);
        m.put("kafka_connect_source_task_source_record_write_total", Copies.CLUSTER);
        m.put("kafka_connect_sink_task_sink_record_send_total", Copies.CLUSTER);
        m.put("kafka_connect_task_error_record_errors_total", Copies.CLUSTER);
        m.put("debezium_streaming_milliseconds_behind_source", Copies.CLUSTER);
        m.put("debezium_streaming_connected", Copies.NONE);
        m.put("debezium_snapshot_running", Copies.NONE);
        m.put("debezium_snapshot_remaining_table_count", Copies.NONE);
        m.put("debezium_snapshot_rows_scanned_total", Copies.NONE);
        m.put("connect_aws_health_database_connected", Copies.NONE);
        m.put("connect_aws_self_healing_restarts_total", Copies.NONE);
        m.put("connect_aws_replication_slot_retained_wal_bytes", Copies.CLUSTER);
        m.put("connect_aws_replication_slot_active", Copies.NONE);
        // a worker, at cluster level (CloudWatch aggregates the workers)
        m.put("kafka_connect_worker_connector_count", Copies.NONE);
        m.put("kafka_connect_worker_task_count", Copies.NONE);
        m.put("kafka_connect_worker_rebalance_completed_rebalances_total", Copies.NONE);
        m.put("connect_aws_health_ready", Copies.NONE);
        m.put("connect_aws_health_disconnected_tasks", Copies.NONE);
        m.put("connect_aws_health_self_healing_restarts_total", Copies.NONE);
        m.put("connect_aws_declarations_failed_count", Copies.NONE);
        m.put("connect_aws_declarations_leader", Copies.NONE);
        m.put("connect_aws_declarations_since_last_round_seconds", Copies.NONE);
        // the worker JVM's heap: used against max (CloudWatch's Maximum shows the fullest worker)
        m.put("jvm_memory_heap_used_bytes", Copies.NONE);
        m.put("jvm_memory_heap_max_bytes", Copies.NONE);
        DEFAULT = Collections.unmodifiableMap(m);
    }

    private final Map<String, Copies> metrics;

    private BasicMetrics(Map<String, Copies> metrics) {
        this.metrics = metrics;
    }

    /** The shipped basic level. */
    public static BasicMetrics standard() {
        return new BasicMetrics(DEFAULT);
    }

    /** The metric names of the basic level. */
    public Set<String> names() {
        return metrics.keySet();
    }

    /** True when CloudWatch gets {@code metric} at the basic level. */
    public boolean contains(String metric) {
        return metrics.containsKey(metric);
    }

    /** True when a connector's {@code metric} is also published at cluster level (Cluster alone). */
    public boolean clusterCopy(String metric) {
        return metrics.get(metric) == Copies.CLUSTER;
    }

    /**
     * True when a rule named {@code ruleName} (a jmx_exporter name template, {@code $1} for a captured group) of this
     * {@code type} can give a basic metric: directly, as a counter with {@code _total}, or as a state gauge
     * ({@code <name>_failed}, ...). By the rules file's conventions only a COUNTER gives a name ending in {@code _total}.
     * A rule without a name (jmx_exporter's default naming) can give anything.
     */
    public boolean mayProduce(String ruleName, String type) {
        if (ruleName == null) {
            return true;
        }
        if (ruleName.isEmpty()) {
            return false;
        }
        Pattern p = Pattern.compile(Pattern.quote(ruleName.toLowerCase(java.util.Locale.ROOT))
                .replaceAll("\\$\\d+", "\\\\E.*\\\\Q") + "(?:_total|_(?:" + String.join("|", CloudWatchShaper.STATES) + "))?");
        boolean counter = "COUNTER".equals(type);
        return metrics.keySet().stream().anyMatch(name -> name.endsWith("_total") == counter && p.matcher(name).matches());
    }
}
