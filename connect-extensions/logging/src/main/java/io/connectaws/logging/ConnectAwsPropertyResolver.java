package io.connectaws.logging;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * Resolves one of the image's own system properties, read when each event is written (the launcher may set it after
 * log4j started) and left out of the event while it is not set:
 * <pre>
 * {"$resolver": "connectAwsProperty", "name": "connect.aws.ecs.task.id"}
 * </pre>
 * Only names under {@value #PREFIX} are accepted, so that a template cannot be made to print a JVM option that carries
 * a secret (a trust store password, a -D given to a connector).
 */
final class ConnectAwsPropertyResolver implements EventResolver {

    static final String NAME = "connectAwsProperty";
    static final String PREFIX = "connect.aws.";

    private final String property;

    ConnectAwsPropertyResolver(TemplateResolverConfig config) {
        String name = config.getString("name");
        if (name == null || !name.startsWith(PREFIX) || name.length() == PREFIX.length()) {
            throw new IllegalArgumentException(
                    "the " + NAME + " resolver reads only system properties named " + PREFIX + "*: " + config);
        }
        this.property = name;
    }

    @Override
    public boolean isResolvable(LogEvent event) {
        String value = System.getProperty(property);
        return value != null && !value.isEmpty();
    }

    @Override
    public void resolve(LogEvent event, JsonWriter jsonWriter) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            jsonWriter.writeNull();
        } else {
            jsonWriter.writeString(value);
        }
    }
}
