package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.ExporterBench.*;
import static io.connectaws.bench.metrics.Measurement.*;
import static io.connectaws.bench.metrics.RuleAnalysis.*;
import static io.connectaws.bench.metrics.Report.*;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.MetricNameTemplate;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Frequencies;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.WorkerGroupMember;

import io.connectaws.health.ConnectorRestartsMBean;
import io.connectaws.health.HealthMetrics;
import io.connectaws.metrics.ConnectMBeans;
import io.connectaws.metrics.DebeziumMBeans;
import io.debezium.pipeline.metrics.SnapshotChangeEventSourceMetricsMXBean;
import io.debezium.pipeline.metrics.StreamingChangeEventSourceMetricsMXBean;

/** The MBeans of a worker running many Debezium Postgres source connectors, made by Kafka's and Debezium's own classes. */
final class SyntheticWorker {
    private SyntheticWorker() {
    }

    /**
     * The MBeans of a worker running CONNECTORS Debezium Postgres source connectors, and {@link #traffic()}: what the
     * tasks record between two exports.
     */
    static final class Worker implements AutoCloseable {
        final ConnectMetrics connect;
        final WorkerGroupMember member;
        final List<Metrics> clients = new ArrayList<>();
        final List<Sensor> sensors = new ArrayList<>();
        final List<Sensor> booleanSensors = new ArrayList<>();
        final List<Debezium> debezium = new ArrayList<>();
        final List<ObjectName> registered = new ArrayList<>();
        final Map<String, Map<String, String>> connectorConfigs = new LinkedHashMap<>();
        final Map<String, String> connectorByPrefix = new HashMap<>();
        final Random random = new Random(42);
        final long started = System.currentTimeMillis();
        final Map<String, Integer> mbeansByKind = new TreeMap<>();

        Worker() throws Exception {
            DistributedConfig config = ConnectMBeans.workerConfig();
            connect = new ConnectMetrics("10.0.1.23:8083", config, Time.SYSTEM, "kafka-cluster-id");
            Map<String, List<MetricNameTemplate>> templates = new LinkedHashMap<>();
            for (MetricNameTemplate t : connect.registry().getAllTemplates()) {
                String scope = t.tags().contains("transform") ? "transform" : t.tags().contains("predicate") ? "predicate"
                        : t.tags().contains("task") ? "task" : t.tags().contains("connector") ? "connector" : "worker";
                templates.computeIfAbsent(t.group() + "/" + scope, k -> new ArrayList<>()).add(t);
            }
            add(templates, "connect-worker-metrics/worker", null, null, null);
            add(templates, "connect-worker-rebalance-metrics/worker", null, null, null);
            for (int c = 0; c < CONNECTORS; c++) {
                String connector = connectorName(c);
                String prefix = String.format(Locale.ROOT, "pgsrv%02d", c);
                connectorConfigs.put(connector, Map.of("topic.prefix", prefix,
                        "connector.class", "io.debezium.connector.postgresql.PostgresConnector"));
                add(templates, "connector-metrics/connector", connector, null, null);
                add(templates, "connect-worker-metrics/connector", connector, null, null);
                for (int t = 0; t < TASKS; t++) {
                    for (String group : List.of("connector-task-metrics", "source-task-metrics", "task-error-metrics")) {
                        add(templates, group + "/task", connector, String.valueOf(t), null);
                    }
                    // one SMT per task (ExtractNewRecordState is the usual one): string metadata, not exported
                    add(templates, "connector-transform-metrics/transform", connector, String.valueOf(t), "unwrap");
                    producer("connector-producer-" + connector + "-" + t, prefix);
                }
                debezium.add(new Debezium(prefix, c));
            }
            member = new WorkerGroupMember(config, "http://10.0.1.23:8083/", null, null, Time.SYSTEM, "connect-1",
                    new LogContext());
            // the worker's own clients for the config, offset and status topics (not exported)
            for (String internal : List.of("configs", "offsets", "statuses")) {
                producer("connect-1-" + internal, null);
                consumer("connect-1-" + internal);
            }
            for (Debezium d : debezium) d.register();
            // the health extension's MBeans, under the names it registers them with (HealthMetrics), its own classes
            registerMBean(new ObjectName("io.connectaws:type=health"), new HealthMetrics());
            for (int c = 0; c < Math.min(RESTARTED, CONNECTORS); c++) {
                registerMBean(new ObjectName("io.connectaws:type=self-healing,connector="
                        + ObjectName.quote(connectorName(c * 7 % CONNECTORS))),
                        new StandardMBean(new HealthMetrics.ConnectorRestarts(), ConnectorRestartsMBean.class));
            }
            connectorConfigs.forEach((name, props) -> connectorByPrefix.put(props.get("topic.prefix"), name));
            for (String domain : SERVER.getDomains()) {
                mbeansByKind.put(domain, SERVER.queryNames(new ObjectName(domain + ":*"), null).size());
            }
            traffic();
        }

