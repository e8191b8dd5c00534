package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.connectaws.rest.WorkerRest;

class WorkerStatusTest {

    @Test
    void kafkaHealthAnswersMapToStatesAndA404IsStillStarting() throws Exception {
        AtomicInteger status = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"status\":\"x\",\"message\":\"msg " + status.get() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            WorkerRest rest = WorkerRest.from(Map.of("listeners", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "rest.advertised.host.name", "w1"), "health.rest.url");
            WorkerStatus.Source source = WorkerStatus.kafkaHealthEndpoint(rest);
            Map<Integer, WorkerStatus.State> expected = Map.of(200, WorkerStatus.State.RUNNING, 503, WorkerStatus.State.STARTING,
                    404, WorkerStatus.State.STARTING, 500, WorkerStatus.State.UNHEALTHY, 401, WorkerStatus.State.UNREACHABLE);
            expected.forEach((code, state) -> {
                status.set(code);
                assertThat(source.check().state()).as("HTTP %d", code).isEqualTo(state);
            });
            status.set(503);
            assertThat(source.check().detail()).isEqualTo("msg 503");
            status.set(401);
            assertThat(source.check().detail()).startsWith("HTTP 401: ");
        } finally {
            server.stop(0);
        }
    }
}
