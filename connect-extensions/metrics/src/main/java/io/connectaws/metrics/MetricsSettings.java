package io.connectaws.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The exporter's settings, read from the worker config ({@code cloudwatch.*} and {@code metrics.rules.file}; the
 * launcher maps {@code CONNECT_CLOUDWATCH_*} and {@code CONNECT_METRICS_RULES_FILE} onto them like any
 * {@code CONNECT_*} variable). Invalid values stop the worker at start with a message naming the setting.
 */
public final class MetricsSettings {
    public static final String RULES_FILE = "metrics.rules.file";
    public static final String SINK = "cloudwatch.sink";
    public static final String INTERVAL = "cloudwatch.interval.seconds";
    public static final String NAMESPACE = "cloudwatch.namespace";
    public static final String CLUSTER = "cloudwatch.cluster";
    public static final String ROLLUPS = "cloudwatch.rollups";
    public static final String DETAIL = "cloudwatch.detail";
    public static final String DIMENSIONS = "cloudwatch.dimensions";
    public static final String REGION = "cloudwatch.region";
    public static final String ENDPOINT = "cloudwatch.endpoint";
    public static final String DEFAULT_RULES = "/opt/connect/config/metrics-rules.yml";

    /** Where metrics go. */
    public enum Sink { EMF, API, OFF }

    /** How many metrics CloudWatch gets: {@link BasicMetrics} at connector level, or every rule's metric. */
    public enum Detail { BASIC, FULL }

    private static final Pattern NAMESPACE_CHARS = Pattern.compile("[A-Za-z0-9._/#:\\- ]{1,255}");
    private static final Set<String> RESERVED_DIMENSIONS = Set.of(DimensionPlan.CLUSTER, DimensionPlan.CONNECTOR,
            DimensionPlan.TASK, "WorkerId", "EcsTaskArn");

    static final ConfigDef DEF = new ConfigDef()
            .define(RULES_FILE, Type.STRING, DEFAULT_RULES, Importance.MEDIUM,
                    "jmx_exporter rules file that selects and names the metrics, for CloudWatch and Prometheus alike.")
            .define(SINK, Type.STRING, null, Importance.HIGH,
                    "emf: Embedded Metric Format lines on stdout (awslogs turns them into metrics); api: PutMetricData; "
                            + "off. Default: emf on ECS (task metadata endpoint present), off elsewhere.")
            .define(INTERVAL, Type.INT, 60, ConfigDef.Range.between(1, 3600), Importance.MEDIUM,
                    "Seconds between two exports. CloudWatch stores one-minute resolution; shorter intervals add points "
                            + "within the minute.")
            .define(NAMESPACE, Type.STRING, "KafkaConnect", Importance.MEDIUM, "CloudWatch namespace.")
            .define(CLUSTER, Type.STRING, null, Importance.MEDIUM,
                    "Value of the Cluster dimension. Default: the worker's group.id.")
            .define(ROLLUPS, Type.LIST, "connector,cluster", Importance.LOW,
                    "Extra dimension sets each task and connector metric is published under: connector "
                            + "(Cluster, Connector) and cluster (Cluster). Empty: only each metric's own set.")
            .define(DETAIL, Type.STRING, "basic", Importance.MEDIUM,
                    "basic: the metrics an on-call engineer acts on and the shipped alarms watch, at connector and "
                            + "cluster level (14 custom metrics per PostgreSQL connector); full: every metric of the rules "
                            + "file, at task level with the rollups. Prometheus always gets every metric.")
            .define(DIMENSIONS, Type.LIST, "", Importance.LOW,
                    "Fixed dimensions added to every set, as Name=value pairs (e.g. Environment=prod).")
            .define(REGION, Type.STRING, null, Importance.LOW, "Region for the api sink. Default: AWS_REGION.")
            .define(ENDPOINT, Type.STRING, null, Importance.LOW,
                    "Endpoint URL for the api sink (a VPC endpoint, or a local test endpoint).");

    private final Sink sink;
    private final Path rulesFile;
    private final Duration interval;
    private final String namespace;
    private final String cluster;
    private final Set<String> rollups;
    private final Detail detail;
    private final Map<String, String> dimensions;
    private final String region;
    private final String endpoint;

