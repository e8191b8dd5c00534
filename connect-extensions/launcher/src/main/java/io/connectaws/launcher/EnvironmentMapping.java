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
 *       {@code CONNECT_CLIENT__ID} is {@code client_id}). Debezium's image only turns {@code _} into
 *       {@code .}; the two agree for every property name without {@code _} or {@code -}.</li>
 *   <li>Debezium's short forms ({@code BOOTSTRAP_SERVERS}, {@code GROUP_ID}, the three storage
 *       topics, converters, flush settings, {@code SHUTDOWN_TIMEOUT}, advertised host and port). A
 *       {@code CONNECT_*} variable for the same property may repeat it, but not contradict it.</li>
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
            Map.entry("SHUTDOWN_TIMEOUT", "task.shutdown.graceful.timeout.ms"),
            Map.entry("ADVERTISED_HOST_NAME", "rest.advertised.host.name"),
            Map.entry("ADVERTISED_PORT", "rest.advertised.port"));

    /** A worker property's value and the variable it came from. */
    public record Setting(String value, String variable) {
    }

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

    /** Worker properties named by the environment (values only); see {@link #settings}. */
    public static Map<String, String> workerProperties(Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>();
        settings(environment).forEach((property, setting) -> properties.put(property, setting.value()));
        return properties;
    }

    /**
     * Worker properties named by the environment, each with the variable that set it.
     *
     * @throws LauncherException when a short form and a {@code CONNECT_*} variable give one property two values
     */
    public static Map<String, Setting> settings(Map<String, String> environment) {
        Map<String, Setting> properties = new TreeMap<>();
        SHORT_FORMS.forEach((variable, property) -> {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                properties.put(property, new Setting(value.trim(), variable));
            }
        });
        environment.forEach((variable, value) -> propertyName(variable).ifPresent(property -> {
            Setting shortForm = properties.get(property);
            if (shortForm != null && !shortForm.value().equals(value.trim())) {
                throw new LauncherException(shortForm.variable() + "=" + shortForm.value() + " and " + variable + "="
                        + value.trim() + " both set " + property + ": keep one of them");
            }
            properties.put(property, new Setting(value.trim(), variable));
        }));
        return properties;
    }
}
