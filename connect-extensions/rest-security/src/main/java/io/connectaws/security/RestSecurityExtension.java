package io.connectaws.security;

import java.util.Map;

import jakarta.ws.rs.Priorities;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

import io.connectaws.rest.PluginVersion;

/**
 * Registers the REST authentication filter and the write lock with the settings of {@link RestSecuritySettings}; it
 * holds no state of its own. The launcher lists it in {@code rest.extension.classes} when
 * {@code CONNECT_AWS_REST_AUTH} or {@code CONNECT_AWS_REST_WRITE_LOCK} is set.
 */
public final class RestSecurityExtension implements ConnectRestExtension {
    private RestSecuritySettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = RestSecuritySettings.from(configs);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        context.configurable().register(new AuthenticationFilter(settings), Priorities.AUTHENTICATION);
        if (settings.writeLock()) {
            context.configurable().register(new WriteLockFilter(settings.workerToken()), Priorities.AUTHORIZATION);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }
}