    private MetricsSettings(AbstractConfig c, Map<String, ?> worker, Map<String, String> env) {
        rulesFile = Path.of(c.getString(RULES_FILE));
        String sinkValue = c.getString(SINK);
        if (sinkValue == null || sinkValue.isBlank()) {
            sink = env.containsKey("ECS_CONTAINER_METADATA_URI_V4") ? Sink.EMF : Sink.OFF;
        } else {
            try {
                sink = Sink.valueOf(sinkValue.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SINK, sinkValue, "use emf, api or off");
            }
        }
        interval = Duration.ofSeconds(c.getInt(INTERVAL));
        namespace = c.getString(NAMESPACE).trim();
        if (!NAMESPACE_CHARS.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new ConfigException(NAMESPACE, namespace, "a CloudWatch namespace is 1 to 255 letters, digits or "
                    + ". - _ / # : and space, and must not start with AWS/");
        }
        String clusterValue = c.getString(CLUSTER);
        if (clusterValue == null || clusterValue.isBlank()) {
            Object groupId = worker.get("group.id");
            clusterValue = groupId == null ? "connect" : groupId.toString();
        }
        cluster = dimensionValue(CLUSTER, clusterValue.trim());
        rollups = new LinkedHashSet<>();
        for (String r : c.getList(ROLLUPS)) {
            String level = r.trim().toLowerCase(Locale.ROOT);
            if (level.isEmpty()) {
                continue;
            }
            if (!DimensionPlan.ROLLUPS.contains(level)) {
                throw new ConfigException(ROLLUPS, r, "use connector and/or cluster (or leave it empty)");
            }
            rollups.add(level);
        }
        String detailValue = c.getString(DETAIL).trim();
        try {
            detail = Detail.valueOf(detailValue.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DETAIL, detailValue, "use basic or full");
        }
        dimensions = new LinkedHashMap<>();
        for (String pair : c.getList(DIMENSIONS)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (eq < 0 || name.isEmpty() || name.length() > 255 || name.startsWith(":")) {
                throw new ConfigException(DIMENSIONS, pair, "write each fixed dimension as Name=value");
            }
            if (RESERVED_DIMENSIONS.contains(name)) {
                throw new ConfigException(DIMENSIONS, pair, name + " is set by the exporter; choose another name");
            }
            dimensions.put(name, dimensionValue(DIMENSIONS, pair.substring(eq + 1).trim()));
        }
        if (dimensions.size() > EmfFormatter.MAX_DIMENSIONS_PER_SET - 3) {
            throw new ConfigException(DIMENSIONS, String.join(",", c.getList(DIMENSIONS)),
                    "at most 27 fixed dimensions fit beside Cluster, Connector and Task (CloudWatch allows 30)");
        }
        region = blankToNull(c.getString(REGION));
        endpoint = blankToNull(c.getString(ENDPOINT));
        if (endpoint != null && !endpoint.matches("https?://.+")) {
            throw new ConfigException(ENDPOINT, endpoint, "an endpoint is an http(s):// URL");
        }
    }

    /** Parses the exporter's entries of a worker config; {@code env} decides the default sink. */
    public static MetricsSettings from(Map<String, ?> worker, Map<String, String> env) {
        try {
            // only this extension's entries: AbstractConfig would otherwise instantiate the worker's config providers
            Map<String, Object> own = new LinkedHashMap<>();
            worker.forEach((key, value) -> {
                if (DEF.names().contains(key)) {
                    own.put(key, value);
                }
            });
            return new MetricsSettings(new AbstractConfig(DEF, own, false), worker, env);
        } catch (ConfigException e) {
            throw new MetricsConfigException(e.getMessage() + hint(e.getMessage()));
        }
    }

    private static String dimensionValue(String setting, String value) {
        if (value.isEmpty() || value.length() > 1024) {
            throw new ConfigException(setting, value, "a CloudWatch dimension value is 1 to 1024 characters");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String hint(String message) {
        for (String name : DEF.names()) {
            if (message != null && message.contains(name)) {
                String variable = "CONNECT_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
                return " (environment variable " + variable + ")";
            }
        }
        return "";
    }

    public Sink sink() {
        return sink;
    }

    public Path rulesFile() {
        return rulesFile;
    }

    public Duration interval() {
        return interval;
    }

    public String namespace() {
        return namespace;
    }

    public String cluster() {
        return cluster;
    }

    public Detail detail() {
        return detail;
    }

    /** The dimension sets, and at the basic level which metrics CloudWatch gets. */
    public DimensionPlan dimensionPlan() {
        return new DimensionPlan(rollups, dimensions, detail == Detail.BASIC ? BasicMetrics.standard() : null);
    }

    public String region() {
        return region;
    }

    public String endpoint() {
        return endpoint;
    }

    /** One line for the start log. */
    public String describe() {
        return "sink " + sink.name().toLowerCase(Locale.ROOT) + ", every " + interval.toSeconds() + " s, namespace "
                + namespace + ", Cluster=" + cluster + ", detail " + detail.name().toLowerCase(Locale.ROOT) + ", rollups " + (rollups.isEmpty() ? "none" : String.join("+", rollups))
                + (dimensions.isEmpty() ? "" : ", fixed " + dimensions) + ", rules " + rulesFile;
    }
}
