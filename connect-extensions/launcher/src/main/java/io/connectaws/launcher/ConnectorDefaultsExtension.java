package io.connectaws.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.PathSegment;

import io.connectaws.rest.ConnectorWrite;
import io.connectaws.rest.DebeziumLegacyNames;

/**
 * REST extension that fills in {@link ConnectorDefaults} when a connector is created or its config replaced
 * ({@code POST /connectors}, {@code PUT /connectors/{name}/config}) or validated. The launcher adds it to
 * {@code rest.extension.classes} and hands it the worker's settings as written, so config provider references stay
 * references; {@code CONNECT_AWS_CONNECTOR_DEFAULTS=false} leaves it out. What it adds is logged (keys only) and shows
 * in {@code GET /connectors/{name}/config} like anything the user wrote.
 */
public final class ConnectorDefaultsExtension implements ConnectRestExtension {

    private static final Logger log = LoggerFactory.getLogger(ConnectorDefaultsExtension.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile ConnectorDefaults installed;
    /** Before the image's other filters (Jersey's default is USER), so they judge the config Connect will store. */
    static final int FILTER_PRIORITY = jakarta.ws.rs.Priorities.USER - 200;

    /** Called by the launcher before the worker starts. */
    static void install(ConnectorDefaults defaults) {
        installed = defaults;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        ConnectorDefaults defaults = installed;
        if (defaults == null) {
            log.warn("{} is listed but the worker was not started by the image's launcher: connector defaults are off",
                    getClass().getName());
            return;
        }
        if (!defaults.withheld().isEmpty()) {
            log.warn("Worker setting(s) {} hold a literal secret, so Debezium's schema history and signal clients get no "
                    + "security settings from the worker: use a config provider reference there (docs/secrets.md)",
                    defaults.withheld());
        }
        context.configurable().register(new Filter(defaults, context.clusterState()::connectorConfig), FILTER_PRIORITY);
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return ConnectLauncher.class.getPackage().getImplementationVersion() == null ? "dev"
                : ConnectLauncher.class.getPackage().getImplementationVersion();
    }

    /**
     * Rewrites the request body of connector create, replace, patch and validate calls: Debezium 1.x names become
     * their 2.x names (a patch too), then the defaults are added (not to a patch, whose connector already has them).
     * Runs before the image's other filters, so they judge the config Connect will store.
     */
    static final class Filter implements ContainerRequestFilter {
        private final ConnectorDefaults defaults;
        private final java.util.function.Function<String, Map<String, String>> storedConfig;

        /** @param storedConfig a connector's stored config by name (Connect's cluster state); throws when unknown */
        Filter(ConnectorDefaults defaults, java.util.function.Function<String, Map<String, String>> storedConfig) {
            this.defaults = defaults;
            this.storedConfig = storedConfig;
        }

        private String storedClass(String name) {
            try {
                return storedConfig.apply(name).get("connector.class");
            } catch (RuntimeException unknown) {
                return null; // Connect answers 404 itself
            }
        }

        @Override
        public void filter(ContainerRequestContext request) throws IOException {
            List<String> path = request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
                    .filter(s -> !s.isEmpty()).toList();
            // PATCH carries only the keys it changes: the defaults were added when the connector was created
            java.util.Optional<ConnectorWrite> write = ConnectorWrite.of(request.getMethod(), path);
            if (write.isEmpty() || !request.hasEntity()) {
                return;
            }
            ConnectorWrite call = write.get();
            boolean create = call == ConnectorWrite.CREATE;
            boolean validate = call == ConnectorWrite.VALIDATE;
            byte[] body = request.getEntityStream().readAllBytes();
            byte[] result = body;
            try {
                JsonNode root = JSON.readTree(body);
                JsonNode config = create ? root.get("config") : root;
                if (config instanceof ObjectNode object) {
                    String name = create ? String.valueOf(root.path("name").asText(null)) : ConnectorWrite.connectorName(path);
                    Map<String, String> current = new java.util.LinkedHashMap<>();
                    object.fields().forEachRemaining(e -> current.put(e.getKey(), e.getValue().isNull() ? null
                            : e.getValue().asText()));
                    String connectorClass = current.get("connector.class");
                    if (call == ConnectorWrite.PATCH && connectorClass == null) {
                        connectorClass = storedClass(name); // a patch names only the keys it changes
                    }
                    DebeziumLegacyNames.Result renamed = DebeziumLegacyNames.translate(current, connectorClass);
                    if (!renamed.renames().isEmpty()) {
                        object.removeAll();
                        renamed.config().forEach((k, v) -> object.put(k, v));
                        result = JSON.writeValueAsBytes(root);
                        if (!validate) {
                            log.warn("Connector {}: Debezium 1.x names renamed to the names Debezium {} reads: {}", name,
                                    "2.x and 3.x", renamed.renames().stream().map(r -> r.from() + " -> " + r.to()).toList());
                        }
                    }
                    Map<String, String> additions = call == ConnectorWrite.PATCH ? Map.of()
                            : defaults.additions(renamed.config());
                    if (!additions.isEmpty()) {
                        additions.forEach(object::put);
                        result = JSON.writeValueAsBytes(root);
                        if (!validate) {
                            log.info("Connector {}: added from the worker's settings: {}", name, additions.keySet());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                request.abortWith(BadRequest.of(e.getMessage()));
                return;
            } catch (IOException e) {
                // not JSON: Connect answers it with its own error
            }
            request.setEntityStream(new ByteArrayInputStream(result));
            if (result != body) {
                request.getHeaders().putSingle("Content-Length", Integer.toString(result.length));
            }
        }
    }
}
