package io.connectaws.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

/** Reads the platform MBean server through jmx_exporter's collector and the rules, as the Prometheus agent would. */
public final class JmxSampler {
    private final List<JmxCollector> collectors;

    /** Reads with one collector per {@code includeObjectNames} entry (see {@link MetricsRules#newPartitionedCollectors()}). */
    public JmxSampler(MetricsRules rules) {
        this(rules.newPartitionedCollectors());
    }

    /**
     * Reads only what can give a metric the plan publishes ({@link MetricsRules#newPartitionedCollectors(
     * java.util.function.BiPredicate)}): at the basic level, MBean types without a basic metric are not read at all.
     */
    public JmxSampler(MetricsRules rules, DimensionPlan plan) {
        this(rules.newPartitionedCollectors(plan::mayProduce));
    }

    JmxSampler(List<JmxCollector> collectors) {
        this.collectors = List.copyOf(collectors);
    }

    /** One scrape; names are the ones a Prometheus scrape shows (counters end in {@code _total}). */
    public List<Sample> sample() {
        List<Sample> samples = new ArrayList<>();
        for (JmxCollector collector : collectors) {
            collect(collector, samples);
        }
        return samples;
    }

    private static void collect(JmxCollector collector, List<Sample> samples) {
        for (MetricSnapshot snapshot : collector.collect()) {
            String name = snapshot.getMetadata().getPrometheusName();
            if (snapshot instanceof CounterSnapshot counter) {
                for (CounterSnapshot.CounterDataPointSnapshot p : counter.getDataPoints()) {
                    samples.add(new Sample(name + "_total", Sample.Type.COUNTER, labels(p), p.getValue()));
                }
            } else if (snapshot instanceof GaugeSnapshot gauge) {
                for (GaugeSnapshot.GaugeDataPointSnapshot p : gauge.getDataPoints()) {
                    samples.add(new Sample(name, Sample.Type.GAUGE, labels(p), p.getValue()));
                }
            } else if (snapshot instanceof UnknownSnapshot unknown) {
                for (UnknownSnapshot.UnknownDataPointSnapshot p : unknown.getDataPoints()) {
                    samples.add(new Sample(name, Sample.Type.UNTYPED, labels(p), p.getValue()));
                }
            }
        }
    }

    private static Map<String, String> labels(DataPointSnapshot point) {
        Map<String, String> labels = new HashMap<>();
        for (Label label : point.getLabels()) {
            labels.put(label.getName(), label.getValue());
        }
        return labels;
    }
}
