package io.connectaws.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

/** The probe against a real HTTP server on an ephemeral port, with the worker's age supplied by the test. */
class HealthProbeTest {
    private static final long YOUNG = 12_000;
    private static final long OLD = 3_600_000;
    private static final long UNKNOWN = -1;

    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService handlers;
    private HttpServer server;
    private String url;
    private volatile int status = 200;
    private volatile String body = "{\"status\":\"live\",\"worker\":\"10.0.0.1:8083\"}";

    @BeforeEach
    void startServer() throws IOException {
        handlers = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/health/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/silent/", exchange -> {
            try {
                release.await(); // never answers while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void okIsExitZeroWithOneLine() {
        Result r = probe(Map.of(), YOUNG, "live", "--url=" + url);
        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("live: HTTP 200 {\"status\":\"live\",\"worker\":\"10.0.0.1:8083\"}\n");
        assertThat(r.err).isEmpty();
    }

    @Test
    void serviceUnavailableIsExitOne() {
        status = 503;
        body = "{\"status\":\"not ready\",\n  \"reasons\": [\"connector pg task 0 FAILED\"]}";
        Result r = probe(Map.of(), OLD, "ready", "--url=" + url + "/");
        assertThat(r.code).isEqualTo(1);
        String oneLine = "{\"status\":\"not ready\", \"reasons\": [\"connector pg task 0 FAILED\"]}";
        assertThat(r.out).isEqualTo("ready: HTTP 503 " + oneLine + "\n");
    }

    @Test
    void notFoundWhileTheWorkerStartsIsLiveButNotReady() {
        status = 404;
        Result live = probe(Map.of(), YOUNG, "live", "--url=" + url);
        assertThat(live.code).isZero();
        assertThat(live.out).isEqualTo("live: starting (worker up 12s, REST not serving /health/live yet)\n");

        Result ready = probe(Map.of(), YOUNG, "ready", "--url=" + url);
        assertThat(ready.code).isEqualTo(1);
        assertThat(ready.out).startsWith("ready: not ready: starting (HTTP 404 from " + url + "/health/ready");
    }

    @Test
    void notFoundAfterTheGraceNamesTheMissingExtension() {
        status = 404;
        Result r = probe(Map.of(), OLD, "live", "--url=" + url, "--startup-grace=2m");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out)
                .startsWith("live: not live (HTTP 404 from " + url + "/health/live; worker up 3600s, past the 120s")
                .contains("io.connectaws.health.HealthExtension").contains("rest.extension.classes");
    }

    @Test
    void refusedWhileTheWorkerStartsIsLiveButNotReady() throws IOException {
        String closed = "--url=http://127.0.0.1:" + freePort();
        Result live = probe(Map.of(), YOUNG, "live", closed);
        assertThat(live.code).isZero();
        assertThat(live.out).isEqualTo("live: starting (worker up 12s, REST not listening yet)\n");

        Result ready = probe(Map.of(), YOUNG, "ready", closed);
        assertThat(ready.code).isEqualTo(1);
        assertThat(ready.out).startsWith("ready: not ready: starting (Connection refused to http://127.0.0.1:");
    }

