package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * AWS Secrets Manager over AWS JSON 1.1 ({@code X-Amz-Target: secretsmanager.<Action>}): GetSecretValue, CreateSecret,
 * PutSecretValue, UpdateSecretVersionStage. State is guarded by this object's monitor.
 */
final class SecretsManagerApi {
    static final String TARGET_PREFIX = "secretsmanager.";
    static final String SIGNING_NAME = "secretsmanager";
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private static final class Version {
        final String id;
        final String string;
        final byte[] binary;
        final Instant created;
        final Set<String> stages = new LinkedHashSet<>();

        Version(String id, String string, byte[] binary, Instant created) {
            this.id = id;
            this.string = string;
            this.binary = binary;
            this.created = created;
        }
    }

    private static final class Secret {
        final String name;
        final String arn;
        final Map<String, Version> versions = new LinkedHashMap<>();

        Secret(String name, String arn) {
            this.name = name;
            this.arn = arn;
        }

        Version withStage(String stage) {
            return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
        }
    }

    private final String region;
    private final Clock clock;
    private final Predicate<String> denied;
    private final Map<String, Secret> byName = new LinkedHashMap<>();

    SecretsManagerApi(String region, Clock clock, Predicate<String> denied) {
        this.region = region;
        this.clock = clock;
        this.denied = denied;
    }

    // ---- state, used by LocalAws's public methods and by the wire actions ----

    synchronized String create(String name, String string, byte[] binary, String versionId) {
        if (byName.containsKey(name)) {
            throw ApiException.badRequest("ResourceExistsException",
                "The operation failed because the secret " + name + " already exists.");
        }
        String arn = "arn:aws:secretsmanager:" + region + ":" + LocalAws.ACCOUNT_ID + ":secret:" + name + "-"
            + randomSuffix();
        Secret secret = new Secret(name, arn);
        byName.put(name, secret);
        if (string != null || binary != null) {
            addVersion(secret, versionId, string, binary, List.of(CURRENT));
        }
        return arn;
    }

    synchronized String put(String name, String string, byte[] binary, String versionId, List<String> stages) {
        Secret secret = byName.get(name);
        if (secret == null) {
            throw notFound();
        }
        return addVersion(secret, versionId, string, binary, stages).id;
    }

    synchronized String arn(String name) {
        Secret secret = byName.get(name);
        return secret == null ? null : secret.arn;
    }

    // ---- wire actions ----

    synchronized ObjectNode handle(String action, JsonNode request, SigV4Verifier.Identity caller) {
        switch (action) {
            case "GetSecretValue":
                return getSecretValue(request, caller);
            case "CreateSecret":
                return createSecret(request, caller);
            case "PutSecretValue":
                return putSecretValue(request, caller);
            case "UpdateSecretVersionStage":
                return updateSecretVersionStage(request, caller);
            default:
                throw LocalAws.unknownOperation();
        }
    }

