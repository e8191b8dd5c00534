package io.connectaws.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.junit.jupiter.api.Test;

/** With plugin.discovery=service_load Connect finds converters only through their manifests, as it finds Kafka's JsonConverter. */
class ServiceLoaderTest {
    @Test
    void theConverterIsListedAsAConverterAndAHeaderConverter() {
        assertThat(ServiceLoader.load(Converter.class).stream().map(ServiceLoader.Provider::type))
                .contains(SchemaCachingJsonConverter.class);
        assertThat(ServiceLoader.load(HeaderConverter.class).stream().map(ServiceLoader.Provider::type))
                .contains(SchemaCachingJsonConverter.class);
    }
}
