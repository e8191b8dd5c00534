package io.connectaws.launcher;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Maps environment variables to worker properties with the rules of Debezium's and Confluent's
 * Connect images, so a task definition written for those images works unchanged.
 *
 * <ul>
 *   <li>{@code CONNECT_<NAME>}: drop the prefix, lower-case, then {@code ___} becomes {@code -},
 *       {@code __} becomes {@code _} and {@code _} becomes {@code .}
 *       ({@code CONNECT_OFFSET_FLUSH_INTERVAL_MS} is {@code offset.flush.interval.ms},
 *       {@code CONNECT_CLIENT__ID} is {@code client_id}).</li>
 *   <li>Debezium's short forms ({@code BOOTSTRAP_SERVERS}, {@code GROUP_ID}, the three storage
 *       topics, converters, advertised host and port); a {@code CONNECT_*} variable for the same
 *       property wins.</li>
 * </ul>
 */
public final class EnvironmentMapping {

    /** Prefix of variables that name a worker property. */
    public static final String PREFIX = "CONNECT_";

    /** Variables with the prefix that configure something else than the worker. */
    private static final String[] NOT_WORKER_PROPERTIES = {"CONNECT_LOG4J_", "CONNECT_JVM_", "CONNECT_AWS_"};

    /** Debezium image short forms, in the order they are documented there. */
    static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("BOOTSTRAP_SERVERS", "bootstrap.servers"),
            Map.entry("GROUP_ID", "group.id"),
            Map.entry("CONFIG_STORAGE_TOPIC", "config.storage.topic"),
            Map.entry("OFFSET_STORAGE_TOPIC", "offset.storage.topic"),
            Map.entry("STATUS_STORAGE_TOPIC", "status.storage.topic"),
            Map.entry("KEY_CONVERTER", "key.converter"),
            Map.entry("VALUE_CONVERTER", "value.converter"),
            Map.entry("OFFSET_FLUSH_INTERVAL_MS", "offset.flush.interval.ms"),
            Map.entry("OFFSET_FLUSH_TIMEOUT_MS", "offset.flush.timeout.ms"),
            Map.entry("ADVERTISED_HOST_NAME", "rest.advertised.host.name"),
            Map.entry("ADVERTISED_PORT", "rest.advertised.port"));

    private EnvironmentMapping() {
    }

    /** The worker property a {@code CONNECT_*} variable names, or empty if it names none. */
    public static Optional<String> propertyName(String variable) {
        if (!variable.startsWith(PREFIX) || variable.length() == PREFIX.length()) {
            return Optional.empty();
        }
        for (String other : NOT_WORKER_PROPERTIES) {
            if (variable.startsWith(other)) {
                return Optional.empty();
            }
        }
        String name = variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace("___", "\u0000")
                .replace("__", "\u0001")
                .replace('_', '.')
                .replace('\u0000', '-')
                .replace('\u0001', '_');
        return Optional.of(name);
    }

    /** The {@code CONNECT_*} variable that sets {@code property} (the inverse of {@link #propertyName}). */
    public static String variableFor(String property) {
        return PREFIX + property.replace("_", "__").replace('-', '\u0000').replace('.', '_')
                .replace("\u0000", "___").toUpperCase(Locale.ROOT);
    }

    /** Worker properties named by the environment: short forms first, {@code CONNECT_*} over them. */
    public static Map<String, String> workerProperties(Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>();
        SHORT_FORMS.forEach((variable, property) -> {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                properties.put(property, value.trim());
            }
        });
        environment.forEach((variable, value) ->
                propertyName(variable).ifPresent(property -> properties.put(property, value.trim())));
        return properties;
    }
}
