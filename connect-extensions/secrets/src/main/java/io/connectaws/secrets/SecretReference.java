package io.connectaws.secrets;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;

/**
 * A reference to a Secrets Manager secret as Kafka hands it to the provider ({@code path}, {@code key}).
 * <pre>
 *   ${secretsmanager:NAME}                     the whole value
 *   ${secretsmanager:NAME:KEY}                 one key of a JSON secret
 *   ${secretsmanager:arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf}        whole value, by ARN
 *   ${secretsmanager:arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf:KEY}    one key, by ARN
 *   any of them followed by ?versionStage=AWSPREVIOUS | ?versionId=UUID | ?ttl=5m (joined with &amp;)
 * </pre>
 * Kafka's pattern stops the path at the first {@code :}, so an ARN arrives as path {@code arn} and the rest in the
 * key; secret names cannot contain {@code :}, so the seven ARN fields are unambiguous and what follows is the key.
 */
final class SecretReference {
    static final Set<String> OPTIONS = Set.of("versionStage", "versionId", "ttl");

    final String secretId;
    final Optional<String> jsonKey;
    final Optional<String> versionStage;
    final Optional<String> versionId;
    final Optional<Duration> ttl;
    final Optional<String> arnRegion;

    private SecretReference(String secretId, Optional<String> jsonKey, ReferenceOptions options, String where,
                            Optional<String> arnRegion) {
        this.secretId = secretId;
        this.jsonKey = jsonKey;
        this.versionStage = options.get("versionStage");
        this.versionId = options.get("versionId");
        this.ttl = options.duration("ttl", where);
        this.arnRegion = arnRegion;
        if (secretId.isBlank()) {
            throw new ConfigException(where + ": no secret name; write ${secretsmanager:NAME} or ${secretsmanager:NAME:KEY}");
        }
    }

    /** Parses what Kafka passed to {@code get(path, keys)} for one key. */
    static SecretReference parse(String path, String key) {
        String where = describe(path, key);
        String spec;
        String jsonKey;
        Optional<String> arnRegion = Optional.empty();
        if (path == null || path.isEmpty()) {
            spec = key;
            jsonKey = "";
        } else if (path.equals("arn")) {
            String[] parts = ("arn:" + key).split(":", -1);
            if (parts.length < 7 || !parts[2].equals("secretsmanager") || !parts[5].equals("secret")) {
                throw new ConfigException(where + ": not a Secrets Manager secret ARN; expected "
                        + "arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME[:KEY]");
            }
            spec = String.join(":", Arrays.copyOfRange(parts, 0, 7));
            jsonKey = String.join(":", Arrays.copyOfRange(parts, 7, parts.length));
            arnRegion = Optional.of(parts[3]);
        } else {
            spec = path;
            jsonKey = key;
        }
        ReferenceOptions onSecret = ReferenceOptions.split(spec, OPTIONS, where);
        ReferenceOptions onKey = ReferenceOptions.split(jsonKey, OPTIONS, where);
        ReferenceOptions options = onSecret.merge(onKey, where);
        if (options.get("versionStage").isPresent() && options.get("versionId").isPresent()) {
            throw new ConfigException(where + ": give versionStage or versionId, not both");
        }
        String k = onKey.base;
        return new SecretReference(onSecret.base, k.isEmpty() ? Optional.empty() : Optional.of(k), options, where, arnRegion);
    }

    /** The reference as it appears in a config, for messages (contains no value). */
    static String describe(String path, String key) {
        return "${secretsmanager:" + (path == null || path.isEmpty() ? "" : path + ":") + key + "}";
    }

    /** Secret and version: what one API call reads (several keys may share it). */
    String versionKey() {
        return secretId + "|" + versionStage.orElse("") + "|" + versionId.orElse("");
    }

    /** Names the secret, its version and key for error messages. */
    String describe() {
        StringBuilder s = new StringBuilder("secret '").append(secretId).append('\'');
        versionStage.ifPresent(v -> s.append(" (version stage ").append(v).append(')'));
        versionId.ifPresent(v -> s.append(" (version id ").append(v).append(')'));
        jsonKey.ifPresent(k -> s.append(" key '").append(k).append('\''));
        return s.toString();
    }
}
