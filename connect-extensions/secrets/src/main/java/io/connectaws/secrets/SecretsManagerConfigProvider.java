package io.connectaws.secrets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
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
public class SecretsManagerConfigProvider extends AwsConfigProvider<SecretsManagerClient> {
    private static final Logger log = LoggerFactory.getLogger(SecretsManagerConfigProvider.class);
    private static final String SERVICE = "Secrets Manager";

    /** A secret version as read: a string, or bytes for a binary secret. */
    private record SecretValue(String string, byte[] binary) {
        String text() {
            return string != null ? string : new String(binary, StandardCharsets.UTF_8);
        }

        String whole() {
            return string != null ? string : Base64.getEncoder().encodeToString(binary);
        }
    }

    public SecretsManagerConfigProvider() {
        super("secretsmanager", SERVICE, aws -> aws.build(SecretsManagerClient.builder()));
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

    /** A whole secret, a key of a JSON secret or an ARN remainder (see {@link SecretReference}). */
    @Override
    protected String resolve(String path, String key, boolean fresh) {
        SecretReference ref = SecretReference.parse(path, key);
        return extract(ref, read(ref, fresh));
    }

    @Override
    protected Optional<Duration> referenceTtl(String path, String key) {
        return SecretReference.parse(path, key).ttl;
    }

    private SecretValue read(SecretReference ref, boolean fresh) {
        return cached(ref.versionKey(), ref.arnRegion, ref.describe(), fresh, () -> fetch(ref));
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
