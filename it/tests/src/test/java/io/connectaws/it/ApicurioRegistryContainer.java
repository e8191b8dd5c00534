package io.connectaws.it;

import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.model.ContainerNetwork;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * An Apicurio Registry on the test stack's network as {@code alias:8080}: the it/apicurio-local stand-in, or the
 * official image given as {@code -Dit.image.apicurio=...}. Its mapped port lives on a network of its own, so
 * {@link #disconnect()} takes it off the stack (the worker then cannot resolve it) while the test still reads from it.
 */
final class ApicurioRegistryContainer extends GenericContainer<ApicurioRegistryContainer> {
    static final int PORT = 8080;
    static final String API = "/apis/registry/v2";

    private final String alias;
    private final Network own;

    ApicurioRegistryContainer(DockerImageName image, String alias, Map<String, String> environment) {
        super(image);
        this.alias = alias;
        this.own = Network.newNetwork();
        withNetwork(own);
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
        return new ApicurioRegistryContainer(DockerImageName.parse(
                System.getProperty("it.image.apicuriolocal", "connect-aws-it/apicurio-local:local")), alias, env);
    }

    @Override
    protected void containerIsCreated(String containerId) {
        connect(containerId);
    }

    /** The v2 API as the worker reaches it on the stack's network. */
    String urlOnStack() {
        return "http://" + alias + ":" + PORT + API;
    }

    /** The v2 API from the host (the test's deserializer). */
    String urlFromHost() {
        return "http://" + getHost() + ":" + getMappedPort(PORT) + API;
    }

    /** Takes the registry off the stack's network: the worker's next registry call fails (unknown host). */
    void disconnect() {
        DockerClientFactory.instance().client().disconnectFromNetworkCmd().withNetworkId(Stack.network().getId())
                .withContainerId(getContainerId()).withForce(true).exec();
    }

    /** Puts it back under the same name. */
    void reconnect() {
        connect(getContainerId());
    }

    private void connect(String containerId) {
        DockerClientFactory.instance().client().connectToNetworkCmd().withNetworkId(Stack.network().getId())
                .withContainerId(containerId).withContainerNetwork(new ContainerNetwork().withAliases(alias)).exec();
    }

    @Override
    public void stop() {
        super.stop();
        own.close();
    }
}