        private void registerMBean(ObjectName name, Object mbean) throws Exception {
            SERVER.registerMBean(mbean, name);
            registered.add(name);
        }

        static String connectorName(int c) {
            return String.format(Locale.ROOT, "cdc-postgres-%02d", c);
        }

        static String status(String connector) {
            int c = Integer.parseInt(connector.substring(connector.length() - 2));
            return c % 25 == 7 ? "failed" : c % 25 == 13 ? "paused" : "running";
        }

        private void add(Map<String, List<MetricNameTemplate>> templates, String key, String connector, String task,
                         String transform) {
            for (MetricNameTemplate template : templates.getOrDefault(key, List.of())) {
                List<String> kv = new ArrayList<>();
                for (String tag : template.tags()) {
                    kv.add(tag);
                    kv.add(switch (tag) {
                        case "connector" -> connector;
                        case "task" -> task;
                        case "transform" -> transform;
                        default -> throw new IllegalStateException(tag);
                    });
                }
                ConnectMetrics.MetricGroup group = connect.group(template.group(), kv.toArray(String[]::new));
                ConnectMBeans.Kind kind = ConnectMBeans.KINDS.get(template.group() + "/" + template.name());
                if (kind == null) throw new IllegalStateException("unclassified Connect metric " + template);
                MetricName name = group.metricName(template);
                switch (kind) {
                    case STRING -> group.addValueMetric(template, now -> stringValue(template, connector));
                    case GAUGE -> group.addValueMetric(template, now -> gaugeValue(template, connector));
                    case FREQUENCY -> {
                        boolean failure = template.name().contains("failure");
                        Sensor s = group.sensor(template.name());
                        s.add(Frequencies.forBooleanValues(failure ? name : null, failure ? null : name));
                        booleanSensors.add(s);
                    }
                    default -> {
                        Sensor s = group.sensor(template.name());
                        s.add(name, ConnectMBeans.stat(kind));
                        sensors.add(s);
                    }
                }
            }
        }

        private static String stringValue(MetricNameTemplate template, String connector) {
            if (template.name().equals("status")) return status(connector);
            if (template.name().endsWith("-version")) return "3.6.3.Final";
            if (template.name().equals("connector-type")) return "source";
            if (template.name().equals("connect-protocol")) return "sessioned";
            if (template.name().equals("leader-name")) return "http://10.0.2.45:8083/";
            return "io.debezium.connector.postgresql." + template.name();
        }

