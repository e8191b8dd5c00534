package io.connectaws.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class WorkerRestTest {
    private static final String OVERRIDE = "x.rest.url";

    @Test
    void idIsTheAdvertisedHostAndPortAndCallsGoToLoopback() {
        WorkerRest rest = WorkerRest.from(Map.of("listeners", "http://0.0.0.0:8083", "rest.advertised.host.name", "10.1.2.3"), OVERRIDE);
        assertThat(rest.workerId()).isEqualTo("10.1.2.3:8083");
        assertThat(rest.url()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:8083"));
    }

    @Test
    void advertisedPortAndFirstPlainListenerAreUsed() {
        WorkerRest rest = WorkerRest.from(Map.of("listeners", "https://:8443,http://127.0.0.1:9000",
                "rest.advertised.host.name", "w1", "rest.advertised.port", "443"), OVERRIDE);
        assertThat(rest.workerId()).isEqualTo("w1:443");
        assertThat(rest.url()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:9000"));
    }

    @Test
    void httpsOnlyNeedsTheOverrideAndSaysSo() {
        WorkerRest rest = WorkerRest.from(Map.of("listeners", "https://:8443"), OVERRIDE);
        assertThat(rest.url()).isEmpty();
        assertThatThrownBy(() -> rest.get("/", Duration.ofSeconds(1))).isInstanceOf(IOException.class).hasMessageContaining(OVERRIDE);
        assertThat(WorkerRest.from(Map.of("listeners", "https://:8443", OVERRIDE, "http://127.0.0.1:9999"), OVERRIDE).url())
                .hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9999));
    }

    @Test
    void getAndPostReachTheServerWithEncodedNames() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery());
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 204 : 200, ex.getRequestMethod().equals("POST") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("POST")) ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            WorkerRest rest = WorkerRest.from(Map.of("listeners", "http://127.0.0.1:" + server.getAddress().getPort()), OVERRIDE);
            WorkerRest.Reply get = rest.get("/health", Duration.ofSeconds(5));
            assertThat(get.ok()).isTrue();
            assertThat(get.body()).isEqualTo("{\"ok\":true}");
            assertThat(rest.post("/connectors/" + WorkerRest.segment("a b/c") + "/restart?includeTasks=true", Duration.ofSeconds(5)).status())
                    .isEqualTo(204);
            assertThat(seen).containsExactly("GET /health?null", "POST /connectors/a%20b%2Fc/restart?includeTasks=true");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void abbreviateCutsLongText() {
        assertThat(WorkerRest.abbreviate(null, 3)).isEmpty();
        assertThat(WorkerRest.abbreviate("abcdef", 3)).isEqualTo("abc...");
        assertThat(WorkerRest.abbreviate("abc", 3)).isEqualTo("abc");
    }
}
