package io.connectaws.health;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.connectaws.rest.WorkerRest;

/** The worker's own state as Kafka's {@code GET /health} (KIP-1017) reports it, with its message. */
public record WorkerStatus(State state, String detail) {

    /** Kafka's answers: 200 running, 503 (or 404, REST not set up yet) starting, 500 herder not answering; no answer at all is unreachable. */
    public enum State { STARTING, RUNNING, UNHEALTHY, UNREACHABLE }

    /** Where the worker status comes from (Kafka's endpoint in the worker, a fake in tests). */
    public interface Source {
        WorkerStatus check();
    }

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Asks this worker's {@code /health} on loopback; Kafka answers 503 or 500 after its own 10 s health timeout. */
    static Source kafkaHealthEndpoint(WorkerRest rest) {
        return () -> {
            try {
                WorkerRest.Reply r = rest.get("/health", Duration.ofSeconds(30));
                return new WorkerStatus(switch (r.status()) {
                    case 200 -> State.RUNNING;
                    // 404: Jetty already listens while Connect is still registering its resources
                    case 503, 404 -> State.STARTING;
                    case 500 -> State.UNHEALTHY;
                    default -> State.UNREACHABLE;
                }, message(r));
            } catch (IOException e) {
                return new WorkerStatus(State.UNREACHABLE, "GET /health on this worker failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WorkerStatus(State.UNREACHABLE, "interrupted");
            }
        };
    }

    private static String message(WorkerRest.Reply r) {
        Matcher m = MESSAGE.matcher(r.body() == null ? "" : r.body());
        String text = m.find() ? m.group(1).replace("\\\"", "\"") : WorkerRest.abbreviate(r.body(), 200);
        return r.status() == 404 ? "REST resources not registered yet"
                : r.status() == 200 || r.status() == 503 || r.status() == 500 ? text : "HTTP " + r.status() + ": " + text;
    }
}
