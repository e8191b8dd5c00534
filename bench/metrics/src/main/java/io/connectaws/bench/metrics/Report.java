package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.ExporterBench.*;
import static io.connectaws.bench.metrics.Measurement.*;
import static io.connectaws.bench.metrics.SyntheticWorker.*;
import static io.connectaws.bench.metrics.RuleAnalysis.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.management.ObjectName;

import io.connectaws.it.aws.LocalAws;
import io.connectaws.metrics.CloudWatchShaper;
import io.connectaws.metrics.EmfFormatter;
import io.connectaws.metrics.EmfMetricCount;
import io.connectaws.metrics.EmfSink;
import io.connectaws.metrics.EmfValidator;
import io.connectaws.metrics.JmxSampler;
import io.connectaws.metrics.Sample;
import io.prometheus.jmx.JmxCollector;

/** The results as Markdown tables (the generated part of bench/metrics/results.md). */
final class Report {
    private Report() {
    }

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
