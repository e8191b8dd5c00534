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
        this(groupId + "-worker", defaults(groupId));
    }

    /** A worker configured by {@code environment} alone, reachable as {@code alias} on the stack network. */
    ConnectWorker(String alias, Map<String, String> environment) {
        super(Images.connect());
        withNetwork(Stack.network());
        withNetworkAliases(alias);
        withExposedPorts(REST_PORT);
        withEnv(environment);
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,size=256m"))
                .withMemory(MEMORY_LIMIT));
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("worker." + alias)).withSeparateOutputStreams());
        // Kafka's own /health answers 200 once the herder has joined the group and read the config topic.
        waitingFor(Wait.forHttp("/health").forPort(REST_PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(120)));
    }

    /** One group on the stack's broker: its own topics, replication factor 1. */
    static Map<String, String> defaults(String groupId) {
        return Map.of(
                "BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL,
                "GROUP_ID", groupId,
                "CONFIG_STORAGE_TOPIC", groupId + "-configs",
                "OFFSET_STORAGE_TOPIC", groupId + "-offsets",
                "STATUS_STORAGE_TOPIC", groupId + "-status",
                "CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "1",
                "CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR", "1",
                "CONNECT_STATUS_STORAGE_REPLICATION_FACTOR", "1");
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

    /** This container's address on its Docker network (what another worker reaches it at). */
    String address() {
        return getContainerInfo().getNetworkSettings().getNetworks().values().stream().map(n -> n.getIpAddress())
                .filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElseThrow();
    }

    /** This worker's id in its group (address and REST port), as Connect's statuses name it. */
    String workerId() {
        return address() + ":" + REST_PORT;
    }

    ConnectRest rest() {
        return new ConnectRest("http://" + getHost() + ":" + getMappedPort(REST_PORT));
    }
}
