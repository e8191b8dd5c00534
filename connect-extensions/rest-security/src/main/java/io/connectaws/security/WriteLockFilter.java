package io.connectaws.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * The write lock: every REST call that changes something (create, replace, patch, delete, restart, pause, resume,
 * stop, offsets, logger levels) is refused with 403 unless it is the worker's own (the declarations reconciler,
 * self-healing, rotation) or one of Connect's internal calls between workers. Reads and validation stay allowed.
 */
final class WriteLockFilter implements ContainerRequestFilter {
    static final String MESSAGE = "This Connect cluster's REST API is write-locked (CONNECT_AWS_REST_WRITE_LOCK=true): "
            + "connectors are managed from declarations (files in /opt/connect/connectors or the SSM path, "
            + "docs/connectors.md), and reads stay allowed. To change a connector, change its declaration.";

    private final String workerToken;

    WriteLockFilter(String workerToken) {
        this.workerToken = workerToken;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (RestCalls.write(request) && !RestCalls.internal(request) && !RestCalls.fromWorker(request, workerToken)) {
            RestCalls.refuse(request, 403, MESSAGE, null);
        }
    }
}
