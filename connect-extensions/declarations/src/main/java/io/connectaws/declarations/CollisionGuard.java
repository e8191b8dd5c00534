package io.connectaws.declarations;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.health.ConnectClusterState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;

import io.connectaws.rest.ConnectorWrite;

/**
 * Refuses {@code POST /connectors}, {@code PUT} and {@code PATCH /connectors/NAME/config} with 400 when the config makes a
 * {@link Claims claim} another connector of the cluster already makes, naming that connector. Other connectors' claims
 * are read from the cluster's stored configs and kept for a few seconds, so creating N connectors reads each config
 * about once instead of N times. Two writes racing on two workers can both pass; the declarations check their own set
 * before they write.
 */
final class CollisionGuard implements ContainerRequestFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FRESH_NANOS = 5_000_000_000L;

    private record Known(List<Claims.Claim> claims, long readAt) {
    }

    private final ConnectClusterState cluster;
    private final LongSupplier nanos;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    CollisionGuard(ConnectClusterState cluster, LongSupplier nanos) {
        this.cluster = cluster;
        this.nanos = nanos;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        List<String> path = request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
                .filter(s -> !s.isEmpty()).toList();
        ConnectorWrite call = ConnectorWrite.of(request.getMethod(), path).orElse(ConnectorWrite.VALIDATE);
        boolean create = call == ConnectorWrite.CREATE;
        boolean patch = call == ConnectorWrite.PATCH;
        if (call == ConnectorWrite.VALIDATE || !request.hasEntity()) {
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        String name;
        Map<String, String> config = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode c = create ? root.get("config") : root;
            name = create ? root.path("name").asText(null) : ConnectorWrite.connectorName(path);
            if (!(c instanceof ObjectNode object) || name == null) {
                return; // Connect answers a malformed request itself
            }
            if (patch) {
                // a patch changes some keys of the stored config (null removes one): check the result
                try {
                    config.putAll(cluster.connectorConfig(name));
                } catch (RuntimeException e) {
                    return; // unknown connector: Connect answers 404 itself
                }
            }
            object.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    config.remove(e.getKey());
                } else {
                    config.put(e.getKey(), e.getValue().asText());
                }
            });
        } catch (IOException e) {
            return;
        }
        List<Claims.Claim> claims = Claims.of(config);
        if (claims.isEmpty()) {
            return;
        }
        String refusal = refusal(name, claims);
        if (refusal != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error_code", 400);
            error.put("message", refusal);
            request.abortWith(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(JSON.writeValueAsString(error)).build());
        }
    }

    /** Why {@code name} may not make {@code claims}, or null when no other connector makes one of them. */
    String refusal(String name, List<Claims.Claim> claims) {
        Collection<String> names;
        try {
            names = cluster.connectors();
        } catch (RuntimeException e) {
            return null; // not joined or rebalancing: Connect refuses the write itself
        }
        known.keySet().retainAll(names);
        long now = nanos.getAsLong();
        for (String other : names) {
            if (other.equals(name)) {
                continue;
            }
            Known k = known.get(other);
            if (k == null || now - k.readAt() > FRESH_NANOS) {
                try {
                    k = new Known(Claims.of(cluster.connectorConfig(other)), now);
                } catch (RuntimeException e) {
                    continue; // deleted in between
                }
                known.put(other, k);
            }
            Claims.Claim shared = Claims.shared(claims, k.claims());
            if (shared != null) {
                return "Connector '" + name + "' would use " + shared.describe() + ", which connector '" + other
                        + "' already uses: " + Claims.why(shared);
            }
        }
        return null;
    }
}
