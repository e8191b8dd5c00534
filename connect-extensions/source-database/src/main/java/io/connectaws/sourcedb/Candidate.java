package io.connectaws.sourcedb;

import java.util.Map;
import java.util.Objects;

/**
 * A connector config about to be created or replaced, with config provider references resolved, and the stored config
 * of a connector of the same name (empty when it is new): a replaced connector's own slot is not "held by another".
 */
public record Candidate(String name, Map<String, String> config, Map<String, String> stored) {

    public Candidate {
        config = Map.copyOf(Objects.requireNonNull(config, "config"));
        stored = stored == null ? Map.of() : Map.copyOf(stored);
    }

    /** The trimmed value of {@code key}, or {@code fallback} when it is absent or blank. */
    public String get(String key, String fallback) {
        String value = config.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * JDBC properties every check starts from: {@code user}, {@code password}, and with {@code passThrough} each
     * {@code driver.*} key of the config without its prefix (Debezium's driver pass-through).
     */
    public java.util.Properties login(boolean passThrough) {
        java.util.Properties p = new java.util.Properties();
        if (passThrough) {
            config.forEach((key, value) -> {
                if (key.startsWith("driver.") && value != null) {
                    p.setProperty(key.substring("driver.".length()), value);
                }
            });
        }
        p.setProperty("user", get("database.user", ""));
        p.setProperty("password", java.util.Objects.requireNonNullElse(config.get("database.password"), ""));
        return p;
    }

    /** The connector class. */
    public String connectorClass() {
        return get("connector.class", "");
    }
}
