package io.connectaws.it.aws;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric datum that a PutMetricData call stored, as sent. {@code dimensions} keeps the request's order. Exactly one
 * of {@code value}, {@code statisticValues} and {@code values} is set ({@code values} is empty otherwise, and
 * {@code counts} is empty when the request had none: each value then counts once). {@code unit}, {@code timestamp} and
 * {@code storageResolution} are null when the request left them out (CloudWatch then uses None, the time of receipt
 * and 60). {@code compressed} tells whether the request body arrived gzip-compressed.
 */
public record CloudWatchDatum(String namespace, String metricName, Map<String, String> dimensions, String unit,
                              Instant timestamp, Double value, StatisticSet statisticValues, List<Double> values,
                              List<Double> counts, Integer storageResolution, boolean compressed) {

    /** A datum's StatisticValues. */
    public record StatisticSet(double sampleCount, double sum, double minimum, double maximum) {
    }

    public CloudWatchDatum {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
        values = List.copyOf(values);
        counts = List.copyOf(counts);
    }
}
