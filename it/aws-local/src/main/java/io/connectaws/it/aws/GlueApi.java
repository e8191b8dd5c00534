package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * AWS Glue Schema Registry over AWS JSON 1.1 ({@code X-Amz-Target: AWSGlue.<Action>}, signing name {@code glue}): the
 * operations the Glue serde calls (GetSchemaByDefinition, CreateSchema, RegisterSchemaVersion, GetSchemaVersion,
 * PutSchemaVersionMetadata) and CreateRegistry for a test's setup, shaped as in Glue's API model (required members,
 * patterns, {@code EntityNotFoundException}/{@code AlreadyExistsException}/{@code InvalidInputException}). AVRO only;
 * a new version's compatibility is checked by {@link GlueCompatibility} and, as in Glue, it is PENDING when registered
 * and AVAILABLE or FAILURE when next read. {@code default-registry} exists from the start. Guarded by this monitor.
 */
final class GlueApi {
    static final String TARGET_PREFIX = "AWSGlue.";
    static final String SIGNING_NAME = "glue";
    static final String DEFAULT_REGISTRY = "default-registry";
    /** The messages the serde matches to decide between CreateSchema and RegisterSchemaVersion. */
    static final String SCHEMA_NOT_FOUND = "Schema is not found.";
    static final String VERSION_NOT_FOUND = "Schema version is not found.";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-_$#.]+");
    private static final Pattern METADATA = Pattern.compile("[a-zA-Z0-9+-=._./@]+");
    private static final Pattern UUID_PATTERN =
        Pattern.compile("[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}");
    private static final int MAX_DEFINITION = 170_000;
    private static final int MAX_METADATA_PAIRS = 10;

    private static final class Registry {
        final String name;
        final String arn;
        final String description;
        final Map<String, SchemaEntry> schemas = new LinkedHashMap<>();

        Registry(String name, String arn, String description) {
            this.name = name;
            this.arn = arn;
            this.description = description;
        }
    }

    private static final class SchemaEntry {
        final Registry registry;
        final String name;
        final String arn;
        final String dataFormat;
        final GlueCompatibility compatibility;
        final String description;
        final JsonNode tags;
        final List<Version> versions = new ArrayList<>();

        SchemaEntry(Registry registry, String name, String arn, String dataFormat, GlueCompatibility compatibility,
                    String description, JsonNode tags) {
            this.registry = registry;
            this.name = name;
            this.arn = arn;
            this.dataFormat = dataFormat;
            this.compatibility = compatibility;
            this.description = description;
            this.tags = tags;
        }
    }

    private static final class Version {
        final SchemaEntry schema;
        final String id = UUID.randomUUID().toString();
        final long number;
        final String definition;
        final Schema parsed;
        final Instant created;
        /** AVAILABLE or FAILURE once the compatibility check is read; PENDING until then. */
        String status;
        final String outcome;
        final Map<String, Set<String>> metadata = new LinkedHashMap<>();

        Version(SchemaEntry schema, long number, String definition, Schema parsed, Instant created, String status,
                String outcome) {
            this.schema = schema;
            this.number = number;
            this.definition = definition;
            this.parsed = parsed;
            this.created = created;
            this.status = status;
            this.outcome = outcome;
        }

        Version settled() {
            status = outcome;
            return this;
        }
    }

    private final String region;
    private final Clock clock;
    private final Predicate<String> denied;
    private final Map<String, Registry> registries = new LinkedHashMap<>();
    private final Map<String, Version> versionsById = new LinkedHashMap<>();

    GlueApi(String region, Clock clock, Predicate<String> denied) {
        this.region = region;
        this.clock = clock;
        this.denied = denied;
        createRegistry(DEFAULT_REGISTRY, null);
    }

    // ---- wire actions ----

    synchronized ObjectNode handle(String action, JsonNode request) {
        if (denied.test("glue:" + action)) {
            throw ApiException.badRequest("AccessDeniedException", "User: " + LocalAws.BASE_ARN
                + " is not authorized to perform: glue:" + action);
        }
        switch (action) {
            case "CreateRegistry":
                return createRegistry(request);
            case "CreateSchema":
                return createSchema(request);
            case "GetSchemaByDefinition":
                return getSchemaByDefinition(request);
            case "RegisterSchemaVersion":
                return registerSchemaVersion(request);
            case "GetSchemaVersion":
                return getSchemaVersion(request);
            case "PutSchemaVersionMetadata":
                return putSchemaVersionMetadata(request);
            default:
                throw LocalAws.unknownOperation();
        }
    }

