package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Glue Schema Registry's operations driven by the AWS CLI (botocore, a client independent of the SDK for Java the
 * serde uses), over the wire with SigV4: the registry, schema and version calls the serde makes, the compatibility
 * check a BACKWARD schema applies, and a refused signature.
 */
class GlueCliTest {
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Value\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}";
    private static final String V2 = "{\"type\":\"record\",\"name\":\"Value\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"},"
        + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";
    private static final String REQUIRED = "{\"type\":\"record\",\"name\":\"Value\",\"fields\":[{\"name\":\"id\",\"type\":"
        + "\"int\"},{\"name\":\"note\",\"type\":\"string\"}]}";

    private LocalAws aws;
    private AwsCli cli;

    @BeforeAll
    static void cliInstalled() {
        AwsCli.assumeInstalled();
    }

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "eu-west-1");
        cli = new AwsCli(aws);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void registryAndSchemaVersions() {
        assertThat(cli.run("glue", "create-registry", "--registry-name", "cdc").json().path("RegistryArn").asText())
            .isEqualTo("arn:aws:glue:eu-west-1:123456789012:registry/cdc");
        JsonNode created = cli.run("glue", "create-schema", "--registry-id", "RegistryName=cdc", "--schema-name",
            "orders", "--data-format", "AVRO", "--compatibility", "BACKWARD", "--schema-definition", V1).json();
        assertThat(created.path("SchemaVersionStatus").asText()).isEqualTo("AVAILABLE");
        assertThat(created.path("SchemaArn").asText()).isEqualTo("arn:aws:glue:eu-west-1:123456789012:schema/cdc/orders");

        // a field without a default breaks BACKWARD: the version is kept, with status FAILURE, and is not the latest
        String failed = cli.run("glue", "register-schema-version", "--schema-id", "SchemaName=orders,RegistryName=cdc",
            "--schema-definition", REQUIRED).json().path("SchemaVersionId").asText();
        assertThat(cli.run("glue", "get-schema-version", "--schema-version-id", failed).json().path("Status").asText())
            .isEqualTo("FAILURE");
        JsonNode registered = cli.run("glue", "register-schema-version", "--schema-id",
            "SchemaName=orders,RegistryName=cdc", "--schema-definition", V2).json();
        assertThat(registered.path("VersionNumber").asLong()).isEqualTo(3);
        JsonNode latest = cli.run("glue", "get-schema-version", "--schema-id", "SchemaName=orders,RegistryName=cdc",
            "--schema-version-number", "LatestVersion=true").json();
        assertThat(latest.path("SchemaVersionId").asText()).isEqualTo(registered.path("SchemaVersionId").asText());
        assertThat(latest.path("Status").asText()).isEqualTo("AVAILABLE");
        assertThat(latest.path("SchemaDefinition").asText()).isEqualTo(V2);

        JsonNode byDefinition = cli.run("glue", "get-schema-by-definition", "--schema-id",
            "SchemaName=orders,RegistryName=cdc", "--schema-definition", V1).json();
        assertThat(byDefinition.path("SchemaVersionId").asText()).isEqualTo(created.path("SchemaVersionId").asText());

        JsonNode metadata = cli.run("glue", "put-schema-version-metadata", "--schema-version-id",
            registered.path("SchemaVersionId").asText(), "--metadata-key-value",
            "MetadataKey=x-amz-meta-transport,MetadataValue=orders").json();
        assertThat(metadata.path("LatestVersion").asBoolean()).isTrue();
    }

    @Test
    void errorsAsTheCliNamesThem() {
        AwsCli.Run missing = cli.run("glue", "get-schema-by-definition", "--schema-id",
            "SchemaName=orders,RegistryName=default-registry", "--schema-definition", V1);
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("An error occurred (EntityNotFoundException) when calling the "
            + "GetSchemaByDefinition operation").contains(": Schema is not found.");

        AwsCli.Run badKey = cli.credentials(LocalAws.ACCESS_KEY_ID, "not-the-secret", null)
            .run("glue", "create-registry", "--registry-name", "cdc");
        assertThat(badKey.exit()).isNotZero();
        assertThat(badKey.err()).contains("(InvalidSignatureException) when calling the CreateRegistry operation");
    }
}
