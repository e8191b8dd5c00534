package io.connectaws.metrics;

/** The exporter's own figures, as {@code io.connectaws:type=metrics-exporter}. */
public interface MetricsExporterMBean {
    /** Export cycles run. */
    long getCycles();

    /** Cycles that failed (reading MBeans or formatting); publish failures are counted by the sink. */
    long getFailedCycles();

    /** Data points produced by the last cycle. */
    int getLastDataPoints();

    /** Wall time of the last cycle in milliseconds. */
    double getLastCycleMillis();

    /** Data points the api sink keeps for the next interval after a failed call (0 for emf). */
    int getPendingDataPoints();
}