        private Object gaugeValue(MetricNameTemplate template, String connector) {
            boolean up = connector == null || status(connector).equals("running");
            return switch (template.name()) {
                case "running-ratio" -> up ? 0.999 : 0.0;
                case "pause-ratio" -> up ? 0.0 : 1.0;
                case "rebalancing" -> 0.0;
                case "epoch" -> 42.0;
                case "time-since-last-rebalance-ms" -> (double) (System.currentTimeMillis() - started + 3_600_000);
                case "last-error-timestamp" -> 0L;
                case "connector-count" -> (double) CONNECTORS;
                case "task-count" -> (double) CONNECTORS * TASKS;
                case "connector-total-task-count" -> (long) TASKS;
                case "connector-running-task-count" -> up ? (long) TASKS : 0L;
                case "connector-failed-task-count" -> status(connector).equals("failed") ? (long) TASKS : 0L;
                case "connector-paused-task-count" -> status(connector).equals("paused") ? (long) TASKS : 0L;
                default -> 0L;
            };
        }

        /** A task's or the worker's producer: the client-level metrics of a real KafkaProducer, per broker, per topic. */
        private void producer(String clientId, String topicPrefix) {
            Metrics m = client("kafka.producer", clientId, Templates.PRODUCER.get());
            for (int n = 1; n <= NODES; n++) {
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("client-id", clientId);
                tags.put("node-id", "node-" + n);
                stats(m, "producer-node-metrics", tags, Templates.NODE);
            }
            if (topicPrefix != null) {
                for (int t = 0; t < TABLES; t++) {
                    Map<String, String> tags = new LinkedHashMap<>();
                    tags.put("client-id", clientId);
                    tags.put("topic", topicPrefix + ".public.table_" + t);
                    stats(m, "producer-topic-metrics", tags, Templates.TOPIC);
                }
            }
        }

        private void consumer(String clientId) {
            client("kafka.consumer", clientId, Templates.CONSUMER.get());
        }

        private Metrics client(String prefix, String clientId, List<Templates.Spec> specs) {
            Metrics m = new Metrics(new MetricConfig(), List.of(new JmxReporter()), Time.SYSTEM, new KafkaMetricsContext(prefix));
            clients.add(m);
            AppInfoParser.registerAppInfo(prefix, clientId, m, System.currentTimeMillis());
            for (Templates.Spec s : specs) {
                Map<String, String> tags = new LinkedHashMap<>();
                s.tags().forEach((k, v) -> tags.put(k, k.equals("client-id") ? clientId : v));
                MetricName name = m.metricName(s.name(), s.group(), s.description(), tags);
                if (s.stat() != null) {
                    Sensor sensor = m.sensor(s.group() + "/" + s.name() + tags);
                    sensor.add(name, newStat(s.stat()));
                    sensors.add(sensor);
                } else if (s.value() instanceof Number n) {
                    double v = n.doubleValue();
                    m.addMetric(name, (Measurable) (config, now) -> v);
                } else {
                    Object v = s.value();
                    m.addMetric(name, (Gauge<Object>) (config, now) -> v);
                }
            }
            return m;
        }

        private void stats(Metrics m, String group, Map<String, String> tags, Map<String, Class<? extends MeasurableStat>> names) {
            names.forEach((n, stat) -> {
                Sensor sensor = m.sensor(group + "/" + n + tags);
                sensor.add(m.metricName(n, group, "", tags), newStat(stat));
                sensors.add(sensor);
            });
        }

        private static MeasurableStat newStat(Class<? extends MeasurableStat> c) {
            try {
                return c.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c.getName(), e);
            }
        }

        /** What the tasks do between two exports: record into every sensor, advance Debezium's counters. */
        void traffic() {
            for (Sensor s : sensors) {
                s.record(random.nextInt(100));
                s.record(random.nextInt(100));
            }
            for (Sensor s : booleanSensors) s.record(random.nextInt(50) == 0 ? 0.0 : 1.0);
            for (Debezium d : debezium) d.tick.addAndGet(1 + random.nextInt(5));
        }

