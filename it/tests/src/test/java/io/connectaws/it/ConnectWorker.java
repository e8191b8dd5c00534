package io.connectaws.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The product image as users run it: read-only root filesystem, a tmpfs {@code /tmp}, a memory
 * limit, configured only through environment variables.
 */
final class ConnectWorker extends GenericContainer<ConnectWorker> {

    static final int REST_PORT = 8083;
    static final long MEMORY_LIMIT = 1536L * 1024 * 1024;

    ConnectWorker(String groupId) {
        super(Images.connect());
        withNetwork(Stack.network());
        withNetworkAliases(groupId + "-worker");
        withExposedPorts(REST_PORT);
        withEnv("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL);
        withEnv("GROUP_ID", groupId);
        withEnv("CONFIG_STORAGE_TOPIC", groupId + "-configs");
        withEnv("OFFSET_STORAGE_TOPIC", groupId + "-offsets");
        withEnv("STATUS_STORAGE_TOPIC", groupId + "-status");
        withEnv("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "1");
        withEnv("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR", "1");
        withEnv("CONNECT_STATUS_STORAGE_REPLICATION_FACTOR", "1");
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,size=256m"))
                .withMemory(MEMORY_LIMIT));
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("worker." + groupId)).withSeparateOutputStreams());
        // Kafka's own /health answers 200 once the herder has joined the group and read the config topic.
        waitingFor(Wait.forHttp("/health").forPort(REST_PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(120)));
    }

    private final List<Network> moreNetworks = new ArrayList<>();

    /** Also attaches the worker to {@code network} (before it starts, so its ports are never briefly unreachable). */
    ConnectWorker alsoOn(Network network) {
        moreNetworks.add(network);
        return this;
    }

    @Override
    protected void containerIsCreated(String containerId) {
        for (Network network : moreNetworks) {
            DockerClientFactory.instance().client().connectToNetworkCmd()
                    .withNetworkId(network.getId()).withContainerId(containerId).exec();
        }
    }

    ConnectRest rest() {
        return new ConnectRest("http://" + getHost() + ":" + getMappedPort(REST_PORT));
    }
}
