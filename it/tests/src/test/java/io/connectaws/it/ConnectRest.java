package io.connectaws.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client of the Connect REST API, as a user's deployment script would call it. */
final class ConnectRest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Status code and parsed body of one call. */
    record Reply(int status, JsonNode body) {
        String message() {
            return body.path("message").asText("");
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConnectRest(String base) {
        this.base = base;
    }

    Reply call(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(90))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .method(method, publisher)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode parsed = text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return call("GET", path, null);
    }

    Reply createConnector(String name, Map<String, String> config) {
        return call("POST", "/connectors", Map.of("name", name, "config", config));
    }

    Reply validate(String connectorClass, Map<String, String> config) {
        return call("PUT", "/connector-plugins/" + connectorClass + "/config/validate", config);
    }

    /** Waits until the connector and all its tasks are RUNNING; fails with the task's trace if one FAILED. */
    void awaitRunning(String name, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Reply status = get("/connectors/" + name + "/status");
            last = status.body();
            if (status.status() == 200) {
                String connectorState = last.path("connector").path("state").asText();
                JsonNode tasks = last.path("tasks");
                for (JsonNode task : tasks) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        fail("task of " + name + " FAILED: " + task.path("trace").asText());
                    }
                }
                boolean tasksRunning = tasks.size() > 0;
                for (JsonNode task : tasks) {
                    tasksRunning &= "RUNNING".equals(task.path("state").asText());
                }
                if ("RUNNING".equals(connectorState) && tasksRunning) {
                    return;
                }
            }
            sleep(250);
        }
        fail("connector " + name + " not RUNNING within " + timeout + "; last status: " + last);
    }

    /** Waits until the connector's status reports a FAILED connector or task, and returns that status. */
    String awaitFailed(String name, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        String status;
        while (!(status = get("/connectors/" + name + "/status").body().toString()).contains("FAILED")) {
            if (Instant.now().isAfter(deadline)) fail(what + ": no FAILED state within " + timeout + "; last status: " + status);
            sleep(500);
        }
        return status;
    }

    /**
     * Polls {@code GET path} until {@code condition} holds for its reply (a worker not listening yet is polled again);
     * returns that reply, or fails with the last one.
     */
    Reply await(String path, Predicate<Reply> condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                Reply reply = get(path);
                if (condition.test(reply)) return reply;
                last = reply.status() + " " + reply.body();
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            sleep(300);
        }
        return fail(path + " never showed " + what + " within " + timeout + "; last: " + last);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
