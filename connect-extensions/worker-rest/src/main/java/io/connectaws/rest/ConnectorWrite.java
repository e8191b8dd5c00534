package io.connectaws.rest;

import java.util.List;
import java.util.Optional;

/**
 * The REST calls that carry a connector config, recognised from a request's method and path segments, so the REST
 * filters that check or complete a config (the collision guard, the connector defaults) agree on which calls those are.
 */
public enum ConnectorWrite {
    /** {@code POST /connectors}: body {@code {name, config}}. */
    CREATE,
    /** {@code PUT /connectors/NAME/config}: body is the whole config. */
    REPLACE,
    /** {@code PATCH /connectors/NAME/config}: body holds the keys to change ({@code null} removes one). */
    PATCH,
    /** {@code PUT /connector-plugins/CLASS/config/validate}: body is the config to check. */
    VALIDATE;

    /** The kind of call, empty for any other; {@code path} holds the non-empty segments. */
    public static Optional<ConnectorWrite> of(String method, List<String> path) {
        boolean connectorConfig = path.size() == 3 && path.get(0).equals("connectors") && path.get(2).equals("config");
        if (method.equals("POST") && path.equals(List.of("connectors"))) {
            return Optional.of(CREATE);
        }
        if (method.equals("PUT") && connectorConfig) {
            return Optional.of(REPLACE);
        }
        if (method.equals("PATCH") && connectorConfig) {
            return Optional.of(PATCH);
        }
        if (method.equals("PUT") && path.size() == 4 && path.get(0).equals("connector-plugins")
                && path.get(2).equals("config") && path.get(3).equals("validate")) {
            return Optional.of(VALIDATE);
        }
        return Optional.empty();
    }

    /** The connector's name in the path of a {@link #REPLACE} or {@link #PATCH}, else null. */
    public static String connectorName(List<String> path) {
        return path.size() == 3 ? path.get(1) : null;
    }
}
