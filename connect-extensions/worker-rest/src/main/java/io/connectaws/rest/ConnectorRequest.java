package io.connectaws.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.runtime.rest.entities.ErrorMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;

/**
 * A request that carries a connector config ({@link ConnectorWrite}), as the image's REST filters read it: the call, the
 * connector's name and the config object of its JSON body. Reading leaves the body readable for the next filter and
 * for Connect; a filter that changes the config writes it back with {@link #writeBack}.
 */
public final class ConnectorRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorWrite call;
    private final String name;
    private final JsonNode root;
    private final ObjectNode config;

    private ConnectorRequest(ConnectorWrite call, String name, JsonNode root, ObjectNode config) {
        this.call = call;
        this.name = name;
        this.root = root;
        this.config = config;
    }

    /**
     * The request's connector config, or empty when the request carries none: another call, no body, a body that is
     * not JSON or has no config object (Connect answers those itself).
     */
    public static Optional<ConnectorRequest> read(ContainerRequestContext request) throws IOException {
        List<String> path = request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
                .filter(s -> !s.isEmpty()).toList();
        Optional<ConnectorWrite> call = ConnectorWrite.of(request.getMethod(), path);
        if (call.isEmpty() || !request.hasEntity()) {
            return Optional.empty();
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            return Optional.empty();
        }
        boolean create = call.get() == ConnectorWrite.CREATE;
        JsonNode config = create ? root.get("config") : root;
        if (!(config instanceof ObjectNode object)) {
            return Optional.empty();
        }
        String name = create ? root.path("name").asText(null) : ConnectorWrite.connectorName(path);
        return Optional.of(new ConnectorRequest(call.get(), name, root, object));
    }

    /** Which call this is. */
    public ConnectorWrite call() {
        return call;
    }

    /** The connector's name: the path's, or a create body's {@code name} (null when it has none). */
    public String name() {
        return name;
    }

    /** The config object itself: changes to it are what {@link #writeBack} writes. */
    public ObjectNode config() {
        return config;
    }

    /** The config's keys and values as text, in the body's order; a JSON null (a PATCH removing the key) as null. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return values;
    }

    /** Makes the body Connect reads the JSON as changed through {@link #config()}. */
    public void writeBack(ContainerRequestContext request) throws IOException {
        byte[] body = JSON.writeValueAsBytes(root);
        request.setEntityStream(new ByteArrayInputStream(body));
        request.getHeaders().putSingle("Content-Length", Integer.toString(body.length));
    }

    /** Answers the request with 400 in Connect's own error shape ({@link ErrorMessage}), naming what is wrong. */
    public static void refuse(ContainerRequestContext request, String message) throws IOException {
        request.abortWith(errorReply(400, message).build());
    }

    /** A reply with {@code status} in Connect's own error shape ({@link ErrorMessage}), for a filter to abort with. */
    public static Response.ResponseBuilder errorReply(int status, String message) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(JSON.writeValueAsString(new ErrorMessage(status, message)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a record of an int and a string always serialises
        }
    }
}
