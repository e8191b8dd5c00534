package io.connectaws.it.apicurio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-memory stand-in for Apicurio Registry 2.6 serving {@link RegistryApi} on one port, optionally behind HTTP Basic
 * authentication (the registry's {@code apicurio.auth.username}/{@code password} client settings). Every request is
 * logged with its answer; a request no route serves is answered 404 and logged as UNSERVED, so a client calling an
 * operation the stand-in lacks shows up in the container log.
 *
 * <p>A control port ({@code POST /outage?seconds=N}) takes the API port down for a while, with the registry's state
 * kept: clients then get "connection refused", as from a registry whose process is restarting.
 *
 * <p>Environment of the container: {@code APICURIO_LOCAL_PORT} (default 8080), {@code APICURIO_LOCAL_CONTROL_PORT}
 * (default 8081), {@code APICURIO_LOCAL_USERNAME} and {@code APICURIO_LOCAL_PASSWORD} (both or neither),
 * {@code APICURIO_LOCAL_COMPATIBILITY} (a global COMPATIBILITY rule, e.g. BACKWARD).
 */
public final class ApicurioLocal implements AutoCloseable {

    private volatile HttpServer server;
    private final int port;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final java.util.concurrent.ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor();
    private final RegistryApi api;
    private final String basicAuth;

    /**
     * Starts a registry on {@code port} (0 picks one).
     *
     * @param username null for no authentication
     */
    public ApicurioLocal(int port, String username, String password, String compatibility) throws IOException {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("Set both APICURIO_LOCAL_USERNAME and APICURIO_LOCAL_PASSWORD, or neither");
        }
        Registry registry = new Registry();
        if (compatibility != null) {
            registry.setGlobalRule("COMPATIBILITY", compatibility);
        }
        this.api = new RegistryApi(registry);
        this.basicAuth = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = listen(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(onPort), 50);
        s.setExecutor(executor);
        s.createContext("/", this::serve);
        s.start();
        return s;
    }

    /** Stops listening on the API port (open connections are closed) and listens again after {@code duration}. */
    public synchronized void outage(java.time.Duration duration) {
        server.stop(0);
        System.out.println("apicurio-local: down for " + duration.toSeconds() + " s");
        timer.schedule(() -> {
            try {
                server = listen(port);
                System.out.println("apicurio-local: back");
            } catch (IOException e) {
                System.out.println("apicurio-local: cannot listen again on " + port + ": " + e);
            }
        }, duration.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Serves {@code POST /outage?seconds=N} on {@code controlPort}. */
    void control(int controlPort) throws IOException {
        HttpServer control = HttpServer.create(new InetSocketAddress(controlPort), 10);
        control.createContext("/outage", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int status = 400;
            if ("POST".equals(exchange.getRequestMethod()) && query != null && query.matches("seconds=\\d+")) {
                outage(java.time.Duration.ofSeconds(Long.parseLong(query.substring("seconds=".length()))));
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        control.start();
    }

    /** The v2 API's base URL on this host, what {@code apicurio.registry.url} names. */
    public String url() {
        return "http://localhost:" + server.getAddress().getPort() + RegistryApi.BASE;
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        RegistryApi.Reply reply;
        try {
            if (basicAuth != null && path.startsWith(RegistryApi.BASE)
                    && !basicAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply = RegistryApi.error(new RegistryError(401, "NotAuthorizedException",
                        "Authentication failed: missing or wrong credentials"));
            } else {
                reply = api.dispatch(method, path, new ExchangeRequest(exchange));
                if (reply == null) {
                    System.out.println("apicurio-local: UNSERVED " + method + " " + exchange.getRequestURI());
                    reply = RegistryApi.error(new RegistryError(404, "NotFoundException",
                            "No operation " + method + " " + path + " in this stand-in"));
                }
            }
        } catch (RuntimeException e) {
            reply = RegistryApi.error(new RegistryError(500, e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
        System.out.println("apicurio-local: " + method + " " + exchange.getRequestURI() + " -> " + reply.status());
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
        } else {
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        executor.shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        String port = System.getenv().getOrDefault("APICURIO_LOCAL_PORT", "8080");
        ApicurioLocal registry = new ApicurioLocal(Integer.parseInt(port), System.getenv("APICURIO_LOCAL_USERNAME"),
                System.getenv("APICURIO_LOCAL_PASSWORD"), System.getenv("APICURIO_LOCAL_COMPATIBILITY"));
        String controlPort = System.getenv().getOrDefault("APICURIO_LOCAL_CONTROL_PORT", "8081");
        registry.control(Integer.parseInt(controlPort));
        System.out.println("apicurio-local: serving " + RegistryApi.BASE + " on port " + port
                + " (control on " + controlPort + ")"
                + (registry.basicAuth != null ? " with basic authentication" : ""));
    }

    /** {@link RegistryApi.Request} over a JDK exchange. */
    private record ExchangeRequest(HttpExchange exchange) implements RegistryApi.Request {
        @Override
        public String query(String name) {
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw == null) {
                return null;
            }
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public String body() throws IOException {
            return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
