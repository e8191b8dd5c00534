package io.connectaws.declarations;

import java.util.Map;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

import io.connectaws.rest.PluginVersion;

/**
 * Registers the {@link CollisionGuard} filter: a connector whose {@code topic.prefix}, PostgreSQL slot or publication,
 * or MySQL/MariaDB server id another connector of the cluster already uses is refused with HTTP 400 naming it. Listed in
 * {@code rest.extension.classes} by the image's worker profile; it has no settings.
 */
public final class CollisionGuardExtension implements ConnectRestExtension {

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        context.configurable().register(new CollisionGuard(context.clusterState(), System::nanoTime));
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }
}
