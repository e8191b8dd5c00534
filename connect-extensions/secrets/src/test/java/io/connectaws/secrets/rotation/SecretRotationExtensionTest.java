package io.connectaws.secrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.connectaws.rest.RecordingRestContext;
import io.connectaws.secrets.SecretsManagerConfigProvider;

/** The extension's lifecycle as Connect drives it: configure with the worker's settings, register, close. */
class SecretRotationExtensionTest {
    private static final ObjectName MBEAN = name("io.connectaws:type=secret-rotation");

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void servesNothingAndMonitorsTheWorkersAwsProviders() {
        SecretRotationExtension extension = new SecretRotationExtension();
        extension.configure(Map.of("listeners", "http://127.0.0.1:9",
                "config.providers.secretsmanager.class", SecretsManagerConfigProvider.class.getName(),
                "config.providers.secretsmanager.param.region", "eu-west-1",
                "config.providers.secretsmanager.param.endpoint", "http://127.0.0.1:9"));
        RecordingRestContext context = new RecordingRestContext().register(extension);
        try {
            assertThat(context.registered()).isEmpty();
            assertThat(context.properties()).isEmpty();
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN)).isTrue();
        } finally {
            extension.close();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN)).isFalse();
        assertThat(extension.version()).isNotBlank();
    }

    @Test
    void withoutAnAwsProviderItStaysOff() {
        SecretRotationExtension extension = new SecretRotationExtension();
        extension.configure(Map.of("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"));
        assertThat(new RecordingRestContext().register(extension).registered()).isEmpty();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(MBEAN)).isFalse();
        extension.close();
    }
}
