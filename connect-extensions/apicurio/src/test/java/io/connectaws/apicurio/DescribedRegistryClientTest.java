package io.connectaws.apicurio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import com.sun.net.httpserver.HttpServer;
import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.client.exception.ArtifactNotFoundException;
import io.apicurio.registry.rest.client.impl.ErrorHandler;
import io.apicurio.rest.client.JdkHttpClient;
import io.apicurio.rest.client.auth.BasicAuth;
import io.apicurio.rest.client.spi.ApicurioHttpClientProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Apicurio's registry client through {@link DescribedRegistryClient}, against servers that fail in each way. */
class DescribedRegistryClientTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RegistryClient client(String url, BasicAuth auth, Duration timeout) {
        RegistryClient client = RegistryClientFactory.create(new DescribedRegistryClient(url,
                new JdkHttpClient(url, Map.of(), auth, new ErrorHandler()), timeout));
        open.add(client);
        return client;
    }

    @Test
    void anUnreachableRegistryIsNamedWithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://localhost:" + port + "/apis/registry/v2/";
        assertThatThrownBy(() -> client(url, null, Duration.ofSeconds(10)).getArtifactMetaData("default", "t-value"))
                .isInstanceOf(RegistryCallException.class)
                .hasMessage("Apicurio Registry at " + url + " cannot be reached for GET groups/default/artifacts/t-value/meta: "
                        + "ConnectException (connection refused or host unreachable)");
    }

    @Test
    void aRegistryThatNeverAnswersTimesOutInsteadOfHangingTheTask() throws Exception {
        ServerSocket silent = new ServerSocket(0);
        open.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept()); // accept, then say nothing
                }
            } catch (Exception e) {
                // closed
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "http://localhost:" + silent.getLocalPort() + "/apis/registry/v2/";
        long started = System.nanoTime();
        assertThatThrownBy(() -> client(url, null, Duration.ofMillis(500)).getArtifactMetaData("default", "t-value"))
                .isInstanceOf(RegistryCallException.class)
                .hasMessageStartingWith("Apicurio Registry at " + url + " did not answer GET ");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusedCredentialsAreSaidSoWithoutThePassword() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            boolean right = ("Basic " + java.util.Base64.getEncoder().encodeToString(
                    "connect:right-pw".getBytes(StandardCharsets.UTF_8)))
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (right ? "{\"error_code\":404,\"message\":\"No artifact with ID 't-value' in group 'default' was "
                    + "found.\",\"name\":\"ArtifactNotFoundException\"}" : "{\"error_code\":401,\"message\":\"no\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(right ? 404 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        String url = "http://localhost:" + server.getAddress().getPort() + "/apis/registry/v2/";
        assertThatThrownBy(() -> client(url, new BasicAuth("connect", "wrong-pw-123"), Duration.ofSeconds(10))
                .getArtifactMetaData("default", "t-value"))
                .isInstanceOf(RegistryCallException.class)
                .hasMessageContaining("Apicurio Registry at " + url + " refused the credentials (HTTP 401")
                .hasMessageNotContaining("wrong-pw-123");
        // the registry's own answers keep their type: the serdes act on it
        assertThatThrownBy(() -> client(url, new BasicAuth("connect", "right-pw"), Duration.ofSeconds(10))
                .getArtifactMetaData("default", "t-value"))
                .isInstanceOf(ArtifactNotFoundException.class);
    }

    @Test
    void theJarRegistersItsProviderForServiceLoader() {
        assertThat(ServiceLoader.load(ApicurioHttpClientProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(DescribedRegistryClientProvider.class);
    }
}