    private ObjectNode createRegistry(JsonNode request) {
        String name = name(request, "RegistryName");
        Registry registry = createRegistry(name, text(request, "Description"));
        ObjectNode out = LocalAws.JSON.createObjectNode().put("RegistryArn", registry.arn)
            .put("RegistryName", registry.name);
        if (registry.description != null) {
            out.put("Description", registry.description);
        }
        if (request.has("Tags")) {
            out.set("Tags", request.get("Tags"));
        }
        return out;
    }

    private Registry createRegistry(String name, String description) {
        if (registries.containsKey(name)) {
            throw ApiException.badRequest("AlreadyExistsException", "Registry already exists. RegistryName: " + name);
        }
        Registry registry = new Registry(name, "arn:aws:glue:" + region + ":" + LocalAws.ACCOUNT_ID + ":registry/"
            + name, description);
        registries.put(name, registry);
        return registry;
    }

    private ObjectNode createSchema(JsonNode request) {
        Registry registry = registry(request.path("RegistryId"));
        String name = name(request, "SchemaName");
        String dataFormat = dataFormat(request);
        GlueCompatibility compatibility = request.hasNonNull("Compatibility")
            ? GlueCompatibility.parse(request.get("Compatibility").asText()) : GlueCompatibility.BACKWARD;
        String definition = request.hasNonNull("SchemaDefinition") ? definition(request) : null;
        Schema parsed = definition == null ? null : GlueCompatibility.parseAvro(definition);
        if (registry.schemas.containsKey(name)) {
            throw ApiException.badRequest("AlreadyExistsException", "Schema already exists. SchemaName: " + name
                + ", RegistryName: " + registry.name);
        }
        SchemaEntry schema = new SchemaEntry(registry, name, "arn:aws:glue:" + region + ":" + LocalAws.ACCOUNT_ID
            + ":schema/" + registry.name + "/" + name, dataFormat, compatibility, text(request, "Description"),
            request.get("Tags"));
        registry.schemas.put(name, schema);
        Version first = definition == null ? null : addVersion(schema, definition, parsed, "AVAILABLE", "AVAILABLE");
        ObjectNode out = LocalAws.JSON.createObjectNode().put("RegistryName", registry.name)
            .put("RegistryArn", registry.arn).put("SchemaName", name).put("SchemaArn", schema.arn);
        if (schema.description != null) {
            out.put("Description", schema.description);
        }
        out.put("DataFormat", dataFormat).put("Compatibility", compatibility.name())
            .put("SchemaCheckpoint", 1).put("LatestSchemaVersion", first == null ? 0 : 1)
            .put("NextSchemaVersion", first == null ? 1 : 2).put("SchemaStatus", "AVAILABLE");
        if (schema.tags != null) {
            out.set("Tags", schema.tags);
        }
        if (first != null) {
            out.put("SchemaVersionId", first.id).put("SchemaVersionStatus", first.status);
        }
        return out;
    }

    private ObjectNode getSchemaByDefinition(JsonNode request) {
        JsonNode schemaId = required(request, "SchemaId");
        String definition = definition(request);
        SchemaEntry schema = schema(schemaId);
        Version version = find(schema, GlueCompatibility.parseAvro(definition));
        if (version == null) {
            throw notFound(VERSION_NOT_FOUND);
        }
        version.settled();
        return LocalAws.JSON.createObjectNode().put("SchemaVersionId", version.id).put("SchemaArn", schema.arn)
            .put("DataFormat", schema.dataFormat).put("Status", version.status)
            .put("CreatedTime", version.created.toString());
    }

    private ObjectNode registerSchemaVersion(JsonNode request) {
        JsonNode schemaId = required(request, "SchemaId");
        String definition = definition(request);
        SchemaEntry schema = schema(schemaId);
        Schema parsed = GlueCompatibility.parseAvro(definition);
        schema.versions.forEach(Version::settled);
        Version version = find(schema, parsed);
        if (version == null) {
            if (schema.compatibility == GlueCompatibility.DISABLED) {
                throw ApiException.badRequest("InvalidInputException", "Compatibility DISABLED does not allow "
                    + "versioning. SchemaId: SchemaId(schemaName=" + schema.name + ", registryName="
                    + schema.registry.name + ")");
            }
            List<Schema> earlier = schema.versions.stream().filter(v -> "AVAILABLE".equals(v.status))
                .map(v -> v.parsed).toList();
            String why = schema.compatibility.incompatibility(parsed, earlier);
            version = addVersion(schema, definition, parsed, "PENDING", why == null ? "AVAILABLE" : "FAILURE");
        }
        return LocalAws.JSON.createObjectNode().put("SchemaVersionId", version.id)
            .put("VersionNumber", version.number).put("Status", version.status);
    }

