package io.connectaws.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.schemaregistry.deserializers.avro.AWSKafkaAvroDeserializer;
import io.connectaws.it.aws.LocalAws;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.GetSchemaVersionResponse;
import software.amazon.awssdk.services.glue.model.SchemaId;
import software.amazon.awssdk.services.glue.model.SchemaVersionNumber;

/**
 * The plugin directory's classes as the worker loads them (the converter found by ServiceLoader, the serde and only
 * the dependencies this module ships) against aws-local's Glue Schema Registry, which verifies each call's SigV4
 * signature: a Debezium-shaped value registered and encoded, a column with a default registering version 2, both
 * decoded by the converter and by Glue's own deserializer, a breaking change and a wrong secret key refused.
 */
class GlueSchemaRegistryAvroConverterTest {
    private static final String REGION = "eu-west-1";
    private static final String TOPIC = "inventory.public.customers";

    private static LocalAws aws;
    private static GlueClient glue;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(0, REGION);
        glue = GlueClient.builder().endpointOverride(aws.endpoint()).region(Region.of(REGION))
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
            .build();
        glue.createRegistry(r -> r.registryName("cdc"));
        // the serde takes the SDK's default credentials chain; in a test JVM its system-property step
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        glue.close();
        aws.close();
    }

    private static Map<String, Object> settings(URI endpoint) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("region", REGION);
        settings.put("endpoint", endpoint.toString());
        settings.put("registry.name", "cdc");
        settings.put("schemaAutoRegistrationEnabled", "true");
        settings.put("compatibility", "BACKWARD");
        settings.put("dataFormat", "AVRO");
        settings.put("avroRecordType", "GENERIC_RECORD");
        return settings;
    }

    private static Converter converter(Map<String, Object> settings) {
        Converter converter = ServiceLoader.load(Converter.class).stream().map(ServiceLoader.Provider::get)
            .filter(c -> c instanceof GlueAvroConverter).findFirst()
            .orElseThrow(() -> new AssertionError("no Converter service names GlueAvroConverter"));
        converter.configure(settings, false);
        return converter;
    }

    private static Schema row(boolean withEmail) {
        SchemaBuilder builder = SchemaBuilder.struct().name("inventory.public.customers.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build());
        if (withEmail) {
            builder.field("email", SchemaBuilder.string().optional().defaultValue("none").build());
        }
        return builder.build();
    }

    private static GetSchemaVersionResponse latest() {
        return glue.getSchemaVersion(r -> r.schemaId(SchemaId.builder().registryName("cdc").schemaName(TOPIC).build())
            .schemaVersionNumber(SchemaVersionNumber.builder().latestVersion(true).build()));
    }

    /** Glue's wire format: header version 3, compression byte, the schema version's UUID, then the Avro datum. */
    private static UUID schemaVersionOf(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).isEqualTo((byte) 3);
        assertThat(buffer.get()).isEqualTo((byte) 0);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    @Test
    void registersEncodesAndEvolvesThroughTheRegistry() {
        Converter converter = converter(settings(aws.endpoint()));
        Schema v1 = row(false);
        Struct alice = new Struct(v1).put("id", 1).put("name", "alice").put("created", 1_700_000_000_000_000L);
        byte[] first = converter.fromConnectData(TOPIC, v1, alice);

        GetSchemaVersionResponse version1 = latest();
        assertThat(version1.versionNumber()).isEqualTo(1L);
        assertThat(version1.statusAsString()).isEqualTo("AVAILABLE");
        assertThat(schemaVersionOf(first)).isEqualTo(UUID.fromString(version1.schemaVersionId()));

        Schema v2 = row(true);
        Struct bob = new Struct(v2).put("id", 2).put("name", null).put("created", 1_700_000_000_000_001L)
            .put("email", "bob@example.com");
        byte[] second = converter.fromConnectData(TOPIC, v2, bob);
        GetSchemaVersionResponse version2 = latest();
        assertThat(version2.versionNumber()).isEqualTo(2L);
        assertThat(schemaVersionOf(second)).isEqualTo(UUID.fromString(version2.schemaVersionId()));
        assertThat(version2.schemaDefinition()).contains("\"email\"").contains("\"default\":\"none\"");

        SchemaAndValue decoded = converter.toConnectData(TOPIC, first);
        Struct one = (Struct) decoded.value();
        assertThat(one.getInt32("id")).isEqualTo(1);
        assertThat(one.getString("name")).isEqualTo("alice");
        assertThat(one.getInt64("created")).isEqualTo(1_700_000_000_000_000L);
        Struct two = (Struct) converter.toConnectData(TOPIC, second).value();
        assertThat(two.getString("email")).isEqualTo("bob@example.com");
        assertThat(two.getString("name")).isNull();

        // a consumer with Glue's own Kafka deserializer and no Connect at all
        try (AWSKafkaAvroDeserializer deserializer = new AWSKafkaAvroDeserializer()) {
            deserializer.configure(settings(aws.endpoint()), false);
            GenericRecord record = (GenericRecord) deserializer.deserialize(TOPIC, second);
            assertThat(record.get("id")).isEqualTo(2);
            assertThat(record.get("name")).isNull();
            assertThat(record.get("email").toString()).isEqualTo("bob@example.com");
            assertThat(((GenericRecord) deserializer.deserialize(TOPIC, first)).get("name").toString())
                .isEqualTo("alice");
        }
        assertThat(aws.count("AWSGlue.CreateSchema")).isEqualTo(1);
        assertThat(aws.count("AWSGlue.RegisterSchemaVersion")).isEqualTo(1);
    }

    @Test
    void aRequiredColumnBreaksBackwardCompatibilityAndIsRefused() {
        Map<String, Object> settings = settings(aws.endpoint());
        settings.put("schemaName", "strict");
        Converter converter = converter(settings);
        Schema v1 = row(false);
        converter.fromConnectData(TOPIC, v1, new Struct(v1).put("id", 1).put("created", 0L));
        Schema required = SchemaBuilder.struct().name("inventory.public.customers.Value")
            .field("id", Schema.INT32_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build())
            .field("tier", Schema.INT32_SCHEMA).build();
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, required, new Struct(required).put("id", 2)
            .put("created", 0L).put("tier", 1)))
            .isInstanceOf(DataException.class)
            .hasMessageStartingWith("AWS Glue Schema Registry 'cdc'")
            .hasMessageContaining("FAILURE status");
    }

    @Test
    void aWrongSecretKeyIsRefusedByTheSignatureCheck() {
        System.setProperty("aws.secretAccessKey", "not-the-secret-key-0000000000000000000000");
        try {
            Converter converter = converter(settings(aws.endpoint()));
            Schema v1 = row(false);
            assertThatThrownBy(() -> converter.fromConnectData("other", v1, new Struct(v1).put("id", 1)
                .put("created", 0L)))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("AWS Glue Schema Registry 'cdc' (region eu-west-1, endpoint " + aws.endpoint()
                    + "): cannot register or look up the schema of topic 'other': The request signature we calculated "
                    + "does not match the signature you provided.")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("not-the-secret-key"));
        } finally {
            System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        }
    }

    @Test
    void aRegistryThatIsDownIsNamedWithTheNetworkError() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + closedPort);
        Converter converter = converter(settings(down));
        Schema v1 = row(false);
        assertThatThrownBy(() -> converter.fromConnectData("down", v1, new Struct(v1).put("id", 1).put("created", 0L)))
            .isInstanceOf(DataException.class)
            .hasMessageStartingWith("AWS Glue Schema Registry 'cdc' (region eu-west-1, endpoint " + down
                + "): cannot register or look up the schema of topic 'down': Unable to execute HTTP request");
    }

    @Test
    void thePluginDirectoryNamesTheConverterForServiceLoaderDiscovery() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/services/org.apache.kafka.connect.storage.Converter")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                .containsExactly("io.connectaws.glue.GlueAvroConverter",
                    "com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter");
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
