package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.Measurement.*;
import static io.connectaws.bench.metrics.SyntheticWorker.*;
import static io.connectaws.bench.metrics.RuleAnalysis.*;
import static io.connectaws.bench.metrics.Report.*;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.management.MBeanServer;

import io.connectaws.it.aws.CloudWatchCall;
import io.connectaws.it.aws.LocalAws;
import io.connectaws.metrics.CloudWatchApiSink;
import io.connectaws.metrics.CloudWatchShaper;
import io.connectaws.metrics.EmfFormatter;
import io.connectaws.metrics.EmfSink;
import io.connectaws.metrics.JmxSampler;
import io.connectaws.metrics.MetricsExporter;
import io.connectaws.metrics.MetricsRules;
import io.connectaws.metrics.MetricsSettings;
import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * CPU and heap cost of the CloudWatch exporter over the MBeans of a worker running many Debezium source connectors.
 * Usage: {@code java ... io.connectaws.bench.metrics.ExporterBench RULES_FILE OUT_MARKDOWN}; sizes as -Dbench.* properties
 * (see run.sh). Progress goes to stderr; the measured tables to OUT_MARKDOWN. It drives the exporter through the
 * metrics module's public API only (as {@code MetricsExtension} wires it), over the MBeans the module's test-jar builds.
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

    static final ExecutorService BENCH = Executors.newSingleThreadExecutor(r -> {
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
                    new EmfSink(new EmfFormatter(settings.namespace(), settings.dimensionPlan(), Map.of()), stream),
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
            phases = Phases.run(worker, rules, rulesText, settings, scope);
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
        return new CloudWatchShaper(settings.cluster(), worker.connectorByPrefix::get, settings.dimensionPlan()::publishes);
    }

    /** A what-if rules file, loaded and checked as the worker loads its own ({@link MetricsRules#load}). */
    static MetricsRules rulesFile(String name, String yaml) {
        try {
            Path dir = Files.createTempDirectory("metrics-bench-rules");
            Path file = Files.writeString(dir.resolve(name), yaml);
            try {
                return MetricsRules.load(file);
            } finally {
                Files.delete(file);
                Files.delete(dir);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One jmx_exporter collector over the whole rules file, through the exporter library's own API. */
    static JmxCollector newCollector(String yaml) {
        try {
            return new JmxCollector(yaml).register(new PrometheusRegistry());
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
