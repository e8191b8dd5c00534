// Compiled and run by bench/metrics/run.sh against connect-extensions/metrics' classes and test classes. It is
// declared in the module's package to reach the seams the tests use (EmfSink's stream, TopicPrefixes, the
// package-private MetricsRules.parse and CloudWatchApiSink.toMetricData, ConnectMBeans.KINDS, DebeziumMBeans.CUMULATIVE);
// it is not part of the module's sources and no test runs it.
package io.connectaws.metrics;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

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
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.ConnectMetricsRegistry;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.WorkerGroupMember;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.connectaws.health.HealthMetrics;
import io.connectaws.it.aws.CloudWatchCall;
import io.connectaws.it.aws.LocalAws;
import io.debezium.pipeline.metrics.SnapshotChangeEventSourceMetricsMXBean;
import io.debezium.pipeline.metrics.StreamingChangeEventSourceMetricsMXBean;
import io.prometheus.jmx.JmxCollector;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * CPU and heap cost of the CloudWatch exporter over the MBeans of a worker running many Debezium source connectors.
 * Usage: {@code java ... io.connectaws.metrics.ExporterBench RULES_FILE OUT_MARKDOWN}; sizes as -Dbench.* properties
 * (see run.sh). Progress goes to stderr; the measured tables to OUT_MARKDOWN.
 */
public final class ExporterBench {
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    static final PrintStream LOG = System.err;
    static final String REGION = "eu-west-1";
    static final String BENCH_THREAD = "exporter-bench";

    static final int CONNECTORS = Integer.getInteger("bench.connectors", 50);
    static final int TASKS = Integer.getInteger("bench.tasks", 2);
    static final int TABLES = Integer.getInteger("bench.tables", 5);
    static final int NODES = Integer.getInteger("bench.nodes", 3);
    static final int RESTARTED = Integer.getInteger("bench.restarted", 5);
    static final int CYCLES = Integer.getInteger("bench.cycles", 300);
    static final int WARMUP = Integer.getInteger("bench.warmup", 50);
    static final int PROFILE_CYCLES = Integer.getInteger("bench.profile", 100);
    static final int DETAIL_CYCLES = Integer.getInteger("bench.detail", 100);
    static final boolean ADVANCED = Boolean.getBoolean("bench.advanced");
    static final Set<String> SINKS = Set.of(System.getProperty("bench.sinks", "emf,api").split(","));
    /** cloudwatch.detail: basic (the default) or full. */
    static final String LEVEL = System.getProperty("bench.level", "basic");

