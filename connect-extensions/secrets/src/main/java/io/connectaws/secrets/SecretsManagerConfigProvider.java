package io.connectaws.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Resolves {@code ${secretsmanager:NAME[:KEY]}} and ARN references from AWS Secrets Manager with the worker's AWS
 * credentials (on ECS, the task role). See {@link SecretReference} for the syntax and the module README for the
 * parameters, permissions and rotation.
 */
public class SecretsManagerConfigProvider implements ConfigProvider, RotatableConfigProvider {
    private static final Logger log = LoggerFactory.getLogger(SecretsManagerConfigProvider.class);
    private static final String SERVICE = "Secrets Manager";

    private ProviderSettings settings;
    private AwsClients aws;
    private SecretsManagerClient client;

    /** A secret version as read: a string, or bytes for a binary secret. */
    private record SecretValue(String string, byte[] binary) {
        String text() {
            return string != null ? string : new String(binary, StandardCharsets.UTF_8);
        }

        String whole() {
            return string != null ? string : Base64.getEncoder().encodeToString(binary);
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        configure(configs, System.getenv());
    }

    void configure(Map<String, ?> configs, Map<String, String> env) {
        this.settings = ProviderSettings.parse("secretsmanager", configs, env);
        log.info("Secrets Manager config provider: region {}{}{}, cache {}, rotation checks {}", settings.regionName(),
                settings.endpoint.map(e -> ", endpoint " + e).orElse(""),
                settings.roleArn.map(r -> ", assuming " + r).orElse(""), Durations.format(settings.cacheTtl),
                settings.rotationCheckInterval.map(Durations::format).map(d -> "every " + d).orElse("off"));
    }

    /** All keys of the JSON secret named by {@code path}. */
    @Override
    public ConfigData get(String path) {
        SecretReference ref = SecretReference.parse("", path);
        JsonNode json = parseObject(ref, read(ref, false));
        Map<String, String> data = new HashMap<>();
        json.asObject().forEach((k, v) -> data.put(k, scalar(v)));
        return new ConfigData(data);
    }

    /** The requested keys; each is a whole secret, a key of a JSON secret or an ARN remainder (see {@link SecretReference}). */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            SecretReference ref = SecretReference.parse(path, key);
            String value = extract(ref, read(ref, false));
            SharedValues.served(referenceKey(path, key), value);
            data.put(key, value);
        }
        // No TTL for Kafka: its reload restarts the connector on every expiry whether or not the value changed, and
        // never the tasks. The rotation monitor re-reads instead and restarts connector and tasks only on a change.
        return new ConfigData(data);
    }

    @Override
    public Optional<Duration> rotationCheckInterval(String path, String key) {
        return SecretReference.parse(path, key).ttl.or(() -> settings.rotationCheckInterval);
    }

    @Override
    public String freshFingerprint(String path, String key) {
        SecretReference ref = SecretReference.parse(path, key);
        return SharedValues.fingerprint(extract(ref, read(ref, true)));
    }

    @Override
    public Optional<String> servedFingerprint(String path, String key) {
        return SharedValues.servedFingerprint(referenceKey(path, key));
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
        if (aws != null) aws.close();
        client = null;
        aws = null;
    }

    /** The client, created at first use so that a worker without AWS settings starts when it references nothing. */
    private synchronized SecretsManagerClient client() {
        if (client == null) {
            settings.region(); // fails with the fix in the message
            aws = new AwsClients(settings);
            client = aws.build(SecretsManagerClient.builder());
        }
        return client;
    }

    private String referenceKey(String path, String key) {
        return settings.identity() + "\u0000" + path + "\u0000" + key;
    }

    private SecretValue read(SecretReference ref, boolean fresh) {
        ref.arnRegion.filter(r -> !r.equals(settings.regionName())).ifPresent(r -> {
            throw new ConfigException("The ARN of " + ref.describe() + " is in region " + r + " but this provider reads "
                    + settings.regionName() + "; configure a second provider with param.region=" + r + " for it");
        });
        String cacheKey = settings.identity() + "\u0000" + ref.versionKey();
        return fresh ? SharedValues.refresh(cacheKey, () -> fetch(ref))
                : SharedValues.get(cacheKey, settings.cacheTtl, () -> fetch(ref));
    }

    private SecretValue fetch(SecretReference ref) {
        GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(ref.secretId);
        ref.versionStage.ifPresent(request::versionStage);
        ref.versionId.ifPresent(request::versionId);
        String what = "secret '" + ref.secretId + "'" + ref.versionStage.map(s -> " version stage " + s).orElse("")
                + ref.versionId.map(s -> " version id " + s).orElse("");
        try {
            GetSecretValueResponse response = client().getSecretValue(request.build());
            log.debug("Read {} (version {}) from Secrets Manager", what, response.versionId());
            if (response.secretString() != null) return new SecretValue(response.secretString(), null);
            if (response.secretBinary() != null) return new SecretValue(null, response.secretBinary().asByteArray());
            throw new ConfigException(what + " has neither a string nor a binary value");
        } catch (ResourceNotFoundException e) {
            throw new ConfigException("Secrets Manager has no " + what + " in " + settings.regionName() + " (ResourceNotFoundException):"
                    + " check the name or ARN, the version, and that the secret lives in this region and account");
        } catch (DecryptionFailureException e) {
            throw new ConfigException("Secrets Manager could not decrypt " + what + ": the role needs kms:Decrypt on the"
                    + " secret's KMS key. AWS said: " + e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw AwsErrors.translate(e, SERVICE, what, settings.regionName(), settings.maxAttempts,
                    "the task role needs secretsmanager:GetSecretValue on the secret's ARN (and kms:Decrypt if it uses a"
                            + " customer managed key)");
        }
    }

    private static String extract(SecretReference ref, SecretValue value) {
        if (ref.jsonKey.isEmpty()) return value.whole();
        JsonNode json = parseObject(ref, value);
        JsonNode v = json.asObject().get(ref.jsonKey.get());
        if (v == null) {
            throw new ConfigException("The " + ref.describe() + " does not exist; the secret's keys are "
                    + new TreeSet<>(json.asObject().keySet()) + ". Reference the whole value without a key, or fix the key");
        }
        if (v.isNull() || v.isObject() || v.isArray()) {
            throw new ConfigException("The " + ref.describe() + " is " + (v.isNull() ? "null" : "not a string, number or boolean")
                    + "; reference a key whose value is text");
        }
        return scalar(v);
    }

    private static JsonNode parseObject(SecretReference ref, SecretValue value) {
        JsonNode json;
        try {
            json = JsonNode.parser().parse(value.text());
        } catch (RuntimeException e) {
            // The parser's message quotes the input, which is the secret: never pass it on.
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ConfigException("The " + ref.describe() + " cannot be read: the secret is not a JSON object, so it"
                    + " has no keys. Reference the whole value as ${secretsmanager:" + ref.secretId + "} instead");
        }
        return json;
    }

    private static String scalar(JsonNode v) {
        if (v.isString()) return v.asString();
        if (v.isNumber()) return v.asNumber();
        if (v.isBoolean()) return Boolean.toString(v.asBoolean());
        return v.toString();
    }
}
