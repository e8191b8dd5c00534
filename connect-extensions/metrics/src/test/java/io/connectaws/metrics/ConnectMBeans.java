package io.connectaws.metrics;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.MetricNameTemplate;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Frequencies;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Min;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Sanitizer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.ConnectMetricsRegistry;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.WorkerGroupMember;

/**
 * The MBeans of a distributed Connect worker running two connectors, made by Kafka's own code:
 * <ul>
 * <li>every {@link ConnectMetricsRegistry} template, created through a real {@link ConnectMetrics} (its
 * {@code Metrics} and {@code JmxReporter}, prefix {@code kafka.connect}) with the groups, tag order and stat types the
 * 4.3.1 runtime uses ({@link #KINDS}), for a plain connector name and for one JMX has to quote;</li>
 * <li>a real {@link WorkerGroupMember} (coordinator, network and app-info MBeans under {@code kafka.connect});</li>
 * <li>a real producer and consumer named like a task's ({@code connector-producer-NAME-N},
 * {@code connector-consumer-NAME-N}). They are never used, so they never reach a broker.</li>
 * </ul>
 */
public final class ConnectMBeans implements AutoCloseable {

    /** A plain connector name, and one JMX quotes ({@code connector="orders:sink"}). */
    static final String SOURCE = "inventory-source";
    static final String SINK = "orders:sink";
    static final Map<String, String> TASK = Map.of(SOURCE, "0", SINK, "3");
    static final Map<String, String> CONNECTOR_STATUS = Map.of(SOURCE, "running", SINK, "failed");
    static final Map<String, String> TASK_STATUS = Map.of(SOURCE, "running", SINK, "paused");
    static final String WORKER_CLIENT_ID = "connect-1";

    /** How the 4.3.1 runtime creates each template's metric (group/name → kind; file and line in the comments). */
    public enum Kind { STRING, GAUGE, CUMULATIVE_SUM, RATE, AVG, MAX, MIN, VALUE, FREQUENCY }

