package io.connectaws.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

import io.connectaws.rest.ConnectorRequest;
import io.connectaws.rest.ConnectorWrite;
import io.connectaws.rest.DebeziumLegacyNames;
import io.connectaws.rest.PluginVersion;

/**
 * REST extension that fills in {@link ConnectorDefaults} when a connector is created or its config replaced
 * ({@code POST /connectors}, {@code PUT /connectors/{name}/config}) or validated. The launcher adds it to
 * {@code rest.extension.classes} and hands it the worker's Kafka connection settings as written in the worker property
 * {@link #CONNECTION}, so config provider references stay references; {@code CONNECT_AWS_CONNECTOR_DEFAULTS=false}
 * leaves it out. What it adds is logged (keys only) and shows
 * in {@code GET /connectors/{name}/config} like anything the user wrote.
 */
public final class ConnectorDefaultsExtension implements ConnectRestExtension {

    private static final Logger log = LoggerFactory.getLogger(ConnectorDefaultsExtension.class);
    /**
     * Worker property with the worker's bootstrap servers and top-level security settings as written (a JSON object;
     * a value holding a literal secret is null). Connect resolves config provider references in the worker config it
     * hands extensions, so each dollar sign is written as its JSON unicode escape (backslash, u0024): the references
     * reach connector configs as references. Set by the launcher.
     */
    static final String CONNECTION = "connect.aws.connector.defaults.connection";
    /** Before the image's other filters (Jersey's default is USER), so they judge the config Connect will store. */
    static final int FILTER_PRIORITY = jakarta.ws.rs.Priorities.USER - 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectorDefaults defaults;

    /** The value of {@link #CONNECTION} for these settings; literal secrets are left out (null). */
    static String connectionProperty(Map<String, String> kafkaConnection) {
        Map<String, String> written = new LinkedHashMap<>();
        kafkaConnection.forEach((k, v) -> written.put(k, Masking.holdsSecret(k, v) ? null : v));
        try {
            return JSON.writeValueAsString(written).replace("$", "\\u0024");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The defaults of a worker configured by the launcher: {@link #CONNECTION}, {@code client.rack},
     * {@code topic.creation.enable} and {@code exactly.once.source.support}; null when {@link #CONNECTION} is absent.
     */
    static ConnectorDefaults defaults(Map<String, ?> worker) {
        Object connection = worker.get(CONNECTION);
        if (connection == null) {
            return null;
        }
        Map<String, String> kafkaConnection;
        try {
            kafkaConnection = JSON.readValue(connection.toString(), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new org.apache.kafka.common.config.ConfigException(CONNECTION, "(not shown)",
                    "not a JSON object of worker settings (the launcher sets it): " + e.getOriginalMessage());
        }
        return new ConnectorDefaults(kafkaConnection, text(worker, "client.rack"),
                !"false".equalsIgnoreCase(String.valueOf(text(worker, "topic.creation.enable")).trim()),
                ExactlyOnce.enabled(text(worker, ExactlyOnce.WORKER_KEY)));
    }

    private static String text(Map<String, ?> worker, String key) {
        Object v = worker.get(key);
        return v == null ? null : v.toString();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        defaults = defaults(configs);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        if (defaults == null) {
            log.warn("{} is listed but the worker property {} is not set (the image's launcher sets it): connector "
                    + "defaults are off", getClass().getName(), CONNECTION);
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
        return PluginVersion.of(ConnectLauncher.class);
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
            java.util.Optional<ConnectorRequest> read = ConnectorRequest.read(request);
            if (read.isEmpty()) {
                return;
            }
            ConnectorRequest connector = read.get();
            boolean patch = connector.call() == ConnectorWrite.PATCH;
            boolean validate = connector.call() == ConnectorWrite.VALIDATE;
            Map<String, String> current = connector.values();
            String connectorClass = current.get("connector.class");
            if (patch && connectorClass == null) {
                connectorClass = storedClass(connector.name()); // a patch names only the keys it changes
            }
            DebeziumLegacyNames.Result renamed;
            try {
                renamed = DebeziumLegacyNames.translate(current, connectorClass);
            } catch (IllegalArgumentException contradiction) {
                ConnectorRequest.refuse(request, contradiction.getMessage());
                return;
            }
            ObjectNode config = connector.config();
            if (!renamed.renames().isEmpty()) {
                config.removeAll();
                renamed.config().forEach(config::put);
                if (!validate) {
                    log.warn("Connector {}: Debezium 1.x names renamed to the names Debezium 2.x and 3.x read: {}",
                            connector.name(), renamed.renames().stream().map(r -> r.from() + " -> " + r.to()).toList());
                }
            }
            // a patch carries only the keys it changes: the defaults were added when the connector was created
            Map<String, String> additions = patch ? Map.of() : defaults.additions(renamed.config());
            additions.forEach(config::put);
            if (!additions.isEmpty() && !validate) {
                log.info("Connector {}: added from the worker's settings: {}", connector.name(), additions.keySet());
            }
            if (!renamed.renames().isEmpty() || !additions.isEmpty()) {
                connector.writeBack(request);
            }
        }
    }
}