    private ObjectNode getSchemaVersion(JsonNode request) {
        Version version = version(request).settled();
        return LocalAws.JSON.createObjectNode().put("SchemaVersionId", version.id)
            .put("SchemaDefinition", version.definition).put("DataFormat", version.schema.dataFormat)
            .put("SchemaArn", version.schema.arn).put("VersionNumber", version.number)
            .put("Status", version.status).put("CreatedTime", version.created.toString());
    }

    private ObjectNode putSchemaVersionMetadata(JsonNode request) {
        JsonNode pair = required(request, "MetadataKeyValue");
        String key = metadata(pair, "MetadataKey", 128);
        String value = metadata(pair, "MetadataValue", 256);
        Version version = version(request);
        Set<String> values = version.metadata.get(key);
        if (values != null && values.contains(value)) {
            throw ApiException.badRequest("AlreadyExistsException", "Resource already exist for schema version id: "
                + version.id + ", metadata key: " + key + ", metadata value: " + value);
        }
        if (values == null && version.metadata.size() >= MAX_METADATA_PAIRS) {
            throw ApiException.badRequest("ResourceNumberLimitExceededException", "Your resource limits for "
                + "metadata keys per schema version (" + MAX_METADATA_PAIRS + ") have been exceeded.");
        }
        version.metadata.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
        SchemaEntry schema = version.schema;
        Version latest = schema.versions.get(schema.versions.size() - 1);
        return LocalAws.JSON.createObjectNode().put("SchemaArn", schema.arn).put("SchemaName", schema.name)
            .put("RegistryName", schema.registry.name).put("LatestVersion", latest == version)
            .put("VersionNumber", version.number).put("SchemaVersionId", version.id)
            .put("MetadataKey", key).put("MetadataValue", value);
    }

    // ---- state ----

    private Version addVersion(SchemaEntry schema, String definition, Schema parsed, String status, String outcome) {
        Version version = new Version(schema, schema.versions.size() + 1L, definition, parsed, clock.instant(),
            status, outcome);
        schema.versions.add(version);
        versionsById.put(version.id, version);
        return version;
    }

    private static Version find(SchemaEntry schema, Schema parsed) {
        for (Version v : schema.versions) {
            if (v.parsed.equals(parsed)) {
                return v;
            }
        }
        return null;
    }

    /** A version by {@code SchemaVersionId}, or by {@code SchemaId} and {@code SchemaVersionNumber}. */
    private Version version(JsonNode request) {
        boolean byId = request.hasNonNull("SchemaVersionId");
        boolean bySchema = request.hasNonNull("SchemaId");
        if (byId == bySchema) {
            throw ApiException.badRequest("InvalidInputException", "Either SchemaVersionId or SchemaId and "
                + "SchemaVersionNumber must be provided, not both.");
        }
        if (byId) {
            String id = request.get("SchemaVersionId").asText();
            if (!UUID_PATTERN.matcher(id).matches()) {
                throw ApiException.badRequest("InvalidInputException", "1 validation error detected: Value '" + id
                    + "' at 'schemaVersionId' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: " + UUID_PATTERN.pattern());
            }
            Version version = versionsById.get(id);
            if (version == null) {
                throw notFound(VERSION_NOT_FOUND);
            }
            return version;
        }
        SchemaEntry schema = schema(request.get("SchemaId"));
        JsonNode number = required(request, "SchemaVersionNumber");
        boolean latest = number.path("LatestVersion").asBoolean(false);
        boolean numbered = number.hasNonNull("VersionNumber");
        if (latest == numbered) {
            throw ApiException.badRequest("InvalidInputException", "Exactly one of LatestVersion (true) or "
                + "VersionNumber must be provided in SchemaVersionNumber.");
        }
        schema.versions.forEach(Version::settled);
        Version found = null;
        for (Version v : schema.versions) {
            if (latest ? "AVAILABLE".equals(v.status) : v.number == number.get("VersionNumber").asLong()) {
                found = v;
            }
        }
        if (found == null) {
            throw notFound(VERSION_NOT_FOUND);
        }
        return found;
    }

