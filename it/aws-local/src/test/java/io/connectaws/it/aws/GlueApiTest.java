package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Glue Schema Registry's actions as the wire delivers them (request JSON in, response JSON or an AWS error out):
 * the answers the Glue serde branches on, and the compatibility modes on the two evolutions Debezium makes (a column
 * added with a default, a column dropped).
 */
class GlueApiTest {
    private static final String V1 = record("");
    private static final String WITH_DEFAULT = record(",{\"name\":\"email\",\"type\":\"string\",\"default\":\"\"}");
    private static final String WITHOUT_DEFAULT = record(",{\"name\":\"email\",\"type\":\"string\"}");
    private static final String WITHOUT_NAME = "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"db.public.c\","
        + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}";

    private final Set<String> denied = new HashSet<>();
    private final GlueApi glue = new GlueApi("eu-west-1", Clock.systemUTC(), denied::contains);

    private static String record(String extra) {
        return "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"db.public.c\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"string\"}" + extra + "]}";
    }

    private ObjectNode call(String action, String json) throws Exception {
        return glue.handle(action, LocalAws.JSON.readTree(json));
    }

    private static String schemaId(String schema) {
        return "\"SchemaId\":{\"SchemaName\":\"" + schema + "\",\"RegistryName\":\"cdc\"}";
    }

    private static String definition(String avro) {
        return LocalAws.JSON.getNodeFactory().textNode(avro).toString();
    }

    private ApiException error(String action, String json) {
        try {
            call(action, json);
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(action + " did not fail");
    }

    private void create(String schema, String compatibility, String avro) throws Exception {
        call("CreateSchema", "{\"RegistryId\":{\"RegistryName\":\"cdc\"},\"SchemaName\":\"" + schema + "\","
            + "\"DataFormat\":\"AVRO\",\"Compatibility\":\"" + compatibility + "\",\"SchemaDefinition\":"
            + definition(avro) + "}");
    }

    /** Registers {@code avro} and reads the version back as the serde does: the status after the check. */
    private String register(String schema, String avro) throws Exception {
        JsonNode registered = call("RegisterSchemaVersion", "{" + schemaId(schema) + ",\"SchemaDefinition\":"
            + definition(avro) + "}");
        return call("GetSchemaVersion", "{\"SchemaVersionId\":\"" + registered.path("SchemaVersionId").asText()
            + "\"}").path("Status").asText();
    }

    @Test
    void theSerdesPathFromUnknownSchemaToSecondVersion() throws Exception {
        call("CreateRegistry", "{\"RegistryName\":\"cdc\"}");
        ApiException unknown = error("GetSchemaByDefinition", "{" + schemaId("orders") + ",\"SchemaDefinition\":"
            + definition(V1) + "}");
        assertThat(unknown.code).isEqualTo("EntityNotFoundException");
        assertThat(unknown.getMessage()).isEqualTo(GlueApi.SCHEMA_NOT_FOUND);

        JsonNode created = call("CreateSchema", "{\"RegistryId\":{\"RegistryName\":\"cdc\"},\"SchemaName\":\"orders\","
            + "\"DataFormat\":\"AVRO\",\"Compatibility\":\"BACKWARD\",\"SchemaDefinition\":" + definition(V1) + "}");
        assertThat(created.path("SchemaArn").asText()).isEqualTo("arn:aws:glue:eu-west-1:123456789012:schema/cdc/orders");
        assertThat(created.path("RegistryArn").asText()).isEqualTo("arn:aws:glue:eu-west-1:123456789012:registry/cdc");
        assertThat(created.path("SchemaVersionStatus").asText()).isEqualTo("AVAILABLE");
        assertThat(created.path("LatestSchemaVersion").asLong()).isEqualTo(1);
        String v1 = created.path("SchemaVersionId").asText();

        JsonNode found = call("GetSchemaByDefinition", "{" + schemaId("orders") + ",\"SchemaDefinition\":"
            + definition(V1) + "}");
        assertThat(found.path("SchemaVersionId").asText()).isEqualTo(v1);
        assertThat(found.path("Status").asText()).isEqualTo("AVAILABLE");

        ApiException newDefinition = error("GetSchemaByDefinition", "{" + schemaId("orders") + ",\"SchemaDefinition\":"
            + definition(WITH_DEFAULT) + "}");
        assertThat(newDefinition.getMessage()).isEqualTo(GlueApi.VERSION_NOT_FOUND);

        JsonNode registered = call("RegisterSchemaVersion", "{" + schemaId("orders") + ",\"SchemaDefinition\":"
            + definition(WITH_DEFAULT) + "}");
        assertThat(registered.path("Status").asText()).isEqualTo("PENDING");
        assertThat(registered.path("VersionNumber").asLong()).isEqualTo(2);
        JsonNode v2 = call("GetSchemaVersion", "{\"SchemaVersionId\":\"" + registered.path("SchemaVersionId").asText()
            + "\"}");
        assertThat(v2.path("Status").asText()).isEqualTo("AVAILABLE");
        assertThat(v2.path("SchemaDefinition").asText()).isEqualTo(WITH_DEFAULT);
        assertThat(v2.path("DataFormat").asText()).isEqualTo("AVRO");

        // the same definition again is the same version, and the latest is version 2
        assertThat(call("RegisterSchemaVersion", "{" + schemaId("orders") + ",\"SchemaDefinition\":"
            + definition(WITH_DEFAULT) + "}").path("SchemaVersionId").asText())
            .isEqualTo(registered.path("SchemaVersionId").asText());
        assertThat(call("GetSchemaVersion", "{" + schemaId("orders") + ",\"SchemaVersionNumber\":{\"LatestVersion\":"
            + "true}}").path("VersionNumber").asLong()).isEqualTo(2);

        JsonNode metadata = call("PutSchemaVersionMetadata", "{\"SchemaVersionId\":\"" + v1 + "\",\"MetadataKeyValue\":"
            + "{\"MetadataKey\":\"x-amz-meta-transport\",\"MetadataValue\":\"db.public.orders\"}}");
        assertThat(metadata.path("LatestVersion").asBoolean()).isFalse();
        assertThat(metadata.path("VersionNumber").asLong()).isEqualTo(1);
        assertThat(error("PutSchemaVersionMetadata", "{\"SchemaVersionId\":\"" + v1 + "\",\"MetadataKeyValue\":"
            + "{\"MetadataKey\":\"x-amz-meta-transport\",\"MetadataValue\":\"db.public.orders\"}}").code)
            .isEqualTo("AlreadyExistsException");
    }

    @Test
    void backwardTakesAColumnWithADefaultAndRefusesOneWithout() throws Exception {
        call("CreateRegistry", "{\"RegistryName\":\"cdc\"}");
        create("backward", "BACKWARD", V1);
        assertThat(register("backward", WITHOUT_DEFAULT)).isEqualTo("FAILURE");
        assertThat(register("backward", WITH_DEFAULT)).isEqualTo("AVAILABLE");
        // dropping a field is backward compatible: the new reader ignores it
        assertThat(register("backward", WITHOUT_NAME)).isEqualTo("AVAILABLE");
    }

    @Test
    void forwardFullAndNone() throws Exception {
        call("CreateRegistry", "{\"RegistryName\":\"cdc\"}");
        create("forward", "FORWARD", V1);
        // the old reader cannot fill 'name' (no default) from data written without it
        assertThat(register("forward", WITHOUT_NAME)).isEqualTo("FAILURE");
        assertThat(register("forward", WITHOUT_DEFAULT)).isEqualTo("AVAILABLE");

        create("full", "FULL", V1);
        assertThat(register("full", WITHOUT_DEFAULT)).isEqualTo("FAILURE");
        assertThat(register("full", WITH_DEFAULT)).isEqualTo("AVAILABLE");

        create("none", "NONE", V1);
        assertThat(register("none", WITHOUT_NAME)).isEqualTo("AVAILABLE");
        assertThat(register("none", WITHOUT_DEFAULT)).isEqualTo("AVAILABLE");

        create("disabled", "DISABLED", V1);
        ApiException disabled = error("RegisterSchemaVersion", "{" + schemaId("disabled") + ",\"SchemaDefinition\":"
            + definition(WITH_DEFAULT) + "}");
        assertThat(disabled.code).isEqualTo("InvalidInputException");
        assertThat(disabled.getMessage()).contains("DISABLED");
    }

    @Test
    void theAllModesCheckEveryAvailableVersionNotOnlyTheLast() throws Exception {
        call("CreateRegistry", "{\"RegistryName\":\"cdc\"}");
        String nameAsIntWithDefault = "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"db.public.c\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"int\",\"default\":0}]}";
        for (String mode : new String[] {"BACKWARD", "BACKWARD_ALL"}) {
            create(mode, mode, V1);
            assertThat(register(mode, WITHOUT_NAME)).isEqualTo("AVAILABLE");
        }
        // readable from version 2's data (name takes its default) but not from version 1's (a string is no int)
        assertThat(register("BACKWARD", nameAsIntWithDefault)).isEqualTo("AVAILABLE");
        assertThat(register("BACKWARD_ALL", nameAsIntWithDefault)).isEqualTo("FAILURE");
    }

    @Test
    void errorsNameTheProblem() throws Exception {
        ApiException noRegistry = error("CreateSchema", "{\"RegistryId\":{\"RegistryName\":\"missing\"},"
            + "\"SchemaName\":\"s\",\"DataFormat\":\"AVRO\",\"SchemaDefinition\":" + definition(V1) + "}");
        assertThat(noRegistry.code).isEqualTo("EntityNotFoundException");
        assertThat(noRegistry.getMessage()).contains("missing");

        assertThat(error("CreateSchema", "{\"SchemaName\":\"s\"}").getMessage()).contains("'dataFormat'");
        assertThat(error("CreateSchema", "{\"SchemaName\":\"bad name\",\"DataFormat\":\"AVRO\"}").getMessage())
            .contains("'schemaName'");
        assertThat(error("CreateSchema", "{\"SchemaName\":\"s\",\"DataFormat\":\"AVRO\",\"SchemaDefinition\":"
            + "\"{not avro\"}").getMessage()).contains("AVRO data format is invalid");
        assertThat(error("CreateSchema", "{\"SchemaName\":\"s\",\"DataFormat\":\"AVRO\",\"Compatibility\":\"SOME\"}")
            .getMessage()).contains("'compatibility'");
        call("CreateRegistry", "{\"RegistryName\":\"cdc\"}");
        create("s", "BACKWARD", V1);
        assertThat(error("CreateSchema", "{\"RegistryId\":{\"RegistryName\":\"cdc\"},\"SchemaName\":\"s\","
            + "\"DataFormat\":\"AVRO\"}").code).isEqualTo("AlreadyExistsException");
        assertThat(error("CreateRegistry", "{\"RegistryName\":\"cdc\"}").code).isEqualTo("AlreadyExistsException");
        assertThat(error("GetSchemaVersion", "{}").code).isEqualTo("InvalidInputException");
        assertThat(error("GetSchemaVersion", "{\"SchemaVersionId\":\"00000000-0000-0000-0000-000000000000\"}")
            .getMessage()).isEqualTo(GlueApi.VERSION_NOT_FOUND);
        assertThat(error("GetSchemaVersion", "{\"SchemaVersionId\":\"nope\"}").getMessage())
            .contains("'schemaVersionId'");
        assertThat(error("RegisterSchemaVersion", "{\"SchemaDefinition\":" + definition(V1) + "}").getMessage())
            .contains("'schemaId'");
        assertThat(error("DeleteSchema", "{}").code).isEqualTo("UnknownOperationException");

        denied.add("glue:GetSchemaVersion");
        ApiException refused = error("GetSchemaVersion", "{\"SchemaVersionId\":\"00000000-0000-0000-0000-000000000000\"}");
        assertThat(refused.code).isEqualTo("AccessDeniedException");
        assertThat(refused.getMessage()).contains("glue:GetSchemaVersion");
    }
}
