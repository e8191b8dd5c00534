package io.connectaws.secrets.rotation;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.WorkerRest;

/**
 * Restarts a connector's instance and tasks that run on this worker through its own REST API: each is restarted where
 * it runs, so Connect forwards nothing to the leader.
 */
final class RestRestarter implements RotationMonitor.Restarter {
    /** Overrides the worker's REST URL, e.g. when it serves https only. */
    static final String REST_URL_OVERRIDE = "connect.aws.rotation.rest.url";
    private static final Logger log = LoggerFactory.getLogger(RestRestarter.class);

    private final WorkerRest rest;

    RestRestarter(WorkerRest rest) {
        this.rest = rest;
    }

    @Override
    public boolean restart(String connector, boolean instanceHere, List<Integer> tasksHere) {
        String base = "/connectors/" + WorkerRest.segment(connector);
        boolean ok = !instanceHere || post(connector, base + "/restart");
        for (int task : tasksHere) {
            ok &= post(connector, base + "/tasks/" + task + "/restart");
        }
        return ok;
    }

    private boolean post(String connector, String path) {
        try {
            WorkerRest.Reply r = rest.post(path, Duration.ofSeconds(30));
            if (r.ok()) return true;
            log.warn("Restart of connector '{}' ({}) answered HTTP {}: {}", connector, path, r.status(),
                    WorkerRest.abbreviate(r.body(), 300));
            return false;
        } catch (IOException e) {
            log.warn("Restart of connector '{}' ({}) failed: {}", connector, path, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
