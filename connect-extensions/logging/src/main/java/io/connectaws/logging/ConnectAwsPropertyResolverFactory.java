package io.connectaws.logging;

import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;

/** The {@code connectAwsProperty} resolver of JsonTemplateLayout: see {@link ConnectAwsPropertyResolver}. */
@Plugin(name = "ConnectAwsPropertyResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class ConnectAwsPropertyResolverFactory implements EventResolverFactory {

    private static final ConnectAwsPropertyResolverFactory INSTANCE = new ConnectAwsPropertyResolverFactory();

    private ConnectAwsPropertyResolverFactory() {
    }

    @PluginFactory
    public static ConnectAwsPropertyResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return ConnectAwsPropertyResolver.NAME;
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return new ConnectAwsPropertyResolver(config);
    }
}
