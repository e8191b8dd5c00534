package io.connectaws.declarations;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.health.ConnectClusterState;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

import io.connectaws.rest.ConnectorRequest;
import io.connectaws.rest.ConnectorWrite;

/**
 * Refuses {@code POST /connectors}, {@code PUT} and {@code PATCH /connectors/NAME/config} with 400 when the config makes a
 * {@link Claims claim} another connector of the cluster already makes, naming that connector. Other connectors' claims
 * are read from the cluster's stored configs and kept for a few seconds, so creating N connectors reads each config
 * about once instead of N times. Two writes racing on two workers can both pass; the declarations check their own set
 * before they write.
 */
final class CollisionGuard implements ContainerRequestFilter {
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
        Optional<ConnectorRequest> read = ConnectorRequest.read(request);
        if (read.isEmpty() || read.get().call() == ConnectorWrite.VALIDATE || read.get().name() == null) {
            return; // nothing to guard, or a malformed request Connect answers itself
        }
        ConnectorRequest connector = read.get();
        Map<String, String> config = new LinkedHashMap<>();
        if (connector.call() == ConnectorWrite.PATCH) {
            // a patch changes some keys of the stored config (null removes one): check the result
            try {
                config.putAll(cluster.connectorConfig(connector.name()));
            } catch (RuntimeException e) {
                return; // unknown connector: Connect answers 404 itself
            }
        }
        connector.values().forEach((key, value) -> {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
        });
        List<Claims.Claim> claims = Claims.of(config);
        if (claims.isEmpty()) {
            return;
        }
        String refusal = refusal(connector.name(), claims);
        if (refusal != null) {
            ConnectorRequest.refuse(request, refusal);
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
