package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Password keys a plugin directory declares beside a class whose ConfigDef declares none (Apicurio's converters). */
class PluginPasswordKeysTest {

    static final class Declaring {
    }

    @Test
    void aPluginDirectoryDeclaresPasswordKeysOneALine() throws Exception {
        assertThat(PluginPasswordKeys.declaredInPluginDirectory(Declaring.class))
                .containsExactlyInAnyOrder("registry.password", "other.secret");
        assertThat(PluginPasswordKeys.declaredInPluginDirectory(PluginPasswordKeysTest.class)).isEmpty();
        assertThat(PluginPasswordKeys.declaredInPluginDirectory(String.class)).isEmpty();
    }
}
