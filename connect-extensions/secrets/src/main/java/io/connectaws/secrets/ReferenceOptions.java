package io.connectaws.secrets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;

/** The {@code ?name=value&...} options a reference may end with, split off the part they follow. */
final class ReferenceOptions {
    final String base;
    private final Map<String, String> options;

    private ReferenceOptions(String base, Map<String, String> options) {
        this.base = base;
        this.options = options;
    }

    /**
     * Splits {@code text} at its first {@code ?}; {@code allowed} lists the option names, {@code where} describes the
     * reference for error messages.
     */
    static ReferenceOptions split(String text, Set<String> allowed, String where) {
        int q = text.indexOf('?');
        if (q < 0) return new ReferenceOptions(text, Map.of());
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : text.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!allowed.contains(name)) {
                throw new ConfigException(where + ": unknown option '" + name + "'; the options are " + String.join(", ", allowed));
            }
            if (value.isEmpty()) {
                throw new ConfigException(where + ": option '" + name + "' needs a value, e.g. " + name + "=...");
            }
            options.put(name, value);
        }
        return new ReferenceOptions(text.substring(0, q), options);
    }

    /** The union of two option sets; {@code where} names the reference when both set the same option differently. */
    ReferenceOptions merge(ReferenceOptions other, String where) {
        Map<String, String> merged = new LinkedHashMap<>(options);
        other.options.forEach((k, v) -> {
            String before = merged.put(k, v);
            if (before != null && !before.equals(v)) {
                throw new ConfigException(where + ": option '" + k + "' is given twice with different values");
            }
        });
        return new ReferenceOptions(base, merged);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    Optional<Duration> duration(String name, String where) {
        return get(name).map(v -> {
            try {
                return Durations.parse(v, where + ": option " + name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        });
    }
}
