package io.connectaws.secrets.rotation;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's id and its own REST API, derived from the worker config the way Connect derives them: the id is the
 * advertised {@code host:port}; restarts go to the first plain-http listener on loopback (Connect forwards them to
 * the leader). {@code connect.aws.rotation.rest.url} overrides the URL, e.g. when only an https listener exists.
 */
final class WorkerRest implements RotationMonitor.Restarter {
    static final String REST_URL_OVERRIDE = "connect.aws.rotation.rest.url";
    private static final Logger log = LoggerFactory.getLogger(WorkerRest.class);

    final String workerId;
    final Optional<URI> restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WorkerRest(String workerId, Optional<URI> restUrl) {
        this.workerId = workerId;
        this.restUrl = restUrl;
    }

    /** Reads {@code listeners}, {@code rest.advertised.*} and the override from the worker config. */
    static WorkerRest from(Map<String, ?> worker) {
        String listeners = str(worker, "listeners").orElse("http://:8083");
        URI first = null;
        URI http = null;
        for (String l : listeners.split(",")) {
            URI u = URI.create(l.trim().replace("://:", "://0.0.0.0:"));
            if (first == null) first = u;
            if (http == null && "http".equalsIgnoreCase(u.getScheme())) http = u;
        }
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
        Optional<URI> url = str(worker, REST_URL_OVERRIDE).map(URI::create);
        if (url.isEmpty() && http != null) {
            String h = http.getHost() == null || http.getHost().equals("0.0.0.0") ? "127.0.0.1" : http.getHost();
            url = Optional.of(URI.create("http://" + h + ":" + (http.getPort() < 0 ? 80 : http.getPort())));
        }
        return new WorkerRest(host + ":" + port, url);
    }

    @Override
    public boolean restartConnectorAndTasks(String connector) {
        if (restUrl.isEmpty()) {
            log.warn("Cannot restart connector '{}' after a rotation: the worker has no http listener; set {}", connector,
                    REST_URL_OVERRIDE);
            return false;
        }
        URI uri = restUrl.get().resolve("/connectors/" + URLEncoder.encode(connector, StandardCharsets.UTF_8).replace("+", "%20")
                + "/restart?includeTasks=true&onlyFailed=false");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) return true;
            log.warn("Restart of connector '{}' answered HTTP {}: {}", connector, r.statusCode(), abbreviate(r.body()));
            return false;
        } catch (java.io.IOException e) {
            log.warn("Restart of connector '{}' failed: {}", connector, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static Optional<String> str(Map<String, ?> m, String k) {
        Object v = m.get(k);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().trim());
    }
}