    /** A schema by {@code SchemaArn}, or by {@code SchemaName} and {@code RegistryName} (default-registry). */
    private SchemaEntry schema(JsonNode schemaId) {
        boolean byArn = schemaId.hasNonNull("SchemaArn");
        boolean byName = schemaId.hasNonNull("SchemaName");
        if (byArn == byName) {
            throw ApiException.badRequest("InvalidInputException", "Either SchemaArn or SchemaName (with "
                + "RegistryName) must be provided in SchemaId, not both.");
        }
        if (byArn) {
            String arn = schemaId.get("SchemaArn").asText();
            for (Registry registry : registries.values()) {
                for (SchemaEntry schema : registry.schemas.values()) {
                    if (schema.arn.equals(arn)) {
                        return schema;
                    }
                }
            }
            throw notFound(SCHEMA_NOT_FOUND);
        }
        String name = name(schemaId, "SchemaName");
        String registryName = schemaId.hasNonNull("RegistryName") ? name(schemaId, "RegistryName")
            : DEFAULT_REGISTRY;
        Registry registry = registries.get(registryName);
        SchemaEntry schema = registry == null ? null : registry.schemas.get(name);
        if (schema == null) {
            throw notFound(SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    private Registry registry(JsonNode registryId) {
        boolean byArn = registryId.hasNonNull("RegistryArn");
        boolean byName = registryId.hasNonNull("RegistryName");
        if (byArn && byName) {
            throw ApiException.badRequest("InvalidInputException", "Either RegistryArn or RegistryName must be "
                + "provided in RegistryId, not both.");
        }
        if (byArn) {
            String arn = registryId.get("RegistryArn").asText();
            for (Registry registry : registries.values()) {
                if (registry.arn.equals(arn)) {
                    return registry;
                }
            }
            throw notFound("Registry is not found. RegistryArn: " + arn);
        }
        String name = byName ? name(registryId, "RegistryName") : DEFAULT_REGISTRY;
        Registry registry = registries.get(name);
        if (registry == null) {
            throw notFound("Registry is not found. RegistryName: " + name);
        }
        return registry;
    }

    // ---- input checks, worded as Glue's validation errors ----

    private static JsonNode required(JsonNode request, String member) {
        JsonNode node = request.get(member);
        if (node == null || node.isNull()) {
            throw missing(member);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("SerializationException", "Start of structure or map found where not "
                + "expected: " + member);
        }
        return node;
    }

    private static String name(JsonNode request, String member) {
        String value = text(request, member);
        if (value == null) {
            throw missing(member);
        }
        if (value.length() > 255 || !NAME.matcher(value).matches()) {
            throw invalid(value, member, "regular expression pattern: " + NAME.pattern() + " and length 1-255");
        }
        return value;
    }

    private static String dataFormat(JsonNode request) {
        String value = text(request, "DataFormat");
        if (value == null) {
            throw missing("DataFormat");
        }
        if (!List.of("AVRO", "JSON", "PROTOBUF").contains(value)) {
            throw invalid(value, "DataFormat", "enum value set: [AVRO, JSON, PROTOBUF]");
        }
        if (!"AVRO".equals(value)) {
            throw ApiException.badRequest("InvalidInputException", "local-aws: DataFormat " + value
                + " is not supported here, only AVRO");
        }
        return value;
    }

    private static String definition(JsonNode request) {
        String value = text(request, "SchemaDefinition");
        if (value == null) {
            throw missing("SchemaDefinition");
        }
        if (value.isBlank() || value.length() > MAX_DEFINITION) {
            throw invalid("...", "SchemaDefinition", "length 1-" + MAX_DEFINITION + " with a non-blank character");
        }
        return value;
    }

    private static String metadata(JsonNode pair, String member, int max) {
        String value = text(pair, member);
        if (value == null) {
            throw missing("MetadataKeyValue." + member);
        }
        if (value.length() > max || !METADATA.matcher(value).matches()) {
            throw invalid(value, member, "regular expression pattern: " + METADATA.pattern() + " and length 1-" + max);
        }
        return value;
    }

    private static String text(JsonNode request, String member) {
        JsonNode node = request.get(member);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static ApiException missing(String member) {
        return ApiException.badRequest("InvalidInputException", "1 validation error detected: Value null at '"
            + lowerFirst(member) + "' failed to satisfy constraint: Member must not be null");
    }

    private static ApiException invalid(String value, String member, String constraint) {
        return ApiException.badRequest("InvalidInputException", "1 validation error detected: Value '" + value
            + "' at '" + lowerFirst(member) + "' failed to satisfy constraint: Member must satisfy " + constraint);
    }

    private static ApiException notFound(String message) {
        return ApiException.badRequest("EntityNotFoundException", message);
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
