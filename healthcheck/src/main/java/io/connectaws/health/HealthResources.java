package io.connectaws.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The two endpoints: 200 when the check passes, 503 when it does not, a JSON body either way. Each has its own full
 * path so that Kafka's {@code GET /health} keeps answering as before.
 *
 * <p>Both are registered as classes, with the monitor handed over as a property of Jersey's configuration: Jersey
 * treats a resource registered as an instance as a provider that implements nothing and warns about it through
 * {@code java.util.logging} at every start (eclipse-ee4j/jersey#3700).
 */
final class HealthResources {
    /** The configuration property under which {@link HealthExtension} hands its {@link HealthMonitor} over. */
    static final String MONITOR = HealthMonitor.class.getName();

    private HealthResources() {
    }

    private static HealthMonitor monitor(Configuration config) {
        return (HealthMonitor) config.getProperty(MONITOR);
    }

    private static Response answer(HealthMonitor.Verdict v) {
        CacheControl noCache = new CacheControl();
        noCache.setNoStore(true);
        return Response.status(v.ok() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(v.body()).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noCache).build();
    }

    /** {@code GET /health/live}: for the ECS container health check (and a target group). */
    @Path("/health/live")
    public static final class Liveness {
        private final HealthMonitor monitor;

        /** Jersey's constructor: the monitor from the configuration. */
        public Liveness(@Context Configuration config) {
            this(monitor(config));
        }

        Liveness(HealthMonitor monitor) {
            this.monitor = monitor;
        }

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Response live() {
            return answer(monitor.liveness());
        }
    }

    /** {@code GET /health/ready}: for dashboards, alarms and scripts; not for anything that replaces tasks. */
    @Path("/health/ready")
    public static final class Readiness {
        private final HealthMonitor monitor;

        /** Jersey's constructor: the monitor from the configuration. */
        public Readiness(@Context Configuration config) {
            this(monitor(config));
        }

        Readiness(HealthMonitor monitor) {
            this.monitor = monitor;
        }

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        public Response ready() {
            return answer(monitor.readiness());
        }
    }
}
