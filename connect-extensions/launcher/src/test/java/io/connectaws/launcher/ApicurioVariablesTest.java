package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Debezium's Apicurio variables, read as its connect-base 3.6 entrypoint reads them. */
class ApicurioVariablesTest {

    private static final String URL = "http://apicurio:8080/apis/registry/v2";
    private static final String AVRO = "io.apicurio.registry.utils.converter.AvroConverter";

    private static WorkerConfiguration build(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", "kafka:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        Properties profile = new Properties();
        profile.setProperty("group.id", "connect-cluster");
        profile.setProperty("key.converter", "io.connectaws.json.SchemaCachingJsonConverter");
        profile.setProperty("value.converter", "io.connectaws.json.SchemaCachingJsonConverter");
        return WorkerConfiguration.build(profile, env, () -> "172.17.0.9");
    }

    @Test
    void enableSwitchIsAcceptedEitherWayAndChangesNothing() {
        Map<String, String> plain = build().properties();
        assertThat(build("ENABLE_APICURIO_CONVERTERS", "true").properties()).isEqualTo(plain);
        assertThat(build("ENABLE_APICURIO_CONVERTERS", "FALSE").properties()).isEqualTo(plain);
        assertThatThrownBy(() -> build("ENABLE_APICURIO_CONVERTERS", "yes"))
                .hasMessageStartingWith("ENABLE_APICURIO_CONVERTERS=yes is not true or false");
    }

    @Test
    void registryVariableMakesApicuriosAvroTheWorkersConverters() {
        WorkerConfiguration c = build("ENABLE_APICURIO_CONVERTERS", "true", "APICURIO_REGISTRY", URL);
        for (String side : new String[] {"key", "value"}) {
            assertThat(c.properties())
                    .containsEntry(side + ".converter", AVRO)
                    .containsEntry(side + ".converter.apicurio.registry.url", URL)
                    .containsEntry(side + ".converter.apicurio.registry.auto-register", "true")
                    .containsEntry(side + ".converter.apicurio.registry.find-latest", "true")
                    .doesNotContainKey(side + ".converter.apicurio.registry.auto.register");
            assertThat(c.origin(side + ".converter")).isEqualTo("APICURIO_REGISTRY");
        }
    }

    @Test
    void theUsersOwnSettingsRepeatOrOverrideTheDefaultsButMayNotContradictTheConverter() {
        WorkerConfiguration c = build("APICURIO_REGISTRY", URL, "VALUE_CONVERTER", AVRO,
                "CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO___REGISTER", "false");
        assertThat(c.properties()).containsEntry("value.converter.apicurio.registry.auto-register", "false")
                .containsEntry("key.converter.apicurio.registry.auto-register", "true");
        assertThatThrownBy(() -> build("APICURIO_REGISTRY", URL,
                "CONNECT_KEY_CONVERTER", "org.apache.kafka.connect.json.JsonConverter"))
                .hasMessage("APICURIO_REGISTRY=" + URL + " sets key.converter=" + AVRO + " (as Debezium's image does) "
                        + "and CONNECT_KEY_CONVERTER=org.apache.kafka.connect.json.JsonConverter says otherwise: "
                        + "keep one of them");
        assertThatThrownBy(() -> build("APICURIO_REGISTRY", URL,
                "CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_URL", "http://other:8080/apis/registry/v2"))
                .hasMessageContaining("CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_URL=http://other:8080/apis/registry/v2 "
                        + "says otherwise");
        assertThatThrownBy(() -> build("APICURIO_REGISTRY", "apicurio:8080"))
                .hasMessageStartingWith("APICURIO_REGISTRY=apicurio:8080 is not an http(s) URL");
    }

    @Test
    void perWorkerSelectionWorksWithoutDebeziumsVariables() {
        WorkerConfiguration c = build("CONNECT_VALUE_CONVERTER", AVRO,
                "CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_URL", URL,
                "CONNECT_VALUE_CONVERTER_APICURIO_AUTH_PASSWORD", "${secretsmanager:registry:password}");
        assertThat(c.properties()).containsEntry("value.converter", AVRO)
                .containsEntry("value.converter.apicurio.registry.url", URL)
                .containsEntry("value.converter.apicurio.auth.password", "${secretsmanager:registry:password}")
                .doesNotContainKey("value.converter.apicurio.registry.auto-register")
                .containsEntry("key.converter", "io.connectaws.json.SchemaCachingJsonConverter");
    }

    @Test
    void aV3RegistryUrlFromADebezium3TaskDefinitionIsRefusedWithTheV2One() {
        assertThatThrownBy(() -> build("APICURIO_REGISTRY", "http://apicurio:8080/apis/registry/v3"))
                .hasMessage("APICURIO_REGISTRY=http://apicurio:8080/apis/registry/v3 names the registry's v3 API, but this "
                        + "image's Apicurio converter (2.6.13) speaks v2: use http://apicurio:8080/apis/registry/v2 "
                        + "(Apicurio Registry 3.x serves it too; docs/schemas.md)");
        assertThatThrownBy(() -> build("CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_URL", "https://r.example/apis/registry/v3/"))
                .hasMessageStartingWith("CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_URL=https://r.example/apis/registry/v3/ "
                        + "names the registry's v3 API");
    }

    @Test
    void aHyphenatedApicurioSettingSpelledWithDotsIsRefusedWithTheVariableToWrite() {
        assertThatThrownBy(() -> build("CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO_REGISTER", "true"))
                .hasMessage("CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO_REGISTER sets "
                        + "value.converter.apicurio.registry.auto.register, which Apicurio does not read: it means "
                        + "value.converter.apicurio.registry.auto-register, so write "
                        + "CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO___REGISTER (___ stands for -)");
        assertThatThrownBy(() -> build("CONNECT_KEY_CONVERTER_APICURIO_REGISTRY_USE_ID", "contentId"))
                .hasMessageContaining("CONNECT_KEY_CONVERTER_APICURIO_REGISTRY_USE___ID");
    }
}
