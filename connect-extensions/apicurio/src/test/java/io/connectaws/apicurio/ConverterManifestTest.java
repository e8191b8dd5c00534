package io.connectaws.apicurio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

/** The image discovers plugins by ServiceLoader only, and Apicurio's jars list no converter: this jar must. */
class ConverterManifestTest {

    @Test
    void bothApicurioConvertersAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(Converter.class).stream().map(p -> p.type().getName()))
                .contains("io.apicurio.registry.utils.converter.AvroConverter",
                        "io.apicurio.registry.utils.converter.ExtJsonConverter");
    }
}
