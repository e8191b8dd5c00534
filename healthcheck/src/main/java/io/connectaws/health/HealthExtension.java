package io.connectaws.health;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.PluginVersion;
import io.connectaws.rest.RestRestarter;
import io.connectaws.rest.WorkerRest;

/**
 * Liveness ({@code GET /health/live}) and readiness ({@code GET /health/ready}) that understand the connectors and
 * tasks this worker owns, with optional self-healing restarts. Enable it with
 * {@code rest.extension.classes=io.connectaws.health.HealthExtension} (the image's profile does); settings are the
 * {@code health.*} worker properties ({@link HealthSettings}).
 */
public class HealthExtension implements ConnectRestExtension {
    private static final Logger log = LoggerFactory.getLogger(HealthExtension.class);

    private Map<String, ?> worker = Map.of();
    private HealthSettings settings;
    private HealthMonitor monitor;
    private HealthMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        worker = new HashMap<>(configs);
        settings = HealthSettings.from(worker);
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        WorkerRest rest = WorkerRest.from(worker, HealthSettings.REST_URL);
        metrics = new HealthMetrics();
        monitor = new HealthMonitor(settings, rest.workerId(), WorkerStatus.kafkaHealthEndpoint(rest), context.clusterState(),
                restarts(new RestRestarter(rest)), metrics, System::nanoTime, Clock.systemUTC());
        context.configurable().property(HealthResources.MONITOR, monitor);
        context.configurable().register(HealthResources.Liveness.class);
        context.configurable().register(HealthResources.Readiness.class);
        metrics.registerAll();
        monitor.start();
        log.info("Health: GET /health/live and /health/ready for worker {} (checks every {}); readiness counts {} "
                        + "connectors and tasks this worker owns (unready at {}{}; a Debezium task is DISCONNECTED after {} "
                        + "without a database connection); self-healing {}", rest.workerId(),
                SelfHealing.human(settings.interval), String.join("/", settings.unhealthyStates.stream().sorted().toList()),
                settings.threshold(), settings.ignore.isEmpty() ? "" : ", ignoring " + settings.ignore,
                SelfHealing.human(settings.disconnectedAfter),
                settings.restartEnabled ? "on (back-off unit " + SelfHealing.human(settings.restartUnit) + ", at most "
                        + SelfHealing.human(settings.restartMaxBackoff) + (settings.maxRestarts > 0 ? ", "
                        + settings.maxRestarts + " restarts" : "") + ")" : "off");
        if (rest.url().isEmpty()) {
            log.warn("Health: this worker serves no http listener to ask Kafka's /health and to restart through; set {}",
                    HealthSettings.REST_URL);
        }
    }

    @Override
    public void close() {
        if (monitor != null) monitor.close();
        if (metrics != null) metrics.unregisterAll();
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    /** Self-healing's restarts through this worker's REST API; Connect forwards each where it belongs. */
    static SelfHealing.Restarter restarts(RestRestarter restarter) {
        return unit -> {
            RestRestarter.Result r = restarter.restart(unit.connector(), unit.task());
            if (!r.restarted()) {
                log.debug("POST {} {}", r.path(), r.reason());
            }
            return SelfHealing.Outcome.valueOf(r.outcome().name());
        };
    }
}
