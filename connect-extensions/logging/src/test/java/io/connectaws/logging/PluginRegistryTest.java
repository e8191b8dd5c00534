package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.lookup.StrLookup;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.junit.jupiter.api.Test;

/**
 * log4j finds its plugins through the Log4j2Plugins.dat index the annotation processor writes into the jar, not through
 * ServiceLoader: each of this module's plugins must be in it, or log4j2.properties naming it fails at start.
 */
class PluginRegistryTest {
    private static Class<?> plugin(String category, String name) {
        PluginManager manager = new PluginManager(category);
        manager.collectPlugins();
        var type = manager.getPluginType(name);
        return type == null ? null : type.getPluginClass();
    }

    @Test
    void theLookupAndBothResolverFactoriesAreIndexed() {
        assertThat(plugin(StrLookup.CATEGORY, "connectaws")).isEqualTo(ConnectAwsLookup.class);
        assertThat(plugin(TemplateResolverFactory.CATEGORY, "ConnectAwsPropertyResolverFactory"))
                .isEqualTo(ConnectAwsPropertyResolverFactory.class);
        assertThat(plugin(TemplateResolverFactory.CATEGORY, "ConnectorContextResolverFactory"))
                .isEqualTo(ConnectorContextResolverFactory.class);
    }
}
