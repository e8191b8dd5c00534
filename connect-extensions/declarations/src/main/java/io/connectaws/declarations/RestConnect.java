package io.connectaws.declarations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.connect.health.ConnectClusterState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.rest.WorkerRest;

/**
 * {@link Connect} in the worker: reads from Connect's cluster state (stored configs, references as written), writes
 * through the worker's own REST API on loopback, so every write passes Connect's validation and the image's REST
 * filters (connector defaults, the collision guard) exactly as a user's call would.
 */
final class RestConnect implements Connect {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Connect answers a create after validating it, which may take its own 90 s request timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(100);

    private final ConnectClusterState cluster;
    private final WorkerRest rest;
    /** Once Connect serves its REST resources it keeps serving them. */
    private volatile boolean ready;

    RestConnect(ConnectClusterState cluster, WorkerRest rest) {
        this.cluster = cluster;
        this.rest = rest;
    }

    @Override
    public Map<String, Existing> connectors() {
        Map<String, Existing> out = new TreeMap<>();
        for (String name : cluster.connectors()) {
            Map<String, String> config;
            try {
                config = cluster.connectorConfig(name);
            } catch (org.apache.kafka.connect.errors.NotFoundException e) {
                continue; // deleted in between
            }
            String state;
            try {
                state = cluster.connectorHealth(name).connectorState().state();
            } catch (RuntimeException e) {
                state = "UNASSIGNED";
            }
            out.put(name, new Existing(config, state));
        }
        return out;
    }

    @Override
    public boolean ready() throws Exception {
        if (!ready) {
            ready = rest.send("/connectors", "GET", null, Duration.ofSeconds(10)).ok();
        }
        return ready;
    }

    @Override
    public Reply create(String name, Map<String, String> config, DesiredState initialState) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        body.put("initial_state", initialState.name());
        return call("POST", "/connectors", JSON.writeValueAsString(body));
    }

    @Override
    public Reply update(String name, Map<String, String> config) throws Exception {
        return call("PUT", "/connectors/" + WorkerRest.segment(name) + "/config", JSON.writeValueAsString(config));
    }

    @Override
    public Reply changeState(String name, DesiredState state) throws Exception {
        String verb = switch (state) {
            case RUNNING -> "resume";
            case PAUSED -> "pause";
            case STOPPED -> "stop";
        };
        return call("PUT", "/connectors/" + WorkerRest.segment(name) + "/" + verb, null);
    }

    @Override
    public Reply delete(String name) throws Exception {
        return call("DELETE", "/connectors/" + WorkerRest.segment(name), null);
    }

    @Override
    public Map<String, String> validate(Map<String, String> config) throws Exception {
        String cls = config.getOrDefault("connector.class", "");
        WorkerRest.Reply r = rest.send("/connector-plugins/" + WorkerRest.segment(cls) + "/config/validate", "PUT",
                JSON.writeValueAsString(config), TIMEOUT);
        Map<String, String> errors = new TreeMap<>();
        if (!r.ok()) {
            errors.put("connector.class", message(r.body(), r.status()));
            return errors;
        }
        JsonNode root = JSON.readTree(r.body());
        for (JsonNode c : root.path("configs")) {
            JsonNode value = c.path("value");
            List<String> messages = JSON.convertValue(value.path("errors"), JSON.getTypeFactory()
                    .constructCollectionType(List.class, String.class));
            if (messages != null && !messages.isEmpty()) {
                errors.put(value.path("name").asText(), String.join("; ", messages));
            }
        }
        return errors;
    }

    private Reply call(String method, String path, String body) throws Exception {
        WorkerRest.Reply r = rest.send(path, method, body, TIMEOUT);
        return new Reply(r.status(), r.ok() ? "" : message(r.body(), r.status()));
    }

    private static String message(String body, int status) {
        try {
            JsonNode node = JSON.readTree(body);
            String m = node.path("message").asText("");
            if (!m.isEmpty()) {
                // Connect's validation answer ends with a pointer to the validate endpoint: not useful here
                return m.replaceAll("\\s*You can also find the above list of errors at the endpoint `[^`]*`\\s*$", "")
                        .replace('\n', ' ').trim();
            }
        } catch (Exception e) {
            // not JSON
        }
        return "HTTP " + status + " " + WorkerRest.abbreviate(body, 300);
    }

}