    @Test
    void refusedAfterTheGraceOrWithoutAStartTimeIsNotLive() throws IOException {
        String closed = "http://127.0.0.1:" + freePort();
        Result old = probe(Map.of(), OLD, "live", "--url=" + closed);
        assertThat(old.code).isEqualTo(1);
        assertThat(old.out).isEqualTo("live: not live (Connection refused to " + closed
                + "/health/live; worker up 3600s, past the 300s startup grace)\n");

        Result unknown = probe(Map.of(), UNKNOWN, "live", "--url=" + closed);
        assertThat(unknown.code).isEqualTo(1);
        assertThat(unknown.out).contains("worker start time unknown, so no startup grace");

        Result noGrace = probe(Map.of(), YOUNG, "live", "--url=" + closed, "--startup-grace=0");
        assertThat(noGrace.code).isEqualTo(1);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, not hangs, should the bound break
    void aServerThatNeverAnswersFailsWithinTheTimeout() {
        long start = System.nanoTime();
        Result r = probe(Map.of(), YOUNG, "live", "--url=" + url + "/silent", "--timeout=500ms");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEqualTo("live: not live (no answer from " + url + "/silent/health/live within 500ms)\n");
        assertThat(elapsedMs).isBetween(400L, 500L + 2_000L);
    }

    @Test
    void anAnswerThatIsNotHttpIsNotLive() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the probe reports what it got
                }
            });
            sender.start();
            String peer = "http://127.0.0.1:" + socket.getLocalPort();
            Result r = probe(Map.of(), YOUNG, "live", "--url=" + peer);
            sender.join();
            assertThat(r.code).isEqualTo(1);
            assertThat(r.out).isEqualTo("live: not live (IOException: Not an HTTP response: 'SSH-2.0-OpenSSH '; GET "
                    + peer + "/health/live)\n");
        }
    }

    @Test
    void bodyIsCollapsedToOneLineAndTruncated() {
        body = "{\"status\":\"live\",\r\n\t\"detail\":\"" + "x".repeat(1_000) + "\"}\n";
        Result r = probe(Map.of(), YOUNG, "live", "--url=" + url);
        assertThat(r.code).isZero();
        assertThat(r.out).hasLineCount(1).endsWith("...\n")
                .startsWith("live: HTTP 200 {\"status\":\"live\", \"detail\":\"xxx");
        assertThat(r.out.length()).isEqualTo("live: HTTP 200 ".length() + HealthProbe.MAX_BODY_CHARS + 1);
        assertThat(HealthProbe.oneLine("  a\n\n b\u0000c  ", 300)).isEqualTo("a b c");
        assertThat(HealthProbe.oneLine("abcdef", 5)).isEqualTo("ab...");
    }

    @Test
    void baseUrlComesFromTheEnvironment() {
        assertThat(HealthProbe.defaultUrl(Map.of())).isEqualTo("http://127.0.0.1:8083");
        assertThat(fromListeners("http://0.0.0.0:8083")).isEqualTo("http://127.0.0.1:8083");
        assertThat(fromListeners("https://:8443, HTTP://:9000")).isEqualTo("http://127.0.0.1:9000");
        assertThat(fromListeners("http://[::]:8083")).isEqualTo("http://127.0.0.1:8083");
        assertThat(fromListeners("http://[::1]:8083")).isEqualTo("http://[::1]:8083");
        assertThat(fromListeners("http://connect.local")).isEqualTo("http://connect.local:80");
        Map<String, String> both = Map.of("CONNECT_LISTENERS", "http://:8083",
                "HEALTH_PROBE_URL", "http://10.0.0.5:8083");
        assertThat(HealthProbe.defaultUrl(both)).isEqualTo("http://10.0.0.5:8083");
        assertThatThrownBy(() -> fromListeners("https://0.0.0.0:8443"))
                .hasMessageContaining("only https listeners").hasMessageContaining("HEALTH_PROBE_URL");

        String listener = "https://:8443,http://0.0.0.0:" + server.getAddress().getPort();
        assertThat(probe(Map.of("CONNECT_LISTENERS", listener), YOUNG, "live").code).isZero();
        assertThat(probe(Map.of("HEALTH_PROBE_URL", url), YOUNG, "live").code).isZero();
    }

    @Test
    void misuseIsExitTwoWithOneLineOnStderr() {
        String[][] misuses = {{}, {"alive"}, {"live", "ready"}, {"live", "--timeout=5x"}, {"live", "--timeout=0"},
            {"live", "--timeout=-5s"}, {"live", "--startup-grace="}, {"live", "--url=https://127.0.0.1:8443"},
            {"live", "--url=not a url"}, {"live", "--verbose"}};
        for (String[] args : misuses) {
            Result r = probe(Map.of(), YOUNG, args);
            assertThat(r.code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out).isEmpty();
            assertThat(r.err).hasLineCount(1).startsWith("health probe: ").contains("usage: HealthProbe live|ready");
        }
        assertThat(probe(Map.of(), YOUNG, "live", "--timeout=5x").err).contains("--timeout=5x", "500ms, 5s, 2m");
        assertThat(probe(Map.of("CONNECT_LISTENERS", "https://:8443"), YOUNG, "live").code).isEqualTo(2);
    }

    @Test
    void durationsAcceptMillisSecondsMinutesAndBareSeconds() {
        assertThat(HealthProbe.millis("--timeout=500ms", 1)).isEqualTo(500);
        assertThat(HealthProbe.millis("--timeout=5s", 1)).isEqualTo(5_000);
        assertThat(HealthProbe.millis("--startup-grace=2m", 0)).isEqualTo(120_000);
        assertThat(HealthProbe.millis("--startup-grace=300", 0)).isEqualTo(300_000);
        assertThat(HealthProbe.millis("--startup-grace=0", 0)).isZero();
    }

    private static String fromListeners(String listeners) {
        return HealthProbe.defaultUrl(Map.of("CONNECT_LISTENERS", listeners));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Result probe(Map<String, String> env, long uptimeMillis, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = HealthProbe.run(args, env, () -> uptimeMillis, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }
}
