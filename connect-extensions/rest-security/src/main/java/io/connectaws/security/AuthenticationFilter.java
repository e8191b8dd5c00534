package io.connectaws.security;

import java.util.Optional;
import java.util.function.IntSupplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every REST call but the health checks and Connect's signed calls between workers, by the mode of
 * {@link RestSecuritySettings}; the worker's own loopback calls pass with its token. A missing or wrong credential is a
 * 401 with a challenge, a verified IAM principal that is not allowed a 403; the reply never repeats a credential.
 * Requests a follower forwards to the leader keep the caller's {@code Authorization} header (Connect copies it), so
 * the leader authenticates the same caller.
 */
final class AuthenticationFilter implements ContainerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);

    private final RestSecuritySettings settings;

    /** Jersey injects a proxy of the current request: the listener port it arrived on is the server's, not a header. */
    @Context
    private HttpServletRequest servletRequest;
    private final IntSupplier localPort;

    AuthenticationFilter(RestSecuritySettings settings) {
        this.settings = settings;
        this.localPort = () -> servletRequest == null ? -1 : servletRequest.getLocalPort();
    }

    /** With the local port given, for tests. */
    AuthenticationFilter(RestSecuritySettings settings, IntSupplier localPort) {
        this.settings = settings;
        this.localPort = localPort;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (settings.mode() == RestSecuritySettings.Mode.NONE || RestCalls.open(request) || RestCalls.internal(request)
                || RestCalls.fromWorker(request, settings.workerToken())) {
            return;
        }
        String authorization = request.getHeaderString("Authorization");
        switch (settings.mode()) {
            case BASIC -> {
                Optional<String> user = settings.basicUsers().authenticate(authorization);
                if (user.isEmpty()) {
                    log.info("REST call {} {} refused: {} Basic credentials", request.getMethod(), RestCalls.path(request),
                            authorization == null ? "no" : "wrong");
                    RestCalls.refuse(request, 401, "This REST API needs HTTP Basic credentials of a user in "
                            + "CONNECT_AWS_REST_BASIC_CREDENTIALS (docs/security.md)", "Basic realm=\"connect-aws\"");
                }
            }
            case IAM -> {
                IamCallerIdentity.Result result = settings.iam().authenticate(authorization);
                if (!result.allowed()) {
                    log.info("REST call {} {} refused ({}): {}", request.getMethod(), RestCalls.path(request),
                            result.status(), result.reason());
                    RestCalls.refuse(request, result.status(), "This REST API needs an AWS IAM token of an allowed "
                            + "principal: Authorization: Bearer $(aws eks get-token --cluster-name CLUSTER_ID --query "
                            + "status.token --output text) (docs/security.md). " + result.reason(),
                            result.status() == 401 ? "Bearer realm=\"connect-aws\"" : null);
                }
            }
            case MTLS -> {
                // the https listener asks for a client certificate in its handshake (ssl.client.auth=required), so a
                // call that arrived there has one its CA signed; the loopback http listener serves only the worker
                if (localPort.getAsInt() != settings.mtlsPort()) {
                    RestCalls.refuse(request, 401, "This REST API needs a client certificate: call the https listener "
                            + "on port " + settings.mtlsPort() + " with a certificate from the CA in "
                            + "CONNECT_AWS_REST_TLS_CLIENT_CA (docs/security.md)", null);
                }
            }
            default -> {
            }
        }
    }
}
