package io.connectaws.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Host commands (docker save, docker exec): their output, or their exit code and wall time. */
final class Shell {

    private Shell() {
    }

    /** Runs {@code argv}, returns stdout+stderr; fails with the output when it exits non-zero. */
    static String run(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " exited " + exit + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code argv} discarding its output; returns {exit code, wall nanoseconds}. */
    static long[] timed(String... argv) {
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int exit = process.waitFor();
            return new long[] {exit, System.nanoTime() - start};
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