    public static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        // WorkerConnector.ConnectorMetricsGroup (addImmutableValueMetric / addValueMetric of strings)
        kinds("connector-metrics", Kind.STRING, "status", "connector-type", "connector-class", "connector-version");
        // WorkerTask.TaskMetricsGroup
        kinds("connector-task-metrics", Kind.STRING, "status", "connector-class", "connector-version", "connector-type",
                "task-class", "task-version", "key-converter-class", "value-converter-class", "key-converter-version",
                "value-converter-version", "header-converter-class", "header-converter-version");
        kinds("connector-task-metrics", Kind.GAUGE, "running-ratio", "pause-ratio"); // Gauge<Double>, StateTracker.durationRatio
        kinds("connector-task-metrics", Kind.MAX, "offset-commit-max-time-ms", "batch-size-max");
        kinds("connector-task-metrics", Kind.AVG, "offset-commit-avg-time-ms", "batch-size-avg");
        kinds("connector-task-metrics", Kind.FREQUENCY, "offset-commit-failure-percentage", "offset-commit-success-percentage");
        kinds("connector-transform-metrics", Kind.STRING, "transform-class", "transform-version");
        kinds("connector-predicate-metrics", Kind.STRING, "predicate-class", "predicate-version");
        // AbstractWorkerSourceTask.SourceTaskMetricsGroup, ExactlyOnceWorkerSourceTask (transaction-size-*)
        kinds("source-task-metrics", Kind.RATE, "source-record-poll-rate", "source-record-write-rate");
        kinds("source-task-metrics", Kind.CUMULATIVE_SUM, "source-record-poll-total", "source-record-write-total");
        kinds("source-task-metrics", Kind.MAX, "poll-batch-max-time-ms", "source-record-active-count-max", "transaction-size-max");
        kinds("source-task-metrics", Kind.AVG, "poll-batch-avg-time-ms", "source-record-active-count-avg", "transaction-size-avg");
        kinds("source-task-metrics", Kind.MIN, "transaction-size-min");
        kinds("source-task-metrics", Kind.VALUE, "source-record-active-count");
        // WorkerSinkTask.SinkTaskMetricsGroup (sink-record-lag-max: template only, no sensor in 4.3.1; made a Max here)
        kinds("sink-task-metrics", Kind.RATE, "sink-record-read-rate", "sink-record-send-rate", "offset-commit-completion-rate",
                "offset-commit-skip-rate");
        kinds("sink-task-metrics", Kind.CUMULATIVE_SUM, "sink-record-read-total", "sink-record-send-total",
                "offset-commit-completion-total", "offset-commit-skip-total");
        kinds("sink-task-metrics", Kind.MAX, "sink-record-lag-max", "put-batch-max-time-ms", "sink-record-active-count-max");
        kinds("sink-task-metrics", Kind.AVG, "put-batch-avg-time-ms", "sink-record-active-count-avg");
        kinds("sink-task-metrics", Kind.VALUE, "partition-count", "offset-commit-seq-no", "sink-record-active-count");
        // WorkerMetricsGroup; Worker.ConnectorStatusMetricsGroup (per-connector task counts, LiteralSupplier<Long>)
        kinds("connect-worker-metrics", Kind.GAUGE, "connector-count", "task-count", "connector-total-task-count",
                "connector-running-task-count", "connector-paused-task-count", "connector-failed-task-count",
                "connector-unassigned-task-count", "connector-destroyed-task-count", "connector-restarting-task-count");
        kinds("connect-worker-metrics", Kind.CUMULATIVE_SUM, "connector-startup-attempts-total", "connector-startup-success-total",
                "connector-startup-failure-total", "task-startup-attempts-total", "task-startup-success-total",
                "task-startup-failure-total");
        kinds("connect-worker-metrics", Kind.FREQUENCY, "connector-startup-success-percentage",
                "connector-startup-failure-percentage", "task-startup-success-percentage", "task-startup-failure-percentage");
        // DistributedHerder.HerderMetrics
        kinds("connect-worker-rebalance-metrics", Kind.STRING, "connect-protocol", "leader-name");
        kinds("connect-worker-rebalance-metrics", Kind.GAUGE, "epoch", "rebalancing", "time-since-last-rebalance-ms");
        kinds("connect-worker-rebalance-metrics", Kind.CUMULATIVE_SUM, "completed-rebalances-total");
        kinds("connect-worker-rebalance-metrics", Kind.MAX, "rebalance-max-time-ms");
        kinds("connect-worker-rebalance-metrics", Kind.AVG, "rebalance-avg-time-ms");
        // errors.ErrorHandlingMetrics
        kinds("task-error-metrics", Kind.CUMULATIVE_SUM, "total-record-failures", "total-record-errors", "total-records-skipped",
                "total-retries", "total-errors-logged", "deadletterqueue-produce-requests", "deadletterqueue-produce-failures");
        kinds("task-error-metrics", Kind.GAUGE, "last-error-timestamp");
    }

    /** The stat Connect records a metric of {@code kind} with (the sensor kinds: not STRING, GAUGE or FREQUENCY). */
    public static MeasurableStat stat(Kind kind) {
        return switch (kind) {
            case CUMULATIVE_SUM -> new CumulativeSum();
            case RATE -> new Rate();
            case AVG -> new Avg();
            case MAX -> new Max();
            case MIN -> new Min();
            case VALUE -> new Value();
            default -> throw new IllegalStateException(kind + " is not recorded through a sensor stat");
        };
    }

    private static void kinds(String group, Kind kind, String... names) {
        for (String n : names) {
            if (KINDS.put(group + "/" + n, kind) != null) throw new IllegalStateException("twice: " + group + "/" + n);
        }
    }

    /** One template instance as registered: the MBean and attribute it shows up as. */
    record Instance(MetricNameTemplate template, Map<String, String> tags, ObjectName mbean, String attribute) {}

    final ConnectMetrics connectMetrics;
    final WorkerGroupMember member;
    final List<Instance> instances = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** Every Kafka metric behind these MBeans, by MBean and attribute. */
    private final Map<String, KafkaMetric> byMBeanAttribute = new HashMap<>();

    ConnectMBeans() throws Exception {
        DistributedConfig config = workerConfig();
        connectMetrics = new ConnectMetrics("worker-1", config, Time.SYSTEM, "test-cluster");
        ConnectMetricsRegistry registry = connectMetrics.registry();
        for (MetricNameTemplate template : registry.getAllTemplates()) {
            if (template.tags().contains(ConnectMetricsRegistry.CONNECTOR_TAG_NAME)) {
                for (String connector : List.of(SOURCE, SINK)) add(template, connector);
            } else {
                add(template, null);
            }
        }
        index("kafka.connect", connectMetrics.metrics());

        member = new WorkerGroupMember(config, "http://localhost:8083/", null, null, Time.SYSTEM, WORKER_CLIENT_ID,
                new LogContext());
        index("kafka.connect", (Metrics) field(member, "metrics"));

        for (String connector : List.of(SOURCE, SINK)) {
            String task = TASK.get(connector);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", "localhost:9", "client.id", "connector-producer-" + connector + "-" + task),
                    new ByteArraySerializer(), new ByteArraySerializer());
            clients.add(() -> producer.close(Duration.ZERO));
            index("kafka.producer", producer.metrics());
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", "localhost:9", "client.id", "connector-consumer-" + connector + "-" + task,
                    "group.id", "connect-" + connector), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            clients.add(() -> consumer.close(CloseOptions.timeout(Duration.ZERO)));
            index("kafka.consumer", consumer.metrics());
        }
    }

    /** A worker config that needs no broker (its cluster id is set, not looked up). */
    public static DistributedConfig workerConfig() {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9");
        props.put("group.id", "connect-cluster");
        props.put("config.storage.topic", "connect-configs");
        props.put("offset.storage.topic", "connect-offsets");
        props.put("status.storage.topic", "connect-status");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        DistributedConfig config = new DistributedConfig(props);
        try {
            // kafkaClusterId() would ask the brokers; it caches the answer in this field
            Field id = WorkerConfig.class.getDeclaredField("kafkaClusterId");
            id.setAccessible(true);
            id.set(config, "test-cluster");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return config;
    }

    /** Registers {@code template} the way the runtime does (tags in template order: connector, task, transform...). */
    private void add(MetricNameTemplate template, String connector) throws MalformedObjectNameException {
        List<String> tagKeyValues = new ArrayList<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : template.tags()) {
            String value = switch (tag) {
                case "connector" -> connector;
                case "task" -> TASK.get(connector);
                case "transform" -> "mask";
                case "predicate" -> "isTombstone";
                default -> throw new IllegalStateException("tag " + tag + " of " + template);
            };
            tagKeyValues.add(tag);
            tagKeyValues.add(value);
            tags.put(tag, value);
        }
        ConnectMetrics.MetricGroup group = connectMetrics.group(template.group(), tagKeyValues.toArray(String[]::new));
        Kind kind = KINDS.get(template.group() + "/" + template.name());
        if (kind == null) {
            throw new IllegalStateException("Connect has a new metric " + template.group() + "/" + template.name()
                    + ": classify it in ConnectMBeans.KINDS (and give it a rule or an exclusion)");
        }
        MetricName name = group.metricName(template);
        switch (kind) {
            case STRING -> group.addValueMetric(template, now -> stringValue(template, connector));
            case GAUGE -> group.addValueMetric(template, now -> gaugeValue(template));
            case FREQUENCY -> {
                // Frequencies.forBooleanValues(failure, success), as WorkerTask and WorkerMetricsGroup pair them
                boolean failure = template.name().contains("failure");
                Sensor s = group.sensor(template.name());
                s.add(Frequencies.forBooleanValues(failure ? name : null, failure ? null : name));
                s.record(1.0);
                s.record(1.0);
                s.record(1.0);
                s.record(0.0); // 3 of 4 succeeded
            }
            default -> {
                Sensor s = group.sensor(template.name());
                s.add(name, stat(kind));
                s.record(12);
                s.record(30);
            }
        }
        instances.add(new Instance(template, tags, new ObjectName(mbeanName("kafka.connect", name)), template.name()));
    }

    private static String stringValue(MetricNameTemplate template, String connector) {
        if (template.name().equals("status")) {
            return template.group().equals(ConnectMetricsRegistry.CONNECTOR_GROUP_NAME)
                    ? CONNECTOR_STATUS.get(connector) : TASK_STATUS.get(connector);
        }
        if (template.name().endsWith("-version")) return "4.3.1";
        if (template.name().equals("connector-type")) return "source";
        if (template.name().equals("connect-protocol")) return "SESSIONED";
        if (template.name().equals("leader-name")) return "http://worker-2:8083/";
        return "org.example." + template.name();
    }

    private static Object gaugeValue(MetricNameTemplate template) {
        return switch (template.name()) {
            case "running-ratio" -> 0.75;
            case "pause-ratio" -> 0.25;
            case "rebalancing" -> 0.0;
            case "epoch" -> 7.0;
            case "time-since-last-rebalance-ms" -> 93_000.0;
            case "last-error-timestamp" -> 1_732_000_000_000L;
            case "connector-count", "task-count" -> 4.0;
            default -> 2L; // per-connector task counts
        };
    }

    /** {@code org.apache.kafka.common.metrics.JmxReporter#getMBeanName} (package-private there). */
    static String mbeanName(String prefix, MetricName metricName) {
        StringBuilder b = new StringBuilder(prefix).append(":type=").append(metricName.group());
        for (Map.Entry<String, String> e : metricName.tags().entrySet()) {
            if (e.getKey().isEmpty() || e.getValue().isEmpty()) continue;
            b.append(',').append(e.getKey()).append('=').append(Sanitizer.jmxSanitize(e.getValue()));
        }
        return b.toString();
    }

    private void index(String prefix, Metrics metrics) {
        index(prefix, metrics.metrics());
    }

    private void index(String prefix, Map<MetricName, ? extends org.apache.kafka.common.Metric> metrics) {
        metrics.forEach((n, m) -> byMBeanAttribute.put(key(mbeanName(prefix, n), n.name()), (KafkaMetric) m));
    }

    private static String key(String mbean, String attribute) {
        try {
            return new ObjectName(mbean).getCanonicalName() + "#" + attribute;
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(mbean, e);
        }
    }

    /** The Kafka metric behind an MBean attribute, if it is one of ours. */
    Optional<KafkaMetric> metric(ObjectName mbean, String attribute) {
        return Optional.ofNullable(byMBeanAttribute.get(mbean.getCanonicalName() + "#" + attribute));
    }

    /** Whether the attribute is a count since start: a CumulativeSum or CumulativeCount (also as a Meter's total). */
    static boolean cumulative(KafkaMetric metric) {
        try {
            return metric.measurable() instanceof CumulativeSum;
        } catch (IllegalStateException gauge) {
            return false;
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : clients) c.close();
        member.stop();
        connectMetrics.stop();
    }
}
