package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.junit.jupiter.api.Test;

/** With plugin.discovery=service_load Connect finds the plugin directory's REST extension only through its manifest. */
class ServiceLoaderTest {
    @Test
    void theHealthExtensionIsListed() {
        assertThat(ServiceLoader.load(ConnectRestExtension.class).stream().map(ServiceLoader.Provider::type))
                .contains(HealthExtension.class);
    }
}
