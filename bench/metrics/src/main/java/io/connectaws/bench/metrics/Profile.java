package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.ExporterBench.*;
import static io.connectaws.bench.metrics.Measurement.*;
import static io.connectaws.bench.metrics.SyntheticWorker.*;
import static io.connectaws.bench.metrics.RuleAnalysis.*;
import static io.connectaws.bench.metrics.Report.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

import org.apache.kafka.common.metrics.JmxReporter;

import io.connectaws.metrics.CloudWatchShaper;
import io.connectaws.metrics.Datum;
import io.connectaws.metrics.EmfFormatter;
import io.connectaws.metrics.EmfSink;
import io.connectaws.metrics.JmxSampler;
import io.connectaws.metrics.MetricsExporter;
import io.connectaws.metrics.Sample;
import io.prometheus.jmx.JmxCollector;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** Where the exporter thread's CPU goes: JFR execution samples of runOnce() on the bench thread. */
final class Profile {
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
            {"io.connectaws.bench.metrics.SyntheticWorker$Debezium", "Debezium MXBeans (open-type conversion, proxies)"},
            {"jdk.proxy", "Debezium MXBeans (open-type conversion, proxies)"},
            {"org.apache.kafka.common.metrics.JmxReporter$KafkaMbean.getMBeanInfo", "Kafka MBeans: getMBeanInfo (rebuilt per call)"},
            {"org.apache.kafka.", "Kafka MBeans: attribute values (stats, locks)"},
            {"com.sun.jmx.", "MBean server (getMBeanInfo/getAttributes dispatch)"},
            {"javax.management.", "MBean server (getMBeanInfo/getAttributes dispatch)"},
            {"io.connectaws.metrics.JmxSampler", "JmxSampler (Samples, label maps)"},
            {"io.connectaws.metrics.Sample", "JmxSampler (Samples, label maps)"},
            {"io.connectaws.metrics.CloudWatchShaper", "CloudWatchShaper"},
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
