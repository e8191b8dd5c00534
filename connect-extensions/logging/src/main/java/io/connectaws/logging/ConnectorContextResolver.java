package io.connectaws.logging;

import java.util.Locale;
import java.util.function.Function;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * Resolves one part of Connect's MDC value {@value ConnectorContext#MDC_KEY} (see {@link ConnectorContext}):
 * <pre>
 * {"$resolver": "connectorContext", "field": "connector"}   the connector's name (string)
 * {"$resolver": "connectorContext", "field": "task"}        the task number (number), for task and offsets scopes
 * {"$resolver": "connectorContext", "field": "scope"}       worker, task, offsets or validate (string)
 * </pre>
 * A field with nothing to show (no MDC value, no task number) is left out of the event. Only this one MDC key is read.
 */
final class ConnectorContextResolver implements EventResolver {

    static final String NAME = "connectorContext";

    private final Function<ConnectorContext, Object> field;

    ConnectorContextResolver(TemplateResolverConfig config) {
        String name = config.getString("field");
        this.field = switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "connector" -> ConnectorContext::connector;
            case "task" -> ConnectorContext::task;
            case "scope" -> ConnectorContext::scope;
            default -> throw new IllegalArgumentException(
                    "unknown field of the " + NAME + " resolver: " + config + " (connector, task or scope)");
        };
    }

    @Override
    public boolean isResolvable(LogEvent event) {
        return value(event) != null;
    }

    @Override
    public void resolve(LogEvent event, JsonWriter jsonWriter) {
        Object value = value(event);
        if (value instanceof Integer number) {
            jsonWriter.writeNumber(number.intValue());
        } else if (value != null) {
            jsonWriter.writeString((String) value);
        } else {
            jsonWriter.writeNull();
        }
    }

    private Object value(LogEvent event) {
        Object mdc = event.getContextData().getValue(ConnectorContext.MDC_KEY);
        ConnectorContext context = mdc instanceof String text ? ConnectorContext.parse(text) : null;
        return context == null ? null : field.apply(context);
    }
}
