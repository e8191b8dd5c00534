package io.connectaws.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one interval's samples into CloudWatch data points. Counters become deltas since the previous interval
 * (a value below the previous one means the MBean was re-created, so the value itself is the delta); a sample
 * with a {@code state} label becomes one 0/1 gauge per state in {@link #STATES}; labels {@code connector} and
 * {@code task} become the Connector and Task dimensions (Debezium's {@code server} is resolved to the connector
 * whose topic prefix it is); other labels are summed away. Units follow the metric name's suffix. Metrics the
 * detail level does not publish are left out here, before any delta is kept.
 */
public final class CloudWatchShaper {
    private static final Logger log = LoggerFactory.getLogger(CloudWatchShaper.class);
    /** States exported as 0/1 gauges named {@code <metric>_<state>}. */
    public static final List<String> STATES = List.of("running", "failed", "paused");
    static final int MAX_NAME = 255;
    static final int MAX_DIMENSION_VALUE = 1024;
    // CloudWatch refuses values outside this magnitude range (other than 0)
    static final double MAX_MAGNITUDE = 1.174271e108;
    static final double MIN_MAGNITUDE = 8.515920e-109;

    private final String cluster;
    private final Function<String, String> connectorOfServer;
    private final Predicate<String> published;
    private Map<Map.Entry<String, Map<String, String>>, Double> previous = new HashMap<>();
    private final Set<String> warned = new HashSet<>();

    /**
     * @param cluster           value of the Cluster dimension
     * @param connectorOfServer Debezium server name (topic prefix) to connector name, or null when unknown
     */
    public CloudWatchShaper(String cluster, Function<String, String> connectorOfServer) {
        this(cluster, connectorOfServer, metric -> true);
    }

    /**
     * @param published true for the metric names CloudWatch gets at this detail level
     *                  ({@link DimensionPlan#publishes}); the others are dropped
     */
    public CloudWatchShaper(String cluster, Function<String, String> connectorOfServer, Predicate<String> published) {
        this.cluster = cluster;
        this.connectorOfServer = connectorOfServer;
        this.published = published;
    }

    /** The data points of this interval, in a stable order (grouped by dimensions). */
    public List<Datum> shape(List<Sample> samples) {
        Map<Map.Entry<String, Map<String, String>>, Double> seen = new HashMap<>();
        Map<Map<String, String>, Map<String, double[]>> byDimensions = new LinkedHashMap<>();
        Map<String, String> units = new HashMap<>();
        for (Sample s : samples) {
            if (!Double.isFinite(s.value()) || s.name().startsWith("jmx_")) {
                continue;
            }
            String state = s.labels().get("state");
            if (state == null && !published.test(s.name())) {
                continue;
            }
            Map<String, String> dims = dimensions(s.labels());
            if (state != null) {
                for (String st : STATES) {
                    if (!published.test(s.name() + "_" + st)) {
                        continue;
                    }
                    add(byDimensions, units, s.name() + "_" + st, "None", dims,
                            st.equalsIgnoreCase(state) && s.value() > 0 ? 1 : 0);
                }
                continue;
            }
            double value = s.value();
            if (s.type() == Sample.Type.COUNTER) {
                Map.Entry<String, Map<String, String>> key = Map.entry(s.name(), s.labels()); // labels: an immutable copy
                seen.put(key, value);
                Double before = previous.get(key);
                value = before == null || value < before ? value : value - before;
            }
            add(byDimensions, units, s.name(), unit(s.name(), s.type()), dims, value);
        }
        previous = seen;
        List<Datum> data = new ArrayList<>();
        byDimensions.forEach((dims, metrics) -> metrics.forEach((name, sum) -> {
            double v = sum[0];
            if (Math.abs(v) > MAX_MAGNITUDE) {
                warnOnce("value:" + name, "Metric {} has a value beyond CloudWatch's range; it is left out", name);
                return;
            }
            data.add(new Datum(name, units.get(name), dims, Math.abs(v) < MIN_MAGNITUDE ? 0 : v));
        }));
        return data;
    }

    private void add(Map<Map<String, String>, Map<String, double[]>> byDimensions, Map<String, String> units,
                     String name, String unit, Map<String, String> dims, double value) {
        if (name.length() > MAX_NAME) {
            warnOnce("name:" + name, "Metric name {}... is longer than CloudWatch's 255 characters; shorten it in the "
                    + "rules file. It is left out", name.substring(0, 80));
            return;
        }
        units.putIfAbsent(name, unit);
        byDimensions.computeIfAbsent(dims, d -> new LinkedHashMap<>())
                .computeIfAbsent(name, n -> new double[1])[0] += value;
    }

    private Map<String, String> dimensions(Map<String, String> labels) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put(DimensionPlan.CLUSTER, cluster);
        String connector = labels.get("connector");
        if (connector == null && labels.containsKey("server")) {
            String server = labels.get("server");
            String resolved = connectorOfServer == null ? null : connectorOfServer.apply(server);
            connector = resolved != null ? resolved : server;
        }
        if (connector != null && !connector.isEmpty()) {
            dims.put(DimensionPlan.CONNECTOR, truncate(connector));
            String task = labels.get("task");
            if (task != null && !task.isEmpty()) {
                dims.put(DimensionPlan.TASK, truncate(task));
            }
        }
        return dims;
    }

    private String truncate(String value) {
        if (value.length() <= MAX_DIMENSION_VALUE) {
            return value;
        }
        warnOnce("dim:" + value, "Dimension value {}... is longer than CloudWatch's 1024 characters; it is cut",
                value.substring(0, 80));
        return value.substring(0, MAX_DIMENSION_VALUE);
    }

    private void warnOnce(String key, String message, Object arg) {
        if (warned.add(key)) {
            log.warn(message, arg);
        }
    }

    /** The CloudWatch unit a metric name's suffix stands for (see the rules file's header). */
    public static String unit(String name, Sample.Type type) {
        if (type == Sample.Type.COUNTER) {
            return "Count";
        }
        if (name.endsWith("_ms") || name.endsWith("_milliseconds") || name.contains("_milliseconds_")) {
            return "Milliseconds";
        }
        if (name.endsWith("_seconds") || name.contains("_seconds_")) {
            return "Seconds";
        }
        if (name.endsWith("_bytes_rate") || name.endsWith("_bytes_per_second")) {
            return "Bytes/Second";
        }
        if (name.endsWith("_bytes")) {
            return "Bytes";
        }
        if (name.endsWith("_rate") || name.endsWith("_per_second")) {
            return "Count/Second";
        }
        if (name.endsWith("_percent")) {
            return "Percent";
        }
        if (name.endsWith("_count")) {
            return "Count";
        }
        return "None";
    }
}
