package io.connectaws.rest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This worker's id and its own REST API, derived from the worker config the way Connect derives them: the id is the
 * advertised {@code host:port}; calls go to the first plain-http listener on loopback (Connect forwards restarts to
 * the leader itself). A plugin-specific override property can name the URL instead, e.g. when only https is served.
 * Each call carries the worker's own token ({@link #TOKEN_PROPERTY}, set by the launcher), which the REST security
 * filters accept from the worker itself when authentication or the write lock is on.
 */
public final class WorkerRest {
    /** Worker property holding the token of the worker's own calls; random per start, never logged. */
    public static final String TOKEN_PROPERTY = "connect.aws.rest.worker.token";
    /** The {@code Authorization} scheme of the worker's own calls. */
    public static final String TOKEN_SCHEME = "ConnectAwsWorker";

    private final String workerId;
    private final Optional<URI> url;
    private final String overrideProperty;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer: status code and body. */
    public record Reply(int status, String body) {
        /** True for a 2xx status. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    private WorkerRest(String workerId, Optional<URI> url, String overrideProperty, String token) {
        this.workerId = workerId;
        this.url = url;
        this.overrideProperty = overrideProperty;
        this.token = token;
    }

    /**
     * Reads {@code listeners}, {@code rest.advertised.host.name}/{@code .port} and {@code overrideProperty} (a URL such
     * as {@code http://127.0.0.1:8083}) from the worker config.
     */
    public static WorkerRest from(Map<String, ?> worker, String overrideProperty) {
        List<URI> all = listeners(str(worker, "listeners").orElse("http://:8083"));
        URI first = all.isEmpty() ? null : all.get(0);
        URI plain = all.stream().filter(u -> "http".equalsIgnoreCase(u.getScheme())).findFirst().orElse(null);
        URI firstListener = first;
        String host = str(worker, "rest.advertised.host.name").orElseGet(() -> {
            String h = firstListener == null ? null : firstListener.getHost();
            if (h != null && !h.equals("0.0.0.0")) return h;
            try {
                return InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
        int port = str(worker, "rest.advertised.port").map(Integer::parseInt)
                .orElse(first == null || first.getPort() < 0 ? 8083 : first.getPort());
        Optional<URI> url = str(worker, overrideProperty).map(URI::create);
        if (url.isEmpty() && plain != null) {
            String h = plain.getHost() == null || plain.getHost().equals("0.0.0.0") ? "127.0.0.1" : plain.getHost();
            url = Optional.of(URI.create("http://" + h + ":" + (plain.getPort() < 0 ? 80 : plain.getPort())));
        }
        return new WorkerRest(host + ":" + port, url, overrideProperty, str(worker, TOKEN_PROPERTY).orElse(null));
    }

    /** Connect's {@code listeners} value as URIs, a wildcard host ({@code http://:8083}) as {@code 0.0.0.0}. */
    public static List<URI> listeners(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> URI.create(l.replace("://:", "://0.0.0.0:"))).toList();
    }

    /** The id Connect gives this worker in connector and task status ({@code host:port}). */
    public String workerId() {
        return workerId;
    }

    /** Base URL of this worker's REST API, empty if the worker serves no plain-http listener and no override is set. */
    public Optional<URI> url() {
        return url;
    }

    /** {@code GET path} on this worker. */
    public Reply get(String path, Duration timeout) throws IOException, InterruptedException {
        return send(path, "GET", timeout);
    }

    /** {@code POST path} with an empty body on this worker. */
    public Reply post(String path, Duration timeout) throws IOException, InterruptedException {
        return send(path, "POST", timeout);
    }

    private Reply send(String path, String method, Duration timeout) throws IOException, InterruptedException {
        return send(path, method, null, timeout);
    }

    /** {@code method path} on this worker, with {@code json} as the request body when it is not null. */
    public Reply send(String path, String method, String json, Duration timeout) throws IOException, InterruptedException {
        URI base = url.orElseThrow(() -> new IOException(
                "the worker serves no http listener to call on loopback; set " + overrideProperty));
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", TOKEN_SCHEME + " " + token);
        }
        HttpRequest request = builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** A connector name as one URL path segment. */
    public static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** At most {@code max} characters of {@code s}, with an ellipsis when cut; never null. */
    public static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() > max ? s.substring(0, max) + "..." : s;
    }

    private static Optional<String> str(Map<String, ?> m, String k) {
        Object v = k == null ? null : m.get(k);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().trim());
    }
}
