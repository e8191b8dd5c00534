package io.connectaws.logging;

import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;

/** The {@code connectorContext} resolver of JsonTemplateLayout: see {@link ConnectorContextResolver}. */
@Plugin(name = "ConnectorContextResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class ConnectorContextResolverFactory implements EventResolverFactory {

    private static final ConnectorContextResolverFactory INSTANCE = new ConnectorContextResolverFactory();

    private ConnectorContextResolverFactory() {
    }

    @PluginFactory
    public static ConnectorContextResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return ConnectorContextResolver.NAME;
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return new ConnectorContextResolver(config);
    }
}
