package io.connectaws.secrets.rotation;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the rotation monitor, exported as the MBean {@code io.connectaws:type=secret-rotation}. */
public final class RotationMetrics implements RotationMetricsMBean {
    final AtomicLong checks = new AtomicLong();
    final AtomicLong checkFailures = new AtomicLong();
    final AtomicLong rotationsDetected = new AtomicLong();
    final AtomicLong restarts = new AtomicLong();
    final AtomicLong restartFailures = new AtomicLong();

    @Override
    public long getChecks() {
        return checks.get();
    }

    @Override
    public long getCheckFailures() {
        return checkFailures.get();
    }

    @Override
    public long getRotationsDetected() {
        return rotationsDetected.get();
    }

    @Override
    public long getRestarts() {
        return restarts.get();
    }

    @Override
    public long getRestartFailures() {
        return restartFailures.get();
    }
}
