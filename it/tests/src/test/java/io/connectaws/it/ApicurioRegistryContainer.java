package io.connectaws.it;

import java.time.Duration;
import java.util.Map;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * An Apicurio Registry on the test stack's network as {@code alias:8080}: the it/apicurio-local stand-in, or the
 * official image given as {@code -Dit.image.apicurio=...}. The stand-in's control port takes its API down for a while
 * ({@link #outage(Duration)}), its state kept.
 */
final class ApicurioRegistryContainer extends GenericContainer<ApicurioRegistryContainer> {
    static final int PORT = 8080;
    static final int CONTROL_PORT = 8081;
    static final String API = "/apis/registry/v2";

    private final String alias;

    ApicurioRegistryContainer(DockerImageName image, String alias, Map<String, String> environment) {
        super(image);
        this.alias = alias;
        withNetwork(Stack.network());
        withNetworkAliases(alias);
        withEnv(environment);
        withExposedPorts(PORT);
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("registry." + alias)));
        waitingFor(Wait.forHttp(API + "/system/info").forPort(PORT).forStatusCodeMatching(s -> s == 200 || s == 401)
                .withStartupTimeout(Duration.ofSeconds(120)));
    }

    /** The stand-in image (it.image.apicuriolocal) with a global BACKWARD compatibility rule, and {@code extra}. */
    static ApicurioRegistryContainer standIn(String alias, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("APICURIO_LOCAL_COMPATIBILITY", "BACKWARD");
        ApicurioRegistryContainer standIn = new ApicurioRegistryContainer(DockerImageName.parse(
                System.getProperty("it.image.apicuriolocal", "connect-aws-it/apicurio-local:local")), alias, env);
        standIn.addExposedPort(CONTROL_PORT);
        return standIn;
    }

    /** The v2 API as the worker reaches it on the stack's network. */
    String urlOnStack() {
        return "http://" + alias + ":" + PORT + API;
    }

    /** The v2 API from the host (the test's deserializer). */
    String urlFromHost() {
        return "http://" + getHost() + ":" + getMappedPort(PORT) + API;
    }

    /** The stand-in's API refuses connections for {@code duration}, then serves again with the same state. */
    void outage(Duration duration) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + getHost()
                        + ":" + getMappedPort(CONTROL_PORT) + "/outage?seconds=" + duration.toSeconds()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 204) {
            throw new IllegalStateException("outage not started: HTTP " + r.statusCode());
        }
    }
}
