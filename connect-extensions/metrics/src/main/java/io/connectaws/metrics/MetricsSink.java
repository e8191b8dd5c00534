package io.connectaws.metrics;

import java.util.List;

/** Where one interval's data points go. */
public interface MetricsSink extends AutoCloseable {
    /** Publishes the points of one interval; failures are handled (and logged) by the sink. */
    void publish(List<Datum> data, long timestampMillis);

    /** Data points kept for a later interval (not yet accepted); 0 for a sink that keeps none. */
    default int pending() {
        return 0;
    }

    @Override
    default void close() {
    }
}
