package io.connectaws.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.junit.jupiter.api.Test;

import io.connectaws.secrets.rotation.SecretRotationExtension;

/** With plugin.discovery=service_load Connect finds the plugin directory's classes only through their manifests. */
class ServiceLoaderTest {
    @Test
    void bothConfigProvidersAreListed() {
        assertThat(ServiceLoader.load(ConfigProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(SecretsManagerConfigProvider.class, SsmParameterConfigProvider.class);
    }

    @Test
    void theRotationExtensionIsListed() {
        assertThat(ServiceLoader.load(ConnectRestExtension.class).stream().map(ServiceLoader.Provider::type))
                .contains(SecretRotationExtension.class);
    }
}
