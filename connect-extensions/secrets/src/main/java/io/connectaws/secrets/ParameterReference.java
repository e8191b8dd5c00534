package io.connectaws.secrets;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;

/**
 * A reference to an SSM parameter as Kafka hands it to the provider ({@code path}, {@code key}).
 * <pre>
 *   ${ssm:NAME}                 the parameter NAME, e.g. ${ssm:/prod/orders/db-password}
 *   ${ssm:PATH:LEAF}            the parameter PATH/LEAF, e.g. ${ssm:/prod/orders:db-password}
 *   ${ssm:arn:aws:ssm:REGION:ACCOUNT:parameter/NAME}   by ARN (shared parameters of another account)
 *   any of them followed by ?version=3 | ?label=live | ?ttl=5m (joined with &amp;)
 * </pre>
 * SecureString values are always decrypted. SSM's own {@code NAME:3} selectors are written {@code ?version=3},
 * because Kafka splits references at {@code :}.
 */
final class ParameterReference {
    static final Set<String> OPTIONS = Set.of("version", "label", "ttl");

    final String name;
    final Optional<Long> version;
    final Optional<String> label;
    final Optional<Duration> ttl;
    final Optional<String> arnRegion;

    private ParameterReference(String name, ReferenceOptions options, String where, Optional<String> arnRegion) {
        this.name = name;
        this.label = options.get("label");
        this.ttl = options.duration("ttl", where);
        this.arnRegion = arnRegion;
        this.version = options.get("version").map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n < 1) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": option version must be a positive number, not '" + v + "'");
            }
        });
        if (version.isPresent() && label.isPresent()) {
            throw new ConfigException(where + ": give version or label, not both");
        }
        if (name.isBlank()) {
            throw new ConfigException(where + ": no parameter name; write ${ssm:/path/to/name} or ${ssm:/path/to:name}");
        }
    }

    /** Parses what Kafka passed to {@code get(path, keys)} for one key. */
    static ParameterReference parse(String path, String key) {
        String where = describe(path, key);
        if (path == null || path.isEmpty()) {
            ReferenceOptions o = ReferenceOptions.split(key, OPTIONS, where);
            return new ParameterReference(o.base, o, where, Optional.empty());
        }
        if (path.equals("arn")) {
            ReferenceOptions o = ReferenceOptions.split("arn:" + key, OPTIONS, where);
            String[] parts = o.base.split(":", -1);
            if (parts.length != 6 || !parts[2].equals("ssm") || !parts[5].startsWith("parameter/")) {
                throw new ConfigException(where + ": not an SSM parameter ARN; expected arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME"
                        + " (write a version or label as ?version=N or ?label=L, not with ':')");
            }
            return new ParameterReference(o.base, o, where, Optional.of(parts[3]));
        }
        ReferenceOptions onPath = ReferenceOptions.split(path, OPTIONS, where);
        ReferenceOptions onKey = ReferenceOptions.split(key, OPTIONS, where);
        ReferenceOptions o = onKey.merge(onPath, where);
        String name = onPath.base.endsWith("/") ? onPath.base + onKey.base : onPath.base + "/" + onKey.base;
        return new ParameterReference(name, o, where, Optional.empty());
    }

    /** The reference as it appears in a config, for messages (contains no value). */
    static String describe(String path, String key) {
        return "${ssm:" + (path == null || path.isEmpty() ? "" : path + ":") + key + "}";
    }

    /** The {@code Name} sent to GetParameter, with SSM's version or label selector. */
    String selector() {
        return name + version.map(v -> ":" + v).or(() -> label.map(l -> ":" + l)).orElse("");
    }

    /** Names the parameter and its version or label for messages. */
    String describe() {
        return "parameter '" + name + "'" + version.map(v -> " version " + v).orElse("") + label.map(l -> " label " + l).orElse("");
    }
}
