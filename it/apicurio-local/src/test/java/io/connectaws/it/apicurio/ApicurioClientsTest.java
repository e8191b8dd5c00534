package io.connectaws.it.apicurio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.ArtifactMetaData;
import io.apicurio.registry.rest.v2.beans.IfExists;
import io.apicurio.registry.rest.v2.beans.Rule;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.types.RuleType;
import io.apicurio.rest.client.auth.BasicAuth;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in driven by Apicurio's own 2.6.13 client and Avro serdes (what the converter wraps): a round trip through
 * auto-registration, a second version under BACKWARD, the rules refusing what Avro's reader/writer rules refuse, and
 * basic authentication.
 */
class ApicurioClientsTest {

    private static final String V1 = "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"string\"}]}";
    private static final String V2_DEFAULT = "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"tier\",\"type\":\"string\",\"default\":\"basic\"}]}";
    private static final String V2_NO_DEFAULT = "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"tier\",\"type\":\"string\"}]}";
    private static final String V2_WITHOUT_NAME = "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"}]}";

    private ApicurioLocal registry;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        registry = new ApicurioLocal(0, null, null, "BACKWARD");
        client = RegistryClientFactory.create(registry.url());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        registry.close();
    }

    @Test
    void theSerdesRoundTripThroughAutoRegistrationAndANewVersion() {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registry.url());
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, "true");
        try (AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
             AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            serializer.configure(config, false);
            deserializer.configure(config, false);
            GenericRecord one = record(V1, 1, "alice", null);
            GenericRecord two = record(V2_DEFAULT, 2, "bob", "gold");
            RecordHeaders h1 = new RecordHeaders();
            RecordHeaders h2 = new RecordHeaders();
            byte[] b1 = serializer.serialize("customers", h1, one);
            byte[] b2 = serializer.serialize("customers", h2, two);
            assertThat(deserializer.deserialize("customers", h1, b1).toString()).isEqualTo(one.toString());
            assertThat(deserializer.deserialize("customers", h2, b2).toString()).isEqualTo(two.toString());
            // the same schema again is the same version (RETURN_OR_UPDATE), not a third
            serializer.serialize("customers", new RecordHeaders(), record(V1, 3, "carol", null));
        }
        assertThat(client.listArtifactVersions("default", "customers-value", 0, 10).getVersions())
                .extracting(v -> v.getVersion()).containsExactly("1", "2");
    }

    @Test
    void backwardAcceptsANewFieldWithADefaultAndRefusesOneWithout() {
        ArtifactMetaData first = create("orders-value", V1, IfExists.FAIL);
        assertThat(first.getVersion()).isEqualTo("1");
        assertThatThrownBy(() -> create("orders-value", V2_NO_DEFAULT, IfExists.UPDATE))
                .isInstanceOf(RuleViolationException.class)
                .hasMessageContaining("not BACKWARD compatible").hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("tier");
        assertThat(create("orders-value", V2_DEFAULT, IfExists.UPDATE).getVersion()).isEqualTo("2");
        // under BACKWARD, dropping a field is compatible (the new reader ignores it), as in Avro and the registry
        assertThat(create("orders-value", V2_WITHOUT_NAME, IfExists.UPDATE).getVersion()).isEqualTo("3");
    }

    @Test
    void forwardRefusesRemovingAFieldWithoutDefault() {
        create("payments-value", V1, IfExists.FAIL);
        Rule forward = new Rule();
        forward.setType(RuleType.COMPATIBILITY);
        forward.setConfig("FORWARD");
        client.createArtifactRule("default", "payments-value", forward);
        assertThatThrownBy(() -> create("payments-value", V2_WITHOUT_NAME, IfExists.UPDATE))
                .isInstanceOf(RuleViolationException.class)
                .hasMessageContaining("not FORWARD compatible").hasMessageContaining("name");
        assertThat(client.listArtifactVersions("default", "payments-value", 0, 10).getCount()).isEqualTo(1);
    }

    @Test
    void basicAuthenticationRefusesWrongCredentials() throws Exception {
        try (ApicurioLocal guarded = new ApicurioLocal(0, "registry-user", "right-password", null);
             RegistryClient right = RegistryClientFactory.create(guarded.url(), Map.of(),
                     new BasicAuth("registry-user", "right-password"));
             RegistryClient wrong = RegistryClientFactory.create(guarded.url(), Map.of(),
                     new BasicAuth("registry-user", "wrong-password"))) {
            assertThat(right.createArtifact("default", "a-value", null, "AVRO", IfExists.FAIL, false, stream(V1)).getGlobalId())
                    .isEqualTo(1L);
            assertThatThrownBy(() -> wrong.getArtifactMetaData("default", "a-value"))
                    .isInstanceOf(io.apicurio.rest.client.auth.exception.NotAuthorizedException.class)
                    .hasMessageNotContaining("wrong-password");
        }
    }

    @Test
    void anOutageRefusesConnectionsAndKeepsTheRegistrysState() throws Exception {
        long globalId = create("outage-value", V1, IfExists.FAIL).getGlobalId();
        registry.outage(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.getArtifactMetaData("default", "outage-value"))
                // Apicurio's client flattens transport failures into an error body named after the exception
                .isInstanceOfSatisfying(io.apicurio.registry.rest.client.exception.RestClientException.class,
                        e -> assertThat(e.getError().getName()).isEqualTo("ConnectException"));
        Thread.sleep(3000);
        assertThat(client.getArtifactMetaData("default", "outage-value").getGlobalId()).isEqualTo(globalId);
    }

    private ArtifactMetaData create(String artifactId, String schema, IfExists ifExists) {
        return client.createArtifact("default", artifactId, null, "AVRO", ifExists, false, stream(schema));
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static GenericRecord record(String schema, int id, String name, String tier) {
        GenericRecord r = new GenericData.Record(new Schema.Parser().parse(schema));
        r.put("id", id);
        r.put("name", name);
        if (tier != null) {
            r.put("tier", tier);
        }
        return r;
    }
}
