package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.junit.jupiter.api.Test;

/** With plugin.discovery=service_load Connect finds REST extensions only through their manifests. */
class ServiceLoaderTest {
    @Test
    void theExporterExtensionIsListed() {
        assertThat(ServiceLoader.load(ConnectRestExtension.class).stream().map(ServiceLoader.Provider::type))
                .contains(MetricsExtension.class);
    }
}
