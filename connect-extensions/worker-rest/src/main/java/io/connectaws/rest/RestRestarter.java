package io.connectaws.rest;

import java.io.IOException;
import java.time.Duration;

/**
 * Restarts one connector instance or one task through this worker's own REST API ({@link WorkerRest}), the one restart
 * call of the health checks' self-healing and the secrets rotation monitor. It does not log: each caller logs the
 * {@link Result} at its own level.
 */
public final class RestRestarter {
    /** What a restart call came to: restarted, the connector or task no longer exists (404), or refused/failed. */
    public enum Outcome { RESTARTED, GONE, REFUSED }

    /** The outcome, the path called and, when not restarted, why (the HTTP status and body, or the I/O error). */
    public record Result(Outcome outcome, String path, String reason) {
        /** True when Connect accepted the restart. */
        public boolean restarted() {
            return outcome == Outcome.RESTARTED;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final WorkerRest rest;

    /** Restarts through {@code rest}. */
    public RestRestarter(WorkerRest rest) {
        this.rest = rest;
    }

    /** {@code POST /connectors/<connector>/restart}, or {@code .../tasks/<task>/restart} when {@code task} is not null. */
    public Result restart(String connector, Integer task) {
        String path = "/connectors/" + WorkerRest.segment(connector)
                + (task == null ? "/restart" : "/tasks/" + task + "/restart");
        try {
            WorkerRest.Reply r = rest.post(path, TIMEOUT);
            if (r.ok()) return new Result(Outcome.RESTARTED, path, "");
            return new Result(r.status() == 404 ? Outcome.GONE : Outcome.REFUSED, path,
                    "answered HTTP " + r.status() + ": " + WorkerRest.abbreviate(r.body(), 300));
        } catch (IOException e) {
            return new Result(Outcome.REFUSED, path, "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.REFUSED, path, "interrupted");
        }
    }
}
