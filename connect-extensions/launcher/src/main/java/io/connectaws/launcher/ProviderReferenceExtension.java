package io.connectaws.launcher;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;


import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

import io.connectaws.rest.ConnectorRequest;
import io.connectaws.rest.PluginVersion;
import io.connectaws.security.ValidationFailureMapper;

/**
 * Refuses with HTTP 400 a connector config that references a config provider this worker does not configure
 * ({@code ${env:DATABASE_PASSWORD}} on a worker without an {@code env} provider). Kafka passes such a reference on as
 * literal text, so the user would read "password authentication failed" instead of what is wrong. The reply names the
 * key, the provider and both fixes. The launcher lists it in {@code rest.extension.classes}; it reads
 * {@code config.providers} from the worker's configuration. It also registers {@link ValidationFailureMapper}, so the
 * validate endpoint answers the secret-reference policy's refusal as the 400 it is.
 */
public final class ProviderReferenceExtension implements ConnectRestExtension {

    /** Kafka's own reference pattern: {@code ${provider:[path:]key}}. */
    private static final Pattern REFERENCE = org.apache.kafka.common.config.ConfigTransformer.DEFAULT_PATTERN;
    private static final Pattern PROVIDER_CLASS = Pattern.compile("config\\.providers\\.([^.]+)\\.class");

    private Set<String> providers = Set.of();

    @Override
    public void configure(Map<String, ?> configs) {
        Object list = configs.get("config.providers");
        // Connect configures REST extensions with WorkerConfig.originals(), which removes config.providers: the names
        // then come from the config.providers.NAME.class keys it keeps (the launcher sets both for every provider)
        providers = list == null ? new TreeSet<>(configs.keySet().stream().map(PROVIDER_CLASS::matcher)
                .filter(Matcher::matches).map(m -> m.group(1)).toList())
                : new TreeSet<>(Arrays.stream(String.valueOf(list).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** The providers the worker configures, as read by {@link #configure}. */
    Set<String> providers() {
        return providers;
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        context.configurable().register(new Filter(providers), ConnectorDefaultsExtension.FILTER_PRIORITY + 100);
        // the secret-reference policy refuses in the herder: the validate endpoint then answers its 400, not a 500
        context.configurable().register(new ValidationFailureMapper());
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    /**
     * The refusal for {@code config}, or null when every reference names a configured provider.
     *
     * @param providers the worker's {@code config.providers}
     */
    static String refusal(Map<String, String> config, Set<String> providers) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(config).entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Matcher m = REFERENCE.matcher(e.getValue());
            while (m.find()) {
                String provider = m.group(1);
                if (providers.contains(provider)) {
                    continue;
                }
                String configured = providers.isEmpty() ? "it has none" : "it has " + String.join(", ", new TreeSet<>(providers));
                String key = m.group(4);
                String why = e.getKey() + " references config provider '" + provider + "', which this worker does not "
                        + "configure (" + configured + "): Connect would pass the text on as it is. ";
                if (provider.equals("env")) {
                    return why + "Either keep the secret in Secrets Manager and write ${secretsmanager:NAME:KEY} "
                            + "(docs/secrets.md), or let the worker read this variable: set "
                            + WorkerConfiguration.ENV_SECRETS + "=" + (key.matches("[A-Za-z_][A-Za-z0-9_]*") ? key : "NAME")
                            + " in the worker's environment (for ECS task definition secrets, docs/secrets.md)";
                }
                return why + "Either use one of the worker's providers (${secretsmanager:NAME:KEY} or ${ssm:/NAME}, "
                        + "docs/secrets.md), or configure '" + provider + "' on the worker with "
                        + EnvironmentMapping.variableFor("config.providers") + " and "
                        + EnvironmentMapping.variableFor("config.providers." + provider + ".class");
            }
        }
        return null;
    }

    /** Checks the body of connector create, replace, patch and validate calls. */
    static final class Filter implements ContainerRequestFilter {
        private final Set<String> providers;

        Filter(Set<String> providers) {
            this.providers = providers;
        }

        @Override
        public void filter(ContainerRequestContext request) throws IOException {
            java.util.Optional<ConnectorRequest> connector = ConnectorRequest.read(request);
            String refusal = connector.isEmpty() ? null : refusal(connector.get().values(), providers);
            if (refusal != null) {
                ConnectorRequest.refuse(request, refusal);
            }
        }
    }
}
