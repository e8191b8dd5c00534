package io.connectaws.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Connect's REST API as the harness uses it: JSON in, JSON out, a short timeout, no retries of its own. */
final class Rest {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String base;
    private final Map<String, String> connectorExtras;

    Rest(String base, Map<String, String> connectorExtras) {
        this.base = base;
        this.connectorExtras = connectorExtras;
    }

    /** HTTP status of GET {@code path}, or -1 while nothing listens. */
    int status(String path) {
        try {
            return HTTP.send(get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET {@code path} as JSON, or null when it does not answer 200. */
    JsonNode json(String path) {
        try {
            HttpResponse<String> reply = HTTP.send(get(path), HttpResponse.BodyHandlers.ofString());
            return reply.statusCode() == 200 ? JSON.readTree(reply.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Creates (or replaces) connector {@code name} with {@code config}; fails with Connect's reply otherwise. */
    void putConnector(String name, Map<String, String> config) {
        Map<String, String> full = new java.util.LinkedHashMap<>(config);
        full.putAll(connectorExtras);
        send("PUT", "/connectors/" + name + "/config", full, 60);
    }

    void delete(String path) {
        send("DELETE", path, null, 60);
    }

    /** "RUNNING" when the connector and every task of it run (at least one task); its states otherwise. */
    String connectorState(String name) {
        JsonNode status = json("/connectors/" + name + "/status");
        if (status == null) {
            return "ABSENT";
        }
        String connector = status.path("connector").path("state").asText();
        JsonNode tasks = status.path("tasks");
        if (!"RUNNING".equals(connector) || tasks.isEmpty()) {
            return connector + " tasks=" + tasks.size();
        }
        for (JsonNode task : tasks) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return "task " + task.path("state").asText() + ": " + firstLine(task.path("trace").asText());
            }
        }
        return "RUNNING";
    }

    private void send(String method, String path, Object body, int timeoutSeconds) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(timeoutSeconds)).header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> reply = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + reply.statusCode() + ": " + reply.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