    private static final ExecutorService BENCH = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, BENCH_THREAD);
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        Path rulesFile = Path.of(args[0]);
        Path out = Path.of(args[1]);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        THREADS.setThreadCpuTimeEnabled(true);
        Md md = new Md();

        LOG.printf("bench: %d connectors x %d tasks, %d tables, %d brokers; %d warm-up + %d measured cycles%n",
                CONNECTORS, TASKS, TABLES, NODES, WARMUP, CYCLES);
        long heapEmpty = usedAfterGc();
        Worker worker = new Worker();
        long heapWorker = usedAfterGc();
        String rulesText = Files.readString(rulesFile);
        Scope scope = new Scope(rulesText);
        LOG.printf("bench: %d MBeans registered, %d matched by includeObjectNames, %d attributes on them%n",
                SERVER.getMBeanCount(), scope.matched().size(), scope.attributes());

        Map<String, Object> settingsMap = new HashMap<>();
        settingsMap.put("group.id", "connect-cluster");
        settingsMap.put(MetricsSettings.RULES_FILE, rulesFile.toString());
        settingsMap.put(MetricsSettings.DETAIL, LEVEL);
        System.setProperty("connect.aws.worker.id", "10.0.1.23:8083");
        System.setProperty("connect.aws.ecs.task.arn", "arn:aws:ecs:eu-west-1:123456789012:task/connect/0123456789abcdef0123456789abcdef");

        List<Result> results = new ArrayList<>();
        Phases phases = null;
        RuleStats ruleStats = null;
        Map<String, Cost[]> variant = null;
        Profile profile = null;
        LineCheck lineCheck = null;

        if (SINKS.contains("emf")) {
            settingsMap.put(MetricsSettings.SINK, "emf");
            MetricsSettings settings = MetricsSettings.from(settingsMap, Map.of());
            Counting stdout = new Counting();
            PrintStream stream = new PrintStream(stdout, false, StandardCharsets.UTF_8);
            Result r = new Result("emf");
            r.heapBefore = usedAfterGc();
            MetricsRules rules = MetricsRules.load(settings.rulesFile());
            Built b = new Built();
            b.exporter = new MetricsExporter(sampler(rules, settings), shaper(settings, worker),
                    new EmfSink(new EmfFormatter(settings.namespace(), settings.dimensionPlan(), MetricsExtension.properties(java.util.Map.of())),
                            () -> stream),
                    Duration.ofDays(1), Clock.systemUTC());
            b.exporter.start(); // registers io.connectaws:type=metrics-exporter; its own schedule never fires here
            long[] last = new long[2];
            r.output = () -> {
                long[] o = {stdout.writes - last[0], stdout.bytes - last[1]};
                last[0] = stdout.writes;
                last[1] = stdout.bytes;
                return o;
            };
            measure(r, worker, b.exporter, () -> { });
            r.exporterPoints = b.exporter.getLastDataPoints();
            r.samples = sampler(rules, settings).sample().size();
            if (PROFILE_CYCLES > 0) {
                LOG.println("bench: JFR profile (emf)");
                profile = Profile.run(worker, b.exporter);
            }
            retained(r, b, () -> { });
            results.add(r);

            LOG.println("bench: phases (emf)");
            phases = Phases.run(worker, rules, settings, scope);
            lineCheck = phases.lineCheck;
            ruleStats = RuleStats.of(rulesText, scope);
            LOG.println("bench: what-if rules");
            variant = whatIf(worker, rulesText, rules);
        }

        if (SINKS.contains("api")) {
            LocalAws aws = LocalAws.start(0, REGION);
            System.setProperty("aws.containerCredentialsFullUri", "http://localhost:" + aws.port() + aws.containerCredentialsPath());
            settingsMap.put(MetricsSettings.SINK, "api");
            settingsMap.put(MetricsSettings.REGION, REGION);
            settingsMap.put(MetricsSettings.ENDPOINT, aws.endpoint().toString());
            MetricsSettings settings = MetricsSettings.from(settingsMap, Map.of());
            Result r = new Result("api");
            r.heapBefore = usedAfterGc();
            MetricsRules rules = MetricsRules.load(settings.rulesFile());
            Built b = new Built();
            b.sink = new CloudWatchApiSink(CloudWatchApiSink.client(settings.region(), settings.endpoint()),
                    settings.namespace(), settings.dimensionPlan());
            b.exporter = new MetricsExporter(sampler(rules, settings), shaper(settings, worker), b.sink,
                    Duration.ofDays(1), Clock.systemUTC());
            b.exporter.start();
            long[] calls = new long[2];
            r.output = () -> {
                List<CloudWatchCall> made = aws.putMetricDataCalls();
                long datums = 0;
                long body = 0;
                long decoded = 0;
                for (CloudWatchCall c : made) {
                    datums += c.datums();
                    body += c.bodyBytes();
                    decoded += Math.max(0, c.decodedBytes());
                }
                long[] now = b.sink.calls();
                long[] o = {now[0] - calls[0], datums, body, decoded, now[1] - calls[1]};
                calls[0] = now[0];
                calls[1] = now[1];
                return o;
            };
            // LocalAws keeps every call and datum: forget them after each cycle, outside the measurement
            Runnable forget = () -> {
                aws.clearMetricData();
                aws.clearRequests();
            };
            measure(r, worker, b.exporter, forget);
            r.exporterPoints = b.exporter.getLastDataPoints();
            r.pending = b.sink.pending();
            r.samples = sampler(rules, settings).sample().size();
            if (phases != null) {
                LOG.println("bench: phases (api: toMetricData)");
                phases.apiConversion = Phases.apiConversion(worker, rules, settings, b.sink);
            }
            forget.run();
            retained(r, b, forget);
            results.add(r);
            aws.close();
        }

        md.setup(worker, scope, heapEmpty, heapWorker, rulesFile);
        md.results(results);
        if (phases != null) md.phases(phases, results);
        if (ruleStats != null) md.rules(ruleStats);
        if (variant != null) md.variant(variant);
        if (profile != null) md.profile(profile);
        if (lineCheck != null) md.lineCheck(lineCheck);
        Files.writeString(out, md.toString());
        worker.close();
        BENCH.shutdownNow();
        LOG.println("bench: done");
        System.exit(0); // the producer template's leftover threads, LocalAws' pool
    }

    /** The exporter's reading at the settings' detail level, as MetricsExtension builds it. */
    static JmxSampler sampler(MetricsRules rules, MetricsSettings settings) {
        return new JmxSampler(rules, settings.dimensionPlan());
    }

    /** The exporter's shaper at the settings' detail level, as MetricsExtension builds it. */
    static CloudWatchShaper shaper(MetricsSettings settings, Worker worker) {
        return new CloudWatchShaper(settings.cluster(), worker.prefixes, settings.dimensionPlan()::publishes);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Measurement

    /** CPU, allocation and wall time of one piece of work on the calling thread. */
    record Cost(long cpu, long alloc, long wall) {
        static Cost of(Runnable work) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            long w0 = System.nanoTime();
            work.run();
            long w1 = System.nanoTime();
            long a1 = THREADS.getCurrentThreadAllocatedBytes();
            long c1 = THREADS.getCurrentThreadCpuTime();
            return new Cost(c1 - c0, a1 - a0, w1 - w0);
        }
    }

    static <T> T onBench(Callable<T> work) {
        try {
            return BENCH.submit(work).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Result {
        final String sink;
        Cost cold;
        long[] coldOutput;
        Cost[] cycles;
        long[][] outputs;
        long heapBefore;
        long heapAfter;
        long heapDropped;
        Histogram histogram;
        long gcCount;
        long gcMillis;
        long processCpu;
        long mainCpu;
        int exporterPoints;
        int samples;
        int pending;
        Supplier<long[]> output;

        Result(String sink) {
            this.sink = sink;
        }
    }

    static void measure(Result r, Worker worker, MetricsExporter exporter, Runnable afterCycle) {
        LOG.printf("bench: %s: cold cycle, %d warm-up, %d measured%n", r.sink, WARMUP, CYCLES);
        worker.traffic();
        r.output.get();
        r.cold = onBench(() -> Cost.of(exporter::runOnce));
        r.coldOutput = r.output.get();
        afterCycle.run();
        for (int i = 0; i < WARMUP; i++) {
            worker.traffic();
            onBench(() -> Cost.of(exporter::runOnce));
            r.output.get();
            afterCycle.run();
        }
        r.cycles = new Cost[CYCLES];
        r.outputs = new long[CYCLES][];
        long[] gc0 = gc();
        long process0 = processCpu();
        long main0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < CYCLES; i++) {
            worker.traffic();
            r.cycles[i] = onBench(() -> Cost.of(exporter::runOnce));
            r.outputs[i] = r.output.get();
            afterCycle.run();
        }
        r.mainCpu = THREADS.getCurrentThreadCpuTime() - main0;
        r.processCpu = processCpu() - process0;
        long[] gc1 = gc();
        r.gcCount = gc1[0] - gc0[0];
        r.gcMillis = gc1[1] - gc0[1];
        if (exporter.getFailedCycles() > 0) {
            throw new IllegalStateException(r.sink + ": " + exporter.getFailedCycles() + " failed cycles");
        }
    }

    /** The exporter and what only it references; cleared to measure the heap without it. */
    static final class Built {
        MetricsExporter exporter;
        CloudWatchApiSink sink;
    }

    /**
     * Heap with the warmed exporter and after closing and dropping it, at the same moment of the workload (no traffic
     * in between), so neither the workload's own growth nor one-off class data count; plus the growth since before
     * building it, which includes both.
     */
    static void retained(Result r, Built b, Runnable afterClose) {
        Histogram with = Histogram.take(); // first, so that it is in both heap readings
        r.heapAfter = usedAfterGc();
        b.exporter.close(); // runs one last cycle
        afterClose.run();
        b.exporter = null;
        b.sink = null;
        r.output = null;
        r.heapDropped = usedAfterGc();
        r.histogram = with.minus(Histogram.take());
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Heap in use after full collections: the lowest of five readings. */
    static long usedAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** The live objects by class, from the JVM's own GC.class_histogram (which runs a full collection first). */
    record Histogram(Map<String, long[]> byClass, long total) {
        static Histogram take() {
            try {
                String text = (String) SERVER.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
                Map<String, long[]> m = new HashMap<>();
                long total = 0;
                for (String line : text.split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4 && f[0].endsWith(":")) {
                        m.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                    } else if (f.length >= 3 && f[0].equals("Total")) {
                        total = Long.parseLong(f[2]);
                    }
                }
                return new Histogram(m, total);
            } catch (Exception e) {
                LOG.println("bench: no class histogram: " + e);
                return new Histogram(Map.of(), 0);
            }
        }

        Histogram minus(Histogram before) {
            Map<String, long[]> d = new HashMap<>();
            byClass.forEach((k, v) -> {
                long[] b = before.byClass.getOrDefault(k, new long[2]);
                if (v[1] != b[1]) d.put(k, new long[] {v[0] - b[0], v[1] - b[1]});
            });
            before.byClass.forEach((k, b) -> {
                if (!byClass.containsKey(k)) d.put(k, new long[] {-b[0], -b[1]});
            });
            return new Histogram(d, total - before.total);
        }
    }

    /** Discards what is written, counting writes (EmfSink writes each line at once) and bytes. */
    static final class Counting extends OutputStream {
        long writes;
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes += len;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The worker's MBeans

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
        final HealthMetrics health = new HealthMetrics();
        final Map<String, Map<String, String>> connectorConfigs = new LinkedHashMap<>();
        final TopicPrefixes prefixes;
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
            Method registerAll = HealthMetrics.class.getDeclaredMethod("registerAll");
            registerAll.setAccessible(true);
            registerAll.invoke(health);
            Method restarted = HealthMetrics.class.getDeclaredMethod("restarted", String.class);
            restarted.setAccessible(true);
            for (int c = 0; c < Math.min(RESTARTED, CONNECTORS); c++) restarted.invoke(health, connectorName(c * 7 % CONNECTORS));
            prefixes = new TopicPrefixes(() -> connectorConfigs, System::currentTimeMillis);
            for (String domain : SERVER.getDomains()) {
                mbeansByKind.put(domain, SERVER.queryNames(new ObjectName(domain + ":*"), null).size());
            }
            traffic();
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
            Method unregisterAll = HealthMetrics.class.getDeclaredMethod("unregisterAll");
            unregisterAll.setAccessible(true);
            unregisterAll.invoke(health);
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

    /** The MBeans includeObjectNames selects, as jmx_exporter queries them. */
    static final class Scope {
        final List<ObjectName> include = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Scope(String rulesText) throws Exception {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(rulesText);
            for (Object n : (List<Object>) yaml.get("includeObjectNames")) include.add(new ObjectName(n.toString()));
        }

        Set<ObjectName> matched() {
            Set<ObjectName> names = new HashSet<>();
            for (ObjectName p : include) {
                for (ObjectInstance i : SERVER.queryMBeans(p, null)) names.add(i.getObjectName());
            }
            return names;
        }

        int attributes() throws Exception {
            int n = 0;
            for (ObjectName o : matched()) n += SERVER.getMBeanInfo(o).getAttributes().length;
            return n;
        }

        /** What JmxScraper reads per cycle: every readable attribute of every matched MBean. */
        int read() {
            int values = 0;
            for (ObjectName o : matched()) {
                try {
                    MBeanAttributeInfo[] infos = SERVER.getMBeanInfo(o).getAttributes();
                    List<String> readable = new ArrayList<>();
                    for (MBeanAttributeInfo i : infos) if (i.isReadable()) readable.add(i.getName());
                    AttributeList list = SERVER.getAttributes(o, readable.toArray(String[]::new));
                    values += list.size();
                } catch (Exception e) {
                    // as the scraper: skip
                }
            }
            return values;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Phases, rules, variant, profile

    static final class Phases {
        static final List<String> NAMES = List.of("query", "read", "collect", "sample", "shape", "format", "write");
        final Map<String, Cost[]> costs = new LinkedHashMap<>();
        Cost[] apiConversion;
        int apiDatums;
        LineCheck lineCheck;

        /**
         * Per cycle on the bench thread, with instances of their own (the shaper keeps state): the scraper's MBean
         * query; reading every attribute of the matched MBeans (getMBeanInfo + getAttributes, as JmxScraper does);
         * a bare JmxCollector.collect() (query + read + rule matching + snapshots); JmxSampler.sample() (collect +
         * conversion to Samples); CloudWatchShaper.shape(); EmfFormatter.format(); the lines' bytes to a stream.
         */
        static Phases run(Worker worker, MetricsRules rules, MetricsSettings settings, Scope scope) {
            Phases p = new Phases();
            JmxCollector collector = rules.newCollector();
            JmxSampler sampler = sampler(rules, settings);
            CloudWatchShaper shaper = shaper(settings, worker);
            EmfFormatter formatter = new EmfFormatter(settings.namespace(), settings.dimensionPlan(), MetricsExtension.properties(java.util.Map.of()));
            PrintStream stream = new PrintStream(new Counting(), false, StandardCharsets.UTF_8);
            for (String n : NAMES) p.costs.put(n, new Cost[DETAIL_CYCLES]);
            for (int i = -WARMUP; i < DETAIL_CYCLES; i++) {
                worker.traffic();
                int cycle = i;
                Map<String, Cost> c = onBench(() -> {
                    Map<String, Cost> m = new LinkedHashMap<>();
                    m.put("query", Cost.of(scope::matched));
                    m.put("read", Cost.of(scope::read));
                    m.put("collect", Cost.of(collector::collect));
                    List<Sample>[] samples = new List[1];
                    m.put("sample", Cost.of(() -> samples[0] = sampler.sample()));
                    List<Datum>[] data = new List[1];
                    m.put("shape", Cost.of(() -> data[0] = shaper.shape(samples[0])));
                    List<String>[] lines = new List[1];
                    long ts = System.currentTimeMillis();
                    m.put("format", Cost.of(() -> lines[0] = formatter.format(data[0], ts)));
                    m.put("write", Cost.of(() -> {
                        for (String line : lines[0]) {
                            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                            stream.write(bytes, 0, bytes.length);
                        }
                        stream.flush();
                    }));
                    if (cycle == DETAIL_CYCLES - 1) p.lineCheck = LineCheck.of(lines[0]);
                    return m;
                });
                if (i >= 0) c.forEach((k, v) -> p.costs.get(k)[cycle] = v);
            }
            return p;
        }

        /** CloudWatchApiSink.toMetricData alone: the api sink's own conversion, before the SDK. */
        static Cost[] apiConversion(Worker worker, MetricsRules rules, MetricsSettings settings, CloudWatchApiSink sink) {
            CloudWatchShaper shaper = shaper(settings, worker);
            shaper.shape(sampler(rules, settings).sample());
            worker.traffic();
            List<Datum> data = shaper.shape(sampler(rules, settings).sample()); // one interval's points; the cost does not depend on the values
            Cost[] out = new Cost[DETAIL_CYCLES];
            for (int i = -WARMUP; i < DETAIL_CYCLES; i++) {
                long ts = System.currentTimeMillis();
                Cost c = onBench(() -> Cost.of(() -> sink.toMetricData(data, ts)));
                if (i >= 0) out[i] = c;
            }
            return out;
        }
    }

    record LineCheck(int lines, int maxBytes, int maxMetrics, int problems, String firstProblem, EmfMetricCount custom) {
        static LineCheck of(List<String> lines) {
            EmfMetricCount custom = new EmfMetricCount();
            lines.forEach(custom::add);
            int maxBytes = 0;
            int maxMetrics = 0;
            int problems = 0;
            String first = null;
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : lines) {
                maxBytes = Math.max(maxBytes, line.getBytes(StandardCharsets.UTF_8).length + 1);
                try {
                    int metrics = json.readTree(line).get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").size();
                    maxMetrics = Math.max(maxMetrics, metrics);
                } catch (Exception e) {
                    problems++;
                }
                List<String> p = EmfValidator.problems(line);
                if (!p.isEmpty()) {
                    problems++;
                    if (first == null) first = p.get(0);
                }
            }
            return new LineCheck(lines.size(), maxBytes, maxMetrics, problems, first, custom);
        }
    }

    /**
     * How the rule loop goes for each attribute value the scraper hands over (top-level scalars; TabularData rows as
     * the scraper flattens them): the rules tried before the first match, or all of them.
     */
    record RuleStats(int rules, int values, int matched, int unmatched, long attempts, Map<String, int[]> byDomain) {
        @SuppressWarnings("unchecked")
        static RuleStats of(String rulesText, Scope scope) throws Exception {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(rulesText);
            List<Pattern> patterns = new ArrayList<>();
            for (Object r : (List<Object>) yaml.get("rules")) {
                // as JmxCollector compiles them: unanchored, so a value that matches no rule is searched at every offset
                patterns.add(Pattern.compile("^.*(?:" + ((Map<String, Object>) r).get("pattern") + ").*$"));
            }
            int values = 0;
            int matched = 0;
            long attempts = 0;
            Map<String, int[]> byDomain = new TreeMap<>();
            for (ObjectName o : scope.matched()) {
                MBeanAttributeInfo[] infos = SERVER.getMBeanInfo(o).getAttributes();
                List<String> readable = new ArrayList<>();
                for (MBeanAttributeInfo i : infos) if (i.isReadable()) readable.add(i.getName());
                AttributeList list = SERVER.getAttributes(o, readable.toArray(String[]::new));
                LinkedHashMap<String, String> props = new LinkedHashMap<>();
                for (String kv : o.getKeyPropertyListString().split(",")) {
                    int eq = kv.indexOf('=');
                    props.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                String kind = o.getDomain() + ":" + o.getKeyProperty("type");
                for (Attribute a : list.asList()) {
                    List<Object[]> leaves = new ArrayList<>();
                    leaves(props, a.getName(), a.getValue(), leaves);
                    for (Object[] leaf : leaves) {
                        values++;
                        String matchName = o.getDomain() + "<" + leaf[0].toString().replaceAll("^\\{|\\}$", "") + "><>"
                                + leaf[1] + ": " + leaf[2];
                        int tried = 0;
                        boolean hit = false;
                        for (Pattern p : patterns) {
                            tried++;
                            if (p.matcher(matchName).matches()) {
                                hit = true;
                                break;
                            }
                        }
                        attempts += tried;
                        int[] d = byDomain.computeIfAbsent(kind, k -> new int[3]);
                        d[0]++;
                        if (hit) {
                            matched++;
                            d[1]++;
                        }
                        d[2] += tried;
                    }
                }
            }
            return new RuleStats(patterns.size(), values, matched, values - matched, attempts, byDomain);
        }

        private static void leaves(LinkedHashMap<String, String> props, String name, Object value, List<Object[]> out) {
            if (value instanceof Number || value instanceof String || value instanceof Boolean) {
                out.add(new Object[] {props, name, value});
            } else if (value instanceof TabularData td) {
                List<String> index = td.getTabularType().getIndexNames();
                for (Object row : td.values()) {
                    CompositeData cd = (CompositeData) row;
                    LinkedHashMap<String, String> p = new LinkedHashMap<>(props);
                    for (String i : index) p.put(i, String.valueOf(cd.get(i)));
                    for (String k : cd.getCompositeType().keySet()) {
                        if (!index.contains(k)) leaves(p, k.equalsIgnoreCase("value") ? name : k, cd.get(k), out);
                    }
                }
            } else if (value instanceof CompositeData cd) {
                for (String k : cd.getCompositeType().keySet()) leaves(props, k, cd.get(k), out);
            }
        }
    }

    /**
     * {@code JmxSampler.sample()} with the shipped rules and with what-if copies of them, alternately on the bench
     * thread, each checked to give the same series (metric name + labels) as the shipped rules:
     * <ul>
     * <li>{@code cache: true} on every rule whose pattern does not look at the value (ends in ": ");</li>
     * <li>a first rule that drops the producer-metrics attributes no rule exports ({@code name: ""} makes
     * jmx_exporter skip the attribute), so those values stop at rule 1 instead of trying all rules;</li>
     * <li>the rules partitioned by the MBeans they can match: one collector per includeObjectNames group, holding
     * only the rules whose pattern's literal head (domain, type) fits that group (what MetricsRules/JmxSampler
     * could do with the one file).</li>
     * </ul>
     */
    @SuppressWarnings("unchecked")
    static Map<String, Cost[]> whatIf(Worker worker, String rulesText, MetricsRules shipped) {
        Yaml yamlIo = new Yaml(new SafeConstructor(new LoaderOptions()));
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(1000);
        Yaml dumper = new Yaml(o);

        Map<String, Object> cachedYaml = yamlIo.load(rulesText);
        List<Object> rules = (List<Object>) cachedYaml.get("rules");
        int cached = 0;
        for (Object r : rules) {
            Map<String, Object> rule = (Map<String, Object>) r;
            if (String.valueOf(rule.get("pattern")).endsWith(": ")) {
                rule.put("cache", true);
                cached++;
            }
        }
        Map<String, Object> dropYaml = yamlIo.load(rulesText);
        Map<String, Object> drop = new LinkedHashMap<>();
        drop.put("pattern", "kafka\\.producer<type=producer-metrics, [^>]*><>(?!(?:record-(?:send|error|retry)-total|request-latency-(?:avg|max)): )");
        drop.put("name", "");
        ((List<Object>) dropYaml.get("rules")).add(0, drop);

        Map<String, List<JmxSampler>> variants = new LinkedHashMap<>();
        variants.put("shipped rules", List.of(new JmxSampler(shipped)));
        variants.put("`cache: true` on " + cached + " of " + rules.size() + " rules (those not looking at the value)",
                List.of(new JmxSampler(MetricsRules.parse(Path.of("cached.yml"), dumper.dump(cachedYaml)))));
        variants.put("a first rule dropping the producer-metrics attributes no rule exports (`name: \"\"`)",
                List.of(new JmxSampler(MetricsRules.parse(Path.of("drop.yml"), dumper.dump(dropYaml)))));
        List<JmxSampler> parts = new ArrayList<>();
        List<String> partNotes = new ArrayList<>();
        for (Map<String, Object> part : partition(yamlIo.load(rulesText))) {
            parts.add(new JmxSampler(MetricsRules.parse(Path.of("part.yml"), dumper.dump(part))));
            partNotes.add(((List<Object>) part.get("includeObjectNames")).size() + "/" + ((List<Object>) part.get("rules")).size());
        }
        variants.put("rules partitioned by MBean type: " + parts.size() + " collectors, each with its "
                + "includeObjectNames and only the rules that can match them", parts);
        PARTITION_NOTE = String.join(", ", partNotes);

        Map<String, Cost[]> out = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (String v : variants.keySet()) {
            out.put(v, new Cost[DETAIL_CYCLES]);
            keys.put(v, new HashSet<>());
        }
        for (int i = -WARMUP; i < DETAIL_CYCLES; i++) {
            worker.traffic();
            int cycle = i;
            Map<String, Cost> c = onBench(() -> {
                Map<String, Cost> m = new LinkedHashMap<>();
                variants.forEach((v, samplers) -> {
                    List<Sample> all = new ArrayList<>();
                    m.put(v, Cost.of(() -> {
                        for (JmxSampler s : samplers) all.addAll(s.sample());
                    }));
                    if (cycle == DETAIL_CYCLES - 1) for (Sample x : all) keys.get(v).add(x.name() + new TreeMap<>(x.labels()));
                });
                return m;
            });
            if (i >= 0) c.forEach((v, cost) -> out.get(v)[cycle] = cost);
        }
        Set<String> reference = keys.get("shipped rules");
        StringBuilder note = new StringBuilder();
        keys.forEach((v, k) -> {
            SERIES.put(v, k.size() + (k.equals(reference) ? "" : " (DIFFERENT from the shipped rules' series)"));
        });
        return out;
    }

    static final Map<String, String> SERIES = new LinkedHashMap<>();
    static String PARTITION_NOTE = "";

    /**
     * The rules file split by includeObjectNames entry: each entry gets the rules whose pattern's literal head
     * (the regex up to its first metacharacter, unescaped) is compatible with the entry's domain and type; entries
     * that end up with the same rules share one collector.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> partition(Map<String, Object> yaml) {
        List<Object> includes = (List<Object>) yaml.get("includeObjectNames");
        List<Object> rules = (List<Object>) yaml.get("rules");
        Map<List<Integer>, List<Object>> byRules = new LinkedHashMap<>();
        for (Object include : includes) {
            String name = include.toString();
            String domain = name.substring(0, name.indexOf(':'));
            String head = domain.contains("*") || domain.contains("?") ? domain.substring(0, domain.replaceAll("[*?].*", "").length())
                    : domain + "<" + name.substring(name.indexOf(':') + 1).split(",")[0];
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                String literal = literalHead(String.valueOf(((Map<String, Object>) rules.get(i)).get("pattern")));
                if (literal.startsWith(head) || head.startsWith(literal)) chosen.add(i);
            }
            byRules.computeIfAbsent(chosen, k -> new ArrayList<>()).add(include);
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        byRules.forEach((chosen, names) -> {
            Map<String, Object> part = new LinkedHashMap<>(yaml);
            part.put("includeObjectNames", names);
            List<Object> subset = new ArrayList<>();
            for (int i : chosen) subset.add(rules.get(i));
            part.put("rules", subset);
            if (!subset.isEmpty()) parts.add(part);
        });
        return parts;
    }

    /** The literal text a regex starts with: up to the first metacharacter; a quantified character is dropped. */
    static String literalHead(String regex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
                b.append(regex.charAt(++i));
            } else if ("?*+{".indexOf(c) >= 0) {
                if (b.length() > 0) b.setLength(b.length() - 1);
                break;
            } else if ("()[].|^$\\".indexOf(c) >= 0) {
                break;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }


    /** Where the exporter thread's CPU goes: JFR execution samples of runOnce() on the bench thread. */
    static final class Profile {
        static final String[][] CATEGORIES = {
                {"java.util.regex.", "regex matching of the rules (java.util.regex)"},
                {"io.prometheus.jmx.JmxCollector$Receiver", "jmx_exporter rule loop (matchName/help strings, labels)"},
                {"io.prometheus.jmx.MatchedRule", "jmx_exporter rule loop (matchName/help strings, labels)"},
                {"io.prometheus.jmx.MatchedRuleToMetricSnapshotsConverter", "jmx_exporter snapshots (MatchedRule -> MetricSnapshots)"},
                {"io.prometheus.metrics.", "jmx_exporter snapshots (MatchedRule -> MetricSnapshots)"},
                {"io.prometheus.jmx.JmxMBeanPropertyCache", "jmx_exporter scraper (values, TabularData walk)"},
                {"io.prometheus.jmx.JmxScraper", "jmx_exporter scraper (values, TabularData walk)"},
                {"com.sun.jmx.mbeanserver.Repository", "MBean server query (includeObjectNames)"},
                {"javax.management.ObjectName", "MBean server query (includeObjectNames)"},
                {"com.sun.jmx.mbeanserver.DefaultMXBeanMappingFactory", "Debezium MXBeans (open-type conversion, proxies)"},
                {"com.sun.jmx.mbeanserver.MXBean", "Debezium MXBeans (open-type conversion, proxies)"},
                {"javax.management.openmbean.", "Debezium MXBeans (open-type conversion, proxies)"},
                {"io.connectaws.metrics.ExporterBench$Debezium", "Debezium MXBeans (open-type conversion, proxies)"},
                {"jdk.proxy", "Debezium MXBeans (open-type conversion, proxies)"},
                {"org.apache.kafka.common.metrics.JmxReporter$KafkaMbean.getMBeanInfo", "Kafka MBeans: getMBeanInfo (rebuilt per call)"},
                {"org.apache.kafka.", "Kafka MBeans: attribute values (stats, locks)"},
                {"com.sun.jmx.", "MBean server (getMBeanInfo/getAttributes dispatch)"},
                {"javax.management.", "MBean server (getMBeanInfo/getAttributes dispatch)"},
                {"io.connectaws.metrics.JmxSampler", "JmxSampler (Samples, label maps)"},
                {"io.connectaws.metrics.Sample", "JmxSampler (Samples, label maps)"},
                {"io.connectaws.metrics.CloudWatchShaper", "CloudWatchShaper"},
                {"io.connectaws.metrics.TopicPrefixes", "CloudWatchShaper"},
                {"io.connectaws.metrics.Datum", "CloudWatchShaper"},
                {"io.connectaws.metrics.EmfFormatter", "EmfFormatter + EmfSink (JSON)"},
                {"io.connectaws.metrics.DimensionPlan", "EmfFormatter + EmfSink (JSON)"},
                {"io.connectaws.metrics.EmfSink", "EmfFormatter + EmfSink (JSON)"},
                {"com.fasterxml.jackson.", "EmfFormatter + EmfSink (JSON)"},
        };
        final Map<String, Integer> categories = new LinkedHashMap<>();
        final Map<String, Integer> leaves = new HashMap<>();
        final Map<String, Integer> owners = new HashMap<>();
        int samples;
        int cycles;

        static Profile run(Worker worker, MetricsExporter exporter) throws Exception {
            Profile p = new Profile();
            Path file = Files.createTempFile("exporter-bench", ".jfr");
            try (Recording r = new Recording()) {
                r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
                r.start();
                for (int i = 0; i < PROFILE_CYCLES; i++) {
                    worker.traffic();
                    onBench(() -> Cost.of(exporter::runOnce));
                }
                r.stop();
                r.dump(file);
            }
            p.cycles = PROFILE_CYCLES;
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
                if (e.getThread("sampledThread") == null || !BENCH_THREAD.equals(e.getThread("sampledThread").getJavaName())) continue;
                if (e.getStackTrace() == null) continue;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) continue;
                p.samples++;
                p.leaves.merge(name(frames.get(0)), 1, Integer::sum);
                String category = "other (JDK collections, strings, GC barriers...)";
                String owner = null;
                outer:
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    for (String[] c : CATEGORIES) {
                        if (n.startsWith(c[0])) {
                            category = c[1];
                            owner = n;
                            break outer;
                        }
                    }
                }
                p.categories.merge(category, 1, Integer::sum);
                if (owner != null) p.owners.merge(owner, 1, Integer::sum);
            }
            Files.deleteIfExists(file);
            return p;
        }

        static String name(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Markdown

    static final class Md {
        private final StringBuilder b = new StringBuilder();

        Md line(String s) {
            b.append(s).append('\n');
            return this;
        }

        @Override
        public String toString() {
            return b.toString();
        }

        void setup(Worker w, Scope scope, long heapEmpty, long heapWorker, Path rules) throws Exception {
            Set<ObjectName> matched = scope.matched();
            Map<String, Integer> byType = new TreeMap<>();
            for (ObjectName o : matched) byType.merge(o.getDomain() + ":type=" + o.getKeyProperty("type"), 1, Integer::sum);
            line("## Workload");
            line("");
            line(String.format(Locale.ROOT, "%d Debezium Postgres source connectors (`cdc-postgres-NN`, topic prefix `pgsrvNN`), %d tasks each, "
                    + "%d tables each, %d brokers; %d connectors failed and %d paused (their states are exported as 0/1 gauges); "
                    + "self-healing restart counters for %d connectors; Debezium advanced (per-table streaming) metrics %s.",
                    CONNECTORS, TASKS, TABLES, NODES, countStatus("failed"), countStatus("paused"),
                    Math.min(RESTARTED, CONNECTORS), ADVANCED ? "on" : "off (the default)"));
            line("");
            line("| MBeans | count |");
            line("|---|---:|");
            line("| registered in the platform MBean server (all domains) | " + SERVER.getMBeanCount() + " |");
            w.mbeansByKind.forEach((d, n) -> line("| &nbsp;&nbsp;domain `" + d + "` | " + n + " |"));
            line("| **matched by `includeObjectNames`** (read every cycle) | **" + matched.size() + "** |");
            byType.forEach((t, n) -> line("| &nbsp;&nbsp;`" + t + "` | " + n + " |"));
            line("| attributes of the matched MBeans (read every cycle) | " + scope.attributes() + " |");
            line("");
            line(String.format(Locale.ROOT, "Heap of the workload's MBeans and metrics (used after full GC): %.1f MB.",
                    (heapWorker - heapEmpty) / 1e6));
            line("");
        }

        private static int countStatus(String s) {
            int n = 0;
            for (int c = 0; c < CONNECTORS; c++) if (Worker.status(Worker.connectorName(c)).equals(s)) n++;
            return n;
        }

        void results(List<Result> results) {
            line("## Per cycle");
            line("");
            line("`runOnce()` on one dedicated thread, back to back, after " + WARMUP + " warm-up cycles; " + CYCLES
                    + " measured cycles. CPU and allocation are that thread's (`ThreadMXBean`): GC, JIT and, for api, "
                    + "LocalAws' server threads are not in them. % of one core = mean CPU per cycle / interval.");
            line("");
            StringBuilder head = new StringBuilder("| | ");
            StringBuilder sep = new StringBuilder("|---|");
            for (Result r : results) {
                head.append("**").append(r.sink).append("** | ");
                sep.append("---:|");
            }
            line(head.toString().trim());
            line(sep.toString());
            row(results, "samples (values the rules turned into metrics)", r -> String.valueOf(r.samples));
            row(results, "data points (after shaping)", r -> String.valueOf(r.exporterPoints));
            row(results, "EMF lines / PutMetricData calls per cycle", r -> r.sink.equals("emf")
                    ? fmt(median(r.outputs, 0)) + " lines" : fmt(median(r.outputs, 0)) + " calls");
            row(results, "bytes per cycle", r -> r.sink.equals("emf")
                    ? fmt(median(r.outputs, 1) / 1024.0) + " KiB of EMF"
                    : fmt(median(r.outputs, 2) / 1024.0) + " KiB gzip (" + fmt(median(r.outputs, 3) / 1024.0) + " KiB CBOR)");
            row(results, "CloudWatch datums per cycle (with rollup sets)", r -> r.sink.equals("api")
                    ? fmt(median(r.outputs, 1)) : "(in the lines)");
            row(results, "**CPU ms per cycle**: median / p90 / max", r -> ms(r.cycles, Cost::cpu));
            row(results, "CPU ms per cycle: mean", r -> fmt(mean(r.cycles, Cost::cpu) / 1e6));
            row(results, "wall ms per cycle: median / p90 / max", r -> ms(r.cycles, Cost::wall));
            row(results, "**% of one core at 60 s**", r -> pct(mean(r.cycles, Cost::cpu), 60));
            row(results, "**% of one core at 10 s**", r -> pct(mean(r.cycles, Cost::cpu), 10));
            row(results, "allocated MB per cycle: median / max", r -> fmt(pctl(r.cycles, Cost::alloc, 0.5) / 1e6) + " / "
                    + fmt(pctl(r.cycles, Cost::alloc, 1.0) / 1e6));
            row(results, "allocated MB per hour at 60 s / 10 s", r -> fmt(mean(r.cycles, Cost::alloc) * 60 / 1e6) + " / "
                    + fmt(mean(r.cycles, Cost::alloc) * 360 / 1e6));
            row(results, "young GCs during the measured cycles, their total pause ms", r -> r.gcCount + ", " + r.gcMillis);
            row(results, "CPU ms per cycle of the JVM's other threads (GC, JIT; for api also LocalAws' server)", r -> fmt(
                    (r.processCpu - r.mainCpu - Arrays.stream(r.cycles).mapToLong(Cost::cpu).sum()) / (double) CYCLES / 1e6));
            row(results, "**retained heap**: used after full GC with the warmed exporter - after closing and dropping it",
                    r -> fmt((r.heapAfter - r.heapDropped) / 1e6) + " MB");
            row(results, "heap growth from before building the exporter to after its run (adds class statics, "
                    + "the workload's own growth)", r -> fmt((r.heapAfter - r.heapBefore) / 1e6) + " MB");
            row(results, "**cold first cycle**: CPU ms / wall ms / allocated MB", r -> fmt(r.cold.cpu() / 1e6) + " / "
                    + fmt(r.cold.wall() / 1e6) + " / " + fmt(r.cold.alloc() / 1e6));
            line("");
            line("The cold cycle is the exporter's first, right after it is built: for emf in a JVM that has run no "
                    + "exporter code yet (the MBeans are registered, so JMX itself is loaded); for api after the emf run "
                    + "(JIT warm), so it shows the SDK's first call (credentials from the container endpoint, connection).");
            line("");
            for (Result r : results) {
                List<Map.Entry<String, long[]>> top = new ArrayList<>(r.histogram.byClass().entrySet());
                top.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
                StringBuilder s = new StringBuilder("What the exporter retains (" + r.sink + "), by class: `GC.class_histogram` "
                        + "with it - without it, largest first (the second is taken while the first's own map is alive, so "
                        + "`String`, `HashMap$Node`, `[B` and `[J` come out ~0.2 MB low): ");
                for (int i = 0; i < Math.min(8, top.size()); i++) {
                    s.append(i == 0 ? "" : ", ").append('`').append(top.get(i).getKey()).append("` ")
                            .append(fmt(top.get(i).getValue()[1] / 1e3)).append(" kB");
                }
                line(s.append('.').toString());
                line("");
            }
        }

        void phases(Phases p, List<Result> results) {
            line("## Where the time goes: phases");
            line("");
            line("The same work split up, per cycle on the bench thread (" + DETAIL_CYCLES + " cycles after " + WARMUP
                    + " warm-up), each phase with instances of its own (`query` and `read` redo what jmx_exporter's scraper "
                    + "does first, to show the JMX share of `collect`).");
            line("");
            line("| phase | CPU ms median | CPU ms mean | allocated MB median |");
            line("|---|---:|---:|---:|");
            Map<String, String> label = Map.of(
                    "query", "`queryMBeans` for the " + "includeObjectNames patterns",
                    "read", "read: `getMBeanInfo` + `getAttributes` of every matched MBean",
                    "collect", "one `JmxCollector.collect()` with every rule (query + read + rule matching + snapshots), for comparison",
                    "sample", "`JmxSampler.sample()` (collect + conversion to `Sample`s)",
                    "shape", "`CloudWatchShaper.shape()`",
                    "format", "`EmfFormatter.format()`",
                    "write", "EmfSink's write: line + \"\\n\" to bytes, to the stream");
            for (String n : Phases.NAMES) {
                Cost[] c = p.costs.get(n);
                line("| " + label.get(n) + " | " + fmt(pctl(c, Cost::cpu, 0.5) / 1e6) + " | " + fmt(mean(c, Cost::cpu) / 1e6)
                        + " | " + fmt(pctl(c, Cost::alloc, 0.5) / 1e6) + " |");
            }
            if (p.apiConversion != null) {
                line("| `CloudWatchApiSink.toMetricData()` (api sink, before the SDK) | " + fmt(pctl(p.apiConversion, Cost::cpu, 0.5) / 1e6)
                        + " | " + fmt(mean(p.apiConversion, Cost::cpu) / 1e6) + " | " + fmt(pctl(p.apiConversion, Cost::alloc, 0.5) / 1e6) + " |");
            }
            double collect = mean(p.costs.get("collect"), Cost::cpu);
            double jmx = mean(p.costs.get("query"), Cost::cpu) + mean(p.costs.get("read"), Cost::cpu);
            double sample = mean(p.costs.get("sample"), Cost::cpu);
            double total = sample + mean(p.costs.get("shape"), Cost::cpu) + mean(p.costs.get("format"), Cost::cpu)
                    + mean(p.costs.get("write"), Cost::cpu);
            line("");
            // JmxSampler reads with one collector per included MBean type (MetricsRules.newPartitionedCollectors)
            line(String.format(Locale.ROOT, "Of sample + shape + format + write (%.1f ms mean): JMX query and reads ~%.0f%%, "
                    + "JmxSampler's partitioned collectors' rule matching and snapshots (sample - query - read) ~%.0f%%, "
                    + "shaping %.0f%%, formatting and writing %.0f%%. One collector holding every rule would take %.0f ms "
                    + "for what sample() does.",
                    total / 1e6, 100 * jmx / total, 100 * (sample - jmx) / total,
                    100 * mean(p.costs.get("shape"), Cost::cpu) / total,
                    100 * (mean(p.costs.get("format"), Cost::cpu) + mean(p.costs.get("write"), Cost::cpu)) / total,
                    collect / 1e6));
            line("");
        }

        void rules(RuleStats s) {
            line("## The rule loop");
            line("");
            line(String.format(Locale.ROOT, "jmx_exporter tries the %d rules in order on each attribute value until one matches, "
                    + "building the match string (`domain<keys><>attribute: value`) anew for each rule. Per cycle: %d values "
                    + "handed to the rules, %d matched, %d matched no rule (each tried against all %d), %d pattern matches "
                    + "attempted in all (%.0f per value).", s.rules(), s.values(), s.matched(), s.unmatched(), s.rules(),
                    s.attempts(), (double) s.attempts() / Math.max(1, s.values())));
            line("");
            line("| MBean type | values | matched | rules tried |");
            line("|---|---:|---:|---:|");
            s.byDomain().forEach((k, v) -> line("| `" + k + "` | " + v[0] + " | " + v[1] + " | " + v[2] + " |"));
            line("");
        }

        void variant(Map<String, Cost[]> v) {
            line("## What if: the same series from fewer rule attempts");
            line("");
            line("`JmxSampler.sample()` per cycle with the shipped rules and with copies changed as below (generated by the "
                    + "bench, not shipped), one after the other on the bench thread, " + DETAIL_CYCLES + " cycles after "
                    + WARMUP + " warm-up. Each gives the same series (name + labels) as the shipped rules unless marked.");
            line("");
            line("| rules | series | CPU ms median | CPU ms mean | allocated MB median |");
            line("|---|---:|---:|---:|---:|");
            v.forEach((k, c) -> line("| " + k + " | " + SERIES.get(k) + " | " + fmt(pctl(c, Cost::cpu, 0.5) / 1e6) + " | "
                    + fmt(mean(c, Cost::cpu) / 1e6) + " | " + fmt(pctl(c, Cost::alloc, 0.5) / 1e6) + " |"));
            line("");
            line("Partitioned collectors (include entries / rules each): " + PARTITION_NOTE + ".");
            line("");
        }

        void profile(Profile p) {
            line("## Where the time goes: JFR execution samples of `runOnce()` (emf)");
            line("");
            line(p.samples + " samples (1 ms period) of the bench thread over " + p.cycles + " cycles; each sample counted "
                    + "once, under the innermost frame of a known component.");
            line("");
            line("| component | samples | share |");
            line("|---|---:|---:|");
            p.categories.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).forEach(e ->
                    line("| " + e.getKey() + " | " + e.getValue() + " | " + fmt(100.0 * e.getValue() / Math.max(1, p.samples)) + "% |"));
            line("");
            line("Innermost component frames (top 12):");
            line("");
            p.owners.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(12).forEach(e ->
                    line("- `" + e.getKey() + "` " + fmt(100.0 * e.getValue() / Math.max(1, p.samples)) + "%"));
            line("");
            line("Leaf frames (top 12):");
            line("");
            p.leaves.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(12).forEach(e ->
                    line("- `" + e.getKey() + "` " + fmt(100.0 * e.getValue() / Math.max(1, p.samples)) + "%"));
            line("");
        }

        void lineCheck(LineCheck c) {
            line("## EMF line check");
            line("");
            line(String.format(Locale.ROOT, "One cycle's output: %d lines, the longest %d bytes with its newline (awslogs splits "
                    + "at 16,384), at most %d metrics in a line (EMF allows 100); EmfValidator problems: %d%s.",
                    c.lines(), c.maxBytes(), c.maxMetrics(), c.problems(), c.firstProblem() == null ? "" : " (" + c.firstProblem() + ")"));
            line("");
            java.util.IntSummaryStatistics per = c.custom().perConnector().values().stream().mapToInt(Integer::intValue)
                    .summaryStatistics();
            line(String.format(Locale.ROOT, "CloudWatch custom metrics those lines create (distinct namespace x metric x "
                    + "dimension set, `EmfMetricCount`) at `cloudwatch.detail=%s`: **%d**, of them per connector %d to %d "
                    + "(%d connectors, %d tasks each) and %d at cluster level.", LEVEL, c.custom().total(), per.getMin(),
                    per.getMax(), per.getCount(), TASKS, c.custom().clusterLevel().size()));
            line("");
        }

        private void row(List<Result> results, String name, java.util.function.Function<Result, String> f) {
            StringBuilder s = new StringBuilder("| " + name + " | ");
            for (Result r : results) s.append(f.apply(r)).append(" | ");
            line(s.toString().trim());
        }
    }

    static double median(long[][] outputs, int i) {
        long[] v = new long[outputs.length];
        for (int k = 0; k < outputs.length; k++) v[k] = outputs[k][i];
        Arrays.sort(v);
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    static double mean(Cost[] c, java.util.function.ToLongFunction<Cost> f) {
        double s = 0;
        for (Cost x : c) s += f.applyAsLong(x);
        return s / c.length;
    }

    /** Nearest-rank percentile. */
    static double pctl(Cost[] c, java.util.function.ToLongFunction<Cost> f, double q) {
        long[] v = new long[c.length];
        for (int i = 0; i < c.length; i++) v[i] = f.applyAsLong(c[i]);
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static String ms(Cost[] c, java.util.function.ToLongFunction<Cost> f) {
        return fmt(pctl(c, f, 0.5) / 1e6) + " / " + fmt(pctl(c, f, 0.9) / 1e6) + " / " + fmt(pctl(c, f, 1.0) / 1e6);
    }

    static String pct(double cpuNanosPerCycle, int intervalSeconds) {
        return String.format(Locale.ROOT, "%.3f%%", 100 * cpuNanosPerCycle / (intervalSeconds * 1e9));
    }

    static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : Math.abs(v) >= 10
                ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

}