    private ObjectNode getSecretValue(JsonNode request, SigV4Verifier.Identity caller) {
        Secret secret = resolve(text(request, "SecretId", true), "GetSecretValue", caller);
        String versionId = text(request, "VersionId", false);
        String stage = text(request, "VersionStage", false);
        Version version;
        if (versionId != null) {
            version = secret.versions.get(versionId);
            if (version == null || (stage != null && !version.stages.contains(stage))) {
                throw ApiException.badRequest("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
            }
        } else {
            String wanted = stage == null ? CURRENT : stage;
            version = secret.withStage(wanted);
            if (version == null) {
                throw ApiException.badRequest("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for staging label: " + wanted);
            }
        }
        ObjectNode out = LocalAws.JSON.createObjectNode()
            .put("ARN", secret.arn)
            .put("Name", secret.name)
            .put("VersionId", version.id);
        if (version.string != null) {
            out.put("SecretString", version.string);
        } else {
            out.put("SecretBinary", Base64.getEncoder().encodeToString(version.binary));
        }
        ArrayNode stages = out.putArray("VersionStages");
        version.stages.forEach(stages::add);
        out.put("CreatedDate", epochSeconds(version.created));
        return out;
    }

    private ObjectNode createSecret(JsonNode request, SigV4Verifier.Identity caller) {
        String name = text(request, "Name", true);
        checkAccess(name, name, "CreateSecret", caller);
        String string = text(request, "SecretString", false);
        byte[] binary = binary(request);
        String versionId = text(request, "ClientRequestToken", false);
        String arn = create(name, string, binary, versionId);
        ObjectNode out = LocalAws.JSON.createObjectNode().put("ARN", arn).put("Name", name);
        Version current = byName.get(name).withStage(CURRENT);
        if (current != null) {
            out.put("VersionId", current.id);
        }
        return out;
    }

    private ObjectNode putSecretValue(JsonNode request, SigV4Verifier.Identity caller) {
        Secret secret = resolve(text(request, "SecretId", true), "PutSecretValue", caller);
        String string = text(request, "SecretString", false);
        byte[] binary = binary(request);
        if (string == null && binary == null) {
            throw ApiException.badRequest("InvalidRequestException",
                "You must provide either SecretString or SecretBinary.");
        }
        List<String> stages = null;
        if (request.hasNonNull("VersionStages")) {
            stages = new ArrayList<>();
            for (JsonNode s : request.get("VersionStages")) {
                stages.add(s.asText());
            }
        }
        Version version = addVersion(secret, text(request, "ClientRequestToken", false), string, binary, stages);
        ObjectNode out = LocalAws.JSON.createObjectNode()
            .put("ARN", secret.arn)
            .put("Name", secret.name)
            .put("VersionId", version.id);
        ArrayNode outStages = out.putArray("VersionStages");
        version.stages.forEach(outStages::add);
        return out;
    }

    private ObjectNode updateSecretVersionStage(JsonNode request, SigV4Verifier.Identity caller) {
        Secret secret = resolve(text(request, "SecretId", true), "UpdateSecretVersionStage", caller);
        String stage = text(request, "VersionStage", true);
        String removeFrom = text(request, "RemoveFromVersionId", false);
        String moveTo = text(request, "MoveToVersionId", false);
        Version holder = secret.withStage(stage);
        if (moveTo != null && !secret.versions.containsKey(moveTo)) {
            throw ApiException.badRequest("ResourceNotFoundException",
                "Secrets Manager can't find the specified secret value for VersionId: " + moveTo);
        }
        if (holder != null && !holder.id.equals(moveTo) && !holder.id.equals(removeFrom)) {
            throw ApiException.badRequest("InvalidParameterException", "The staging label " + stage
                + " is currently attached to version " + holder.id
                + ", so you must explicitly reference that version in RemoveFromVersionId.");
        }
        if (removeFrom != null && (holder == null || !holder.id.equals(removeFrom))) {
            throw ApiException.badRequest("InvalidParameterException", "The staging label " + stage
                + " is not attached to version " + removeFrom + ".");
        }
        if (moveTo != null) {
            moveStage(secret, stage, secret.versions.get(moveTo));
        } else if (holder != null) {
            holder.stages.remove(stage);
        }
        return LocalAws.JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    // ---- helpers ----

    /** SecretId is a name, a full ARN, or an ARN without the 6-character random suffix. */
    private Secret resolve(String secretId, String action, SigV4Verifier.Identity caller) {
        Secret secret = byName.get(secretId);
        if (secret == null && secretId.startsWith("arn:")) {
            String prefix = "arn:aws:secretsmanager:" + region + ":" + LocalAws.ACCOUNT_ID + ":secret:";
            for (Secret s : byName.values()) {
                if (s.arn.equals(secretId) || (secretId.startsWith(prefix)
                                               && s.name.equals(secretId.substring(prefix.length())))) {
                    secret = s;
                    break;
                }
            }
        }
        checkAccess(secretId, secret == null ? null : secret.name, action, caller);
        if (secret == null) {
            throw notFound();
        }
        return secret;
    }

    private void checkAccess(String secretId, String name, String action, SigV4Verifier.Identity caller) {
        if (denied.test(secretId) || (name != null && denied.test(name))) {
            throw ApiException.badRequest("AccessDeniedException", "User: " + caller.arn()
                + " is not authorized to perform: secretsmanager:" + action + " on resource: " + secretId
                + " because no identity-based policy allows the secretsmanager:" + action + " action");
        }
    }

    private Version addVersion(Secret secret, String versionId, String string, byte[] binary, List<String> stages) {
        if (string != null && binary != null) {
            throw ApiException.badRequest("InvalidParameterException",
                "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        String id = versionId == null ? UUID.randomUUID().toString() : versionId;
        Version existing = secret.versions.get(id);
        if (existing != null) {
            // ClientRequestToken is the idempotency token: a retry with the same value is a no-op.
            if (Objects.equals(existing.string, string) && Arrays.equals(existing.binary, binary)) {
                return existing;
            }
            throw ApiException.badRequest("ResourceExistsException",
                "You can't modify an existing version, you can only create a new version.");
        }
        Version version = new Version(id, string, binary, clock.instant());
        secret.versions.put(id, version);
        for (String stage : stages == null ? List.of(CURRENT) : stages) {
            moveStage(secret, stage, version);
        }
        return version;
    }

    /** Attaches {@code stage} to {@code target}; moving AWSCURRENT leaves AWSPREVIOUS on the version that had it. */
    private static void moveStage(Secret secret, String stage, Version target) {
        Version holder = secret.withStage(stage);
        if (holder == target) {
            return;
        }
        if (holder != null) {
            holder.stages.remove(stage);
        }
        target.stages.add(stage);
        if (CURRENT.equals(stage) && holder != null) {
            moveStage(secret, PREVIOUS, holder);
        }
    }

    private static ApiException notFound() {
        return ApiException.badRequest("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private static byte[] binary(JsonNode request) {
        String b64 = text(request, "SecretBinary", false);
        if (b64 == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("SerializationException", "SecretBinary is not valid base64.");
        }
    }

    static String text(JsonNode request, String field, boolean required) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("ValidationException", "1 validation error detected: Value null at '"
                    + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                    + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        return node.asText();
    }

    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static String randomSuffix() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(6);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
