package io.connectaws.secrets.rotation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

import org.apache.kafka.common.config.ConfigTransformer;

/** Finds the {@code ${provider:path:key}} references of a raw connector config, parsed the way Kafka parses them. */
final class ReferenceScanner {
    /** One reference: provider name, path ("" when absent) and key, exactly as Kafka passes them to the provider. */
    record Reference(String provider, String path, String key) {
        @Override
        public String toString() {
            return "${" + provider + ":" + (path.isEmpty() ? "" : path + ":") + key + "}";
        }
    }

    private ReferenceScanner() {
    }

    /** The references in {@code config} whose provider is one of {@code providers}. */
    static Set<Reference> scan(Map<String, String> config, Set<String> providers) {
        Set<Reference> refs = new LinkedHashSet<>();
        for (String value : config.values()) {
            if (value == null || !value.contains("${")) continue;
            Matcher m = ConfigTransformer.DEFAULT_PATTERN.matcher(value);
            while (m.find()) {
                if (providers.contains(m.group(1))) {
                    refs.add(new Reference(m.group(1), m.group(3) == null ? "" : m.group(3), m.group(4)));
                }
            }
        }
        return refs;
    }
}
