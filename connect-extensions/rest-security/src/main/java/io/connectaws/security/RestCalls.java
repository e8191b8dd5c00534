package io.connectaws.security;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import io.connectaws.rest.ConnectorRequest;
import io.connectaws.rest.WorkerRest;

/** What the filters know about a REST call: which paths stay open, which are Connect's internal calls, the worker. */
final class RestCalls {
    /** ECS, load balancer and probe checks: this image's and Kafka's health endpoints. */
    private static final List<String> OPEN = List.of("health", "health/live", "health/ready");
    /** Followers' calls to the leader, signed with the session key that Connect checks itself (as Kafka's basic auth). */
    private static final Pattern TASK_CONFIGS = Pattern.compile("connectors/[^/]+/tasks/?");
    private static final Pattern FENCE = Pattern.compile("connectors/[^/]+/fence/?");
    private static final Pattern VALIDATE = Pattern.compile("connector-plugins/[^/]+/config/validate/?");

    private RestCalls() {
    }

    /** The request path without its leading slash, as Connect's resources match it. */
    static String path(ContainerRequestContext request) {
        String p = request.getUriInfo().getPath();
        return p.startsWith("/") ? p.substring(1) : p;
    }

    static boolean open(ContainerRequestContext request) {
        String m = request.getMethod();
        return (m.equals("GET") || m.equals("HEAD")) && OPEN.contains(stripSlash(path(request)));
    }

    static boolean internal(ContainerRequestContext request) {
        String path = path(request);
        return (request.getMethod().equals("POST") && TASK_CONFIGS.matcher(path).matches())
                || (request.getMethod().equals("PUT") && FENCE.matcher(path).matches());
    }

    /** True for a call that changes something: any method but GET, HEAD and OPTIONS, except config validation. */
    static boolean write(ContainerRequestContext request) {
        String m = request.getMethod();
        return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")
                || (m.equals("PUT") && VALIDATE.matcher(path(request)).matches()));
    }

    /** True when the call carries this worker's own token ({@link WorkerRest#TOKEN_SCHEME}). */
    static boolean fromWorker(ContainerRequestContext request, String token) {
        String auth = request.getHeaderString("Authorization");
        String prefix = WorkerRest.TOKEN_SCHEME + " ";
        if (token.isEmpty() || auth == null || !auth.startsWith(prefix)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the call with {@code status} in Connect's error shape. */
    static void refuse(ContainerRequestContext request, int status, String message, String challenge) {
        Response.ResponseBuilder r = ConnectorRequest.errorReply(status, message);
        if (challenge != null) {
            r.header("WWW-Authenticate", challenge);
        }
        request.abortWith(r.build());
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
