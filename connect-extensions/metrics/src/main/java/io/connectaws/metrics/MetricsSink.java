package io.connectaws.metrics;

import java.util.List;

/** Where one interval's data points go. */
public interface MetricsSink extends AutoCloseable {
    /** Publishes the points of one interval; failures are handled (and logged) by the sink. */
    void publish(List<Datum> data, long timestampMillis);

    @Override
    default void close() {
    }
}
