package io.connectaws.health;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.rest.WorkerRest;

/** Restarts one connector instance or one task through this worker's REST API; Connect forwards it where it belongs. */
final class RestRestarter implements SelfHealing.Restarter {
    private static final Logger log = LoggerFactory.getLogger(RestRestarter.class);
    private final WorkerRest rest;

    RestRestarter(WorkerRest rest) {
        this.rest = rest;
    }

    @Override
    public SelfHealing.Outcome restart(Unit unit) {
        String path = "/connectors/" + WorkerRest.segment(unit.connector())
                + (unit.task() == null ? "/restart" : "/tasks/" + unit.task() + "/restart");
        try {
            WorkerRest.Reply r = rest.post(path, Duration.ofSeconds(30));
            if (r.ok()) return SelfHealing.Outcome.RESTARTED;
            if (r.status() == 404) return SelfHealing.Outcome.GONE;
            log.debug("POST {} answered HTTP {}: {}", path, r.status(), WorkerRest.abbreviate(r.body(), 300));
            return SelfHealing.Outcome.REFUSED;
        } catch (IOException e) {
            log.debug("POST {} failed: {}", path, e.toString());
            return SelfHealing.Outcome.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SelfHealing.Outcome.REFUSED;
        }
    }
}
