package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.connectaws.rest.WorkerRest;

class WriteLockFilterTest {
    private final WriteLockFilter lock = new WriteLockFilter("t0ken");

    private int call(String method, String path, Map<String, String> headers) {
        FakeCall c = new FakeCall(method, path, headers);
        lock.filter(c.context);
        if (c.refused() != 0) {
            assertThat(c.body()).contains("write-locked").contains("CONNECT_AWS_REST_WRITE_LOCK");
        }
        return c.refused();
    }

    @Test
    void everyWriteIsRefused() {
        for (List<String> w : List.of(List.of("POST", "connectors"), List.of("PUT", "connectors/a/config"),
                List.of("PATCH", "connectors/a/config"), List.of("DELETE", "connectors/a"),
                List.of("POST", "connectors/a/restart"), List.of("POST", "connectors/a/tasks/0/restart"),
                List.of("PUT", "connectors/a/pause"), List.of("PUT", "connectors/a/resume"), List.of("PUT", "connectors/a/stop"),
                List.of("PATCH", "connectors/a/offsets"), List.of("DELETE", "connectors/a/offsets"),
                List.of("PUT", "connectors/a/topics/reset"), List.of("PUT", "admin/loggers/root"), List.of("POST", "/connectors"))) {
            assertThat(call(w.get(0), w.get(1), Map.of())).as(w.toString()).isEqualTo(403);
        }
    }

    @Test
    void readsValidationInternalCallsAndTheWorkerPass() {
        assertThat(call("GET", "connectors", Map.of())).isZero();
        assertThat(call("GET", "connectors/a/status", Map.of())).isZero();
        assertThat(call("PUT", "connector-plugins/PostgresConnector/config/validate", Map.of())).isZero();
        assertThat(call("POST", "connectors/a/tasks", Map.of())).isZero();
        assertThat(call("PUT", "connectors/a/fence", Map.of())).isZero();
        assertThat(call("POST", "connectors", Map.of("Authorization", WorkerRest.TOKEN_SCHEME + " t0ken"))).isZero();
        assertThat(call("POST", "connectors", Map.of("Authorization", WorkerRest.TOKEN_SCHEME + " t0kem"))).isEqualTo(403);
        assertThat(call("POST", "connectors", Map.of("Authorization", "Basic dDBrZW4="))).isEqualTo(403);
    }
}
