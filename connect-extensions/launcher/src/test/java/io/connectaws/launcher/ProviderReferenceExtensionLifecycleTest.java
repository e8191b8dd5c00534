package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.connectaws.rest.RecordingRestContext;
import io.connectaws.security.ValidationFailureMapper;

/** The extension's lifecycle as Connect drives it: configure with the worker's settings, register, close. */
class ProviderReferenceExtensionLifecycleTest {

    @Test
    void registersItsFilterAfterTheDefaultsAndTheValidationMapper() {
        ProviderReferenceExtension extension = new ProviderReferenceExtension();
        extension.configure(Map.of("config.providers.secretsmanager.class", "io.connectaws.secrets.SecretsManagerConfigProvider"));
        RecordingRestContext context = new RecordingRestContext().register(extension);
        assertThat(context.described()).containsExactly("Filter@" + (ConnectorDefaultsExtension.FILTER_PRIORITY + 100),
                ValidationFailureMapper.class.getSimpleName());
        assertThat(context.properties()).isEmpty();
        extension.close();
        assertThat(extension.version()).isNotBlank();
    }
}
