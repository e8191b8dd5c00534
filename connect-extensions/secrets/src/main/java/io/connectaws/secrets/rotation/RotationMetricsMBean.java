package io.connectaws.secrets.rotation;

/** JMX view of {@link RotationMetrics}. */
public interface RotationMetricsMBean {
    /** Secret and parameter reads made to look for a rotation. */
    long getChecks();

    /** Reads that failed (the previous value stays in use). */
    long getCheckFailures();

    /** Connector references whose value changed. */
    long getRotationsDetected();

    /** Connector restarts (with their tasks) requested because of a rotation. */
    long getRestarts();

    /** Restart requests the worker refused or did not answer; retried at the next check. */
    long getRestartFailures();
}
