package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.PluginVersion;
import io.connectaws.rest.WorkerRest;

/**
 * Declared connectors: reads {@code declarations.dir} and {@code declarations.ssm.path}, reconciles on the group
 * leader, serves {@code GET /declarations} and registers the {@code io.connectaws:type=declarations} MBean. Listed in
 * {@code rest.extension.classes} by the image's worker profile; settings are {@link DeclarationSettings}.
 */
public final class DeclarationsExtension implements ConnectRestExtension {
    private static final Logger log = LoggerFactory.getLogger(DeclarationsExtension.class);

    private Map<String, ?> worker = Map.of();
    private DeclarationSettings settings;
    private DeclarationLoop loop;
    private DeclarationsMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        worker = new HashMap<>(configs);
        settings = DeclarationSettings.from(worker);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        WorkerRest rest = WorkerRest.from(worker, DeclarationSettings.REST_URL);
        List<DeclarationSource> sources = new ArrayList<>();
        sources.add(new DirectorySource(settings.dir));
        settings.ssmPath.ifPresent(path -> sources.add(new SsmSource(path, settings.ssmRegion, settings.ssmEndpoint)));
        metrics = new DeclarationsMetrics();
        loop = new DeclarationLoop(settings, sources, new RestConnect(context.clusterState(), rest),
                new Leadership(rest.workerId()), metrics, rest.workerId());
        Supplier<DeclarationLoop.Report> report = loop::report;
        context.configurable().property(DeclarationsResource.REPORT, report);
        context.configurable().register(DeclarationsResource.class);
        metrics.register();
        loop.start();
        log.info("Declarations: connectors declared in {} are applied by the group leader every {} s (purge {}); "
                        + "GET /declarations shows the outcome", String.join(" and ",
                        sources.stream().map(DeclarationSource::describe).toList()), settings.intervalMillis / 1000,
                settings.purge ? "on" : "off");
        if (rest.url().isEmpty()) {
            log.warn("Declarations: this worker serves no http listener to apply through; set {}",
                    DeclarationSettings.REST_URL);
        }
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        if (metrics != null) {
            metrics.unregister();
        }
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }
}
