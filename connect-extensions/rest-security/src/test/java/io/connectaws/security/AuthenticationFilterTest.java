package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.connectaws.rest.WorkerRest;

class AuthenticationFilterTest {
    private static final String ENTRY = BasicCredentials.hash("ops", "pw".toCharArray());

    private static AuthenticationFilter basic() {
        Map<String, Object> worker = new HashMap<>();
        worker.put(RestSecuritySettings.AUTH, "basic");
        worker.put(RestSecuritySettings.BASIC_CREDENTIALS, ENTRY);
        worker.put(WorkerRest.TOKEN_PROPERTY, "w0rker");
        return new AuthenticationFilter(RestSecuritySettings.from(worker));
    }

    private static FakeCall call(AuthenticationFilter f, String method, String path, String authorization) {
        FakeCall c = new FakeCall(method, path, authorization == null ? Map.of() : Map.of("Authorization", authorization));
        f.filter(c.context);
        return c;
    }

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicModeRefusesMissingAndWrongCredentialsWithAChallenge() {
        AuthenticationFilter f = basic();
        for (String auth : new String[] {null, basic("ops:wrong"), basic("root:pw"), "Bearer abc"}) {
            FakeCall c = call(f, "GET", "connectors", auth);
            assertThat(c.refused()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(c.reply().getHeaderString("WWW-Authenticate")).isEqualTo("Basic realm=\"connect-aws\"");
            assertThat(c.body()).contains("CONNECT_AWS_REST_BASIC_CREDENTIALS").doesNotContain("wrong");
        }
        assertThat(call(f, "POST", "connectors", basic("ops:pw")).refused()).isZero();
    }

    @Test
    void healthInternalCallsAndTheWorkerItselfPass() {
        AuthenticationFilter f = basic();
        for (String p : new String[] {"health", "health/live", "health/ready", "/health/ready"}) {
            assertThat(call(f, "GET", p, null).refused()).as(p).isZero();
        }
        assertThat(call(f, "GET", "health/other", null).refused()).isEqualTo(401);
        assertThat(call(f, "POST", "health/ready", null).refused()).isEqualTo(401);
        assertThat(call(f, "POST", "connectors/a/tasks", null).refused()).isZero();
        assertThat(call(f, "PUT", "connectors/a/fence", null).refused()).isZero();
        assertThat(call(f, "PUT", "connectors/a/tasks", null).refused()).isEqualTo(401);
        assertThat(call(f, "DELETE", "connectors/a", WorkerRest.TOKEN_SCHEME + " w0rker").refused()).isZero();
        assertThat(call(f, "DELETE", "connectors/a", WorkerRest.TOKEN_SCHEME + " other").refused()).isEqualTo(401);
    }

    @Test
    void noModeLetsEveryCallThrough() {
        AuthenticationFilter f = new AuthenticationFilter(RestSecuritySettings.from(Map.of()));
        assertThat(call(f, "DELETE", "connectors/a", null).refused()).isZero();
    }

    @Test
    void mtlsModeAcceptsOnlyTheHttpsListenersPort() {
        Map<String, Object> worker = Map.of(RestSecuritySettings.AUTH, "mtls",
                "listeners", "https://0.0.0.0:8443,http://127.0.0.1:8083", "listeners.https.ssl.client.auth", "required",
                WorkerRest.TOKEN_PROPERTY, "w0rker");
        AuthenticationFilter viaHttps = new AuthenticationFilter(RestSecuritySettings.from(worker), () -> 8443);
        AuthenticationFilter viaLoopback = new AuthenticationFilter(RestSecuritySettings.from(worker), () -> 8083);
        assertThat(call(viaHttps, "GET", "connectors", null).refused()).isZero();
        assertThat(call(viaLoopback, "GET", "connectors", null).refused()).isEqualTo(401);
        assertThat(call(viaLoopback, "GET", "connectors", WorkerRest.TOKEN_SCHEME + " w0rker").refused()).isZero();
    }
}
