package io.connectaws.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CloudWatch data point of one interval: metric name, CloudWatch unit, its own dimensions (Cluster, then
 * Connector and Task where it has them, in that order) and the value (a delta for counters).
 */
public record Datum(String name, String unit, Map<String, String> dimensions, double value) {
    public Datum {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }
}