        @Override
        public void close() throws Exception {
            for (Debezium d : debezium) d.unregister();
            for (ObjectName n : registered) if (SERVER.isRegistered(n)) SERVER.unregisterMBean(n);
            member.stop();
            for (Metrics m : clients) m.close();
            connect.stop();
        }
    }

    /** Client metric sets taken from real Kafka clients, once, so the names, groups and stat types are Kafka's. */
    static final class Templates {
        record Spec(String group, String name, String description, Map<String, String> tags,
                    Class<? extends MeasurableStat> stat, Object value) {}

        static final Lazy<List<Spec>> PRODUCER = new Lazy<>(() -> {
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", "localhost:9",
                    "client.id", "template-producer"), new ByteArraySerializer(), new ByteArraySerializer());
            try {
                return specs(p.metrics());
            } finally {
                p.close(Duration.ZERO);
            }
        });

        static final Lazy<List<Spec>> CONSUMER = new Lazy<>(() -> {
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", "localhost:9",
                    "client.id", "template-consumer"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            try {
                return specs(c.metrics());
            } finally {
                c.close(CloseOptions.timeout(Duration.ZERO));
            }
        });

        /** Selector and NetworkClient per-broker metrics (producer-node-metrics), registered once a broker is used. */
        static final Map<String, Class<? extends MeasurableStat>> NODE = ordered(
                "outgoing-byte-rate", Rate.class, "outgoing-byte-total", CumulativeSum.class,
                "request-rate", Rate.class, "request-total", CumulativeCount.class,
                "request-size-avg", Avg.class, "request-size-max", Max.class,
                "incoming-byte-rate", Rate.class, "incoming-byte-total", CumulativeSum.class,
                "response-rate", Rate.class, "response-total", CumulativeCount.class,
                "request-latency-avg", Avg.class, "request-latency-max", Max.class);
        /** SenderMetricsRegistry's per-topic metrics (producer-topic-metrics). */
        static final Map<String, Class<? extends MeasurableStat>> TOPIC = ordered(
                "record-send-rate", Rate.class, "record-send-total", CumulativeSum.class,
                "byte-rate", Rate.class, "byte-total", CumulativeSum.class, "compression-rate", Avg.class,
                "record-retry-rate", Rate.class, "record-retry-total", CumulativeSum.class,
                "record-error-rate", Rate.class, "record-error-total", CumulativeSum.class);

        @SuppressWarnings("unchecked")
        private static Map<String, Class<? extends MeasurableStat>> ordered(Object... kv) {
            Map<String, Class<? extends MeasurableStat>> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Class<? extends MeasurableStat>) kv[i + 1]);
            return m;
        }

        /** The client-level metrics (tags: client-id only), without app-info and the registry's own count. */
        @SuppressWarnings("unchecked")
        private static List<Spec> specs(Map<MetricName, ? extends Metric> metrics) {
            List<Spec> out = new ArrayList<>();
            for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
                MetricName n = e.getKey();
                if (!n.tags().keySet().equals(Set.of("client-id")) || n.group().equals("app-info")
                        || n.group().equals("kafka-metrics-count")) {
                    continue;
                }
                KafkaMetric m = (KafkaMetric) e.getValue();
                Class<? extends MeasurableStat> stat = null;
                if (m.isMeasurable()) {
                    Class<?> c = m.measurable().getClass();
                    if (MeasurableStat.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers()) && !c.isSynthetic()
                            && !c.isAnonymousClass() && hasNoArgConstructor(c)) {
                        stat = (Class<? extends MeasurableStat>) c;
                    }
                }
                out.add(new Spec(n.group(), n.name(), n.description(), new LinkedHashMap<>(n.tags()), stat,
                        stat == null ? m.metricValue() : null));
            }
            out.sort(Comparator.comparing(Spec::group).thenComparing(Spec::name));
            return out;
        }

        private static boolean hasNoArgConstructor(Class<?> c) {
            for (Constructor<?> k : c.getConstructors()) if (k.getParameterCount() == 0) return true;
            return false;
        }
    }

    static final class Lazy<T> {
        private final Supplier<T> supplier;
        private T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        synchronized T get() {
            if (value == null) value = supplier.get();
            return value;
        }
    }

    /**
     * A Postgres connector's Debezium MBeans (streaming and snapshot), as io.debezium.metrics.Metrics names them,
     * exposed through the real MXBean interfaces (maps become TabularData on every read, as in the worker).
     */
    static final class Debezium {
        final String server;
        final int index;
        final AtomicLong tick = new AtomicLong();
        final List<String> tables = new ArrayList<>();
        final List<ObjectName> names = new ArrayList<>();

        Debezium(String server, int index) {
            this.server = server;
            this.index = index;
            for (int t = 0; t < TABLES; t++) tables.add("public.table_" + t);
        }

        void register() throws Exception {
            register("streaming", StreamingChangeEventSourceMetricsMXBean.class);
            register("snapshot", SnapshotChangeEventSourceMetricsMXBean.class);
        }

        private <T> void register(String context, Class<T> mxbean) throws Exception {
            ObjectName name = new ObjectName("debezium.postgres:type=connector-metrics,context=" + context + ",server=" + server);
            Object proxy = Proxy.newProxyInstance(mxbean.getClassLoader(), new Class<?>[] {mxbean},
                    (p, m, args) -> value(context, m));
            SERVER.registerMBean(new StandardMBean(mxbean.cast(proxy), mxbean, true), name);
            names.add(name);
        }

        void unregister() throws Exception {
            for (ObjectName n : names) if (SERVER.isRegistered(n)) SERVER.unregisterMBean(n);
        }

        private Object value(String context, Method m) {
            switch (m.getName()) {
                case "toString": return "debezium-" + server;
                case "hashCode": return index;
                case "equals": return false;
                default: break;
            }
            Class<?> t = m.getReturnType();
            if (t == void.class) return null;
            String a = m.getName().replaceFirst("^(get|is)", "");
            long k = tick.get();
            if (Map.class.isAssignableFrom(t)) {
                Type valueType = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                if (valueType != Long.class) return Map.of("lsn", "0/" + Long.toHexString(0x16B3748L + k * 4096), "txId", String.valueOf(767 + k),
                        "ts_usec", String.valueOf(System.currentTimeMillis() * 1000));
                boolean perTable = a.equals("RowsScanned") || (ADVANCED && a.startsWith("NumberOf"));
                Map<String, Long> m2 = new LinkedHashMap<>();
                if (perTable) for (int i = 0; i < tables.size(); i++) m2.put(tables.get(i), 1000L * (i + 1) + k * (i + 1));
                return m2;
            }
            if (t == String[].class) return tables.toArray(String[]::new);
            if (t == String.class) return a.equals("LastEvent") ? "{\"op\":\"u\",\"lsn\":" + k + "}" : a.startsWith("Chunk") || a.startsWith("Table") ? null : "txn-" + k;
            if (t == boolean.class || t == Boolean.class) {
                return switch (a) {
                    case "Connected", "SnapshotCompleted" -> true;
                    default -> false;
                };
            }
            double v;
            if (DebeziumMBeans.CUMULATIVE.contains(a)) {
                v = context.equals("snapshot") ? 50_000 + (a.hashCode() & 0xff) : (a.hashCode() & 0xfff) + k * ((a.length() % 7) + 1);
            } else {
                v = switch (a) {
                    case "MilliSecondsBehindSource", "MilliSecondsSinceLastEvent" -> 100 + (k * 37) % 900;
                    case "QueueTotalCapacity" -> 8192;
                    case "QueueRemainingCapacity" -> 8192 - (k % 100);
                    case "TotalTableCount" -> TABLES;
                    case "RemainingTableCount" -> 0;
                    case "SnapshotDurationInSeconds" -> 412;
                    default -> (a.hashCode() & 0x3ff) + (k % 10);
                };
            }
            if (t == long.class || t == Long.class) return (long) v;
            if (t == int.class || t == Integer.class) return (int) v;
            if (t == double.class || t == Double.class) return v + 0.5;
            throw new IllegalStateException("no value for " + m);
        }
    }
}
