package io.connectaws.secrets.rotation;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.WorkerRest;

/** Restarts a connector and all its tasks through this worker's own REST API (Connect forwards it to the leader). */
final class RestRestarter implements RotationMonitor.Restarter {
    /** Overrides the worker's REST URL, e.g. when it serves https only. */
    static final String REST_URL_OVERRIDE = "connect.aws.rotation.rest.url";
    private static final Logger log = LoggerFactory.getLogger(RestRestarter.class);

    private final WorkerRest rest;

    RestRestarter(WorkerRest rest) {
        this.rest = rest;
    }

    @Override
    public boolean restartConnectorAndTasks(String connector) {
        try {
            WorkerRest.Reply r = rest.post("/connectors/" + WorkerRest.segment(connector)
                    + "/restart?includeTasks=true&onlyFailed=false", Duration.ofSeconds(30));
            if (r.ok()) return true;
            log.warn("Restart of connector '{}' answered HTTP {}: {}", connector, r.status(), WorkerRest.abbreviate(r.body(), 300));
            return false;
        } catch (IOException e) {
            log.warn("Restart of connector '{}' failed: {}", connector, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
