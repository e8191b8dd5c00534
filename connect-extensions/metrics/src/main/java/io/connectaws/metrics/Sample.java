package io.connectaws.metrics;

import java.util.Map;

/** One value read from an MBean through a rule: the metric name as Prometheus shows it, its type, labels and value. */
public record Sample(String name, Type type, Map<String, String> labels, double value) {
    /** The rule's type; only counters become per-interval deltas. */
    public enum Type { COUNTER, GAUGE, UNTYPED }

    public Sample {
        labels = Map.copyOf(labels);
    }
}
