package io.connectaws.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline: the harness's only way of waiting, so every wait has a bound and a reason. */
final class Waits {

    private Waits() {
    }

    /** Polls {@code condition} every {@code pollMillis} until true; returns System.nanoTime() of the first true. */
    static long until(String what, Duration timeout, long pollMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            sleep(pollMillis);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
