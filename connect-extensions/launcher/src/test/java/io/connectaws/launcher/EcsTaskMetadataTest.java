package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.connectaws.it.aws.LocalAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The samples in src/test/resources/ecs-task-metadata have the shapes of the AWS documentation's task metadata v4
 * examples ("Task metadata endpoint version 4", Fargate and EC2), with made-up identifiers.
 */
class EcsTaskMetadataTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String FARGATE_ID = "3b7e2c14a9d04f6e8a1c5d2b9e0f7a61-2785114623";

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Duration delay = Duration.ZERO;
    private volatile String container = resource("fargate-awsvpc-container.json");
    private volatile String task = resource("fargate-awsvpc-task.json");

    @BeforeEach
    void start() throws IOException {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "metadata-stub");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!delay.isZero()) {
                try {
                    release.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (failFirst.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                status = 500;
                body = "{\"error\":\"agent not ready\"}";
            } else if (path.equals("/v4/" + FARGATE_ID)) {
                status = 200;
                body = container;
            } else if (path.equals("/v4/" + FARGATE_ID + "/task")) {
                status = 200;
                body = task;
            } else {
                status = 404;
                body = "404 page not found";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Map<String, String> environment() {
        return Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/" + FARGATE_ID);
    }

    private static String resource(String name) {
        try (InputStream in = EcsTaskMetadataTest.class.getResourceAsStream("/ecs-task-metadata/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void absentOrBlankVariableMeansNotOnEcs() {
        assertThat(EcsTaskMetadata.fetch(Map.of(), TIMEOUT)).isEmpty();
        assertThat(EcsTaskMetadata.fetch(Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE, " "), TIMEOUT)).isEmpty();
        assertThat(requests).hasValue(0);
    }

    @Test
    void fargateAwsvpcTask() {
        EcsTaskMetadata m = EcsTaskMetadata.fetch(environment(), TIMEOUT).orElseThrow();

        assertThat(m.privateIpv4()).hasValue("10.20.37.148");
        assertThat(m.networkMode()).hasValue("awsvpc");
        assertThat(m.availabilityZone()).hasValue("eu-west-1b");
        assertThat(m.taskArn())
                .isEqualTo("arn:aws:ecs:eu-west-1:111122223333:task/connect-prod/3b7e2c14a9d04f6e8a1c5d2b9e0f7a61");
        assertThat(m.taskId()).isEqualTo("3b7e2c14a9d04f6e8a1c5d2b9e0f7a61");
        assertThat(m.region()).isEqualTo("eu-west-1");
        assertThat(m.cluster()).isEqualTo("arn:aws:ecs:eu-west-1:111122223333:cluster/connect-prod");
        assertThat(m.family()).isEqualTo("connect-worker");
        assertThat(m.revision()).isEqualTo("12");
        assertThat(m.launchType()).hasValue("FARGATE");
        assertThat(m.taskMemoryLimitMiB()).hasValue(4096L);
        assertThat(m.containerMemoryLimitMiB()).hasValue(3584L);
        assertThat(m.describe()).isEqualTo("ECS task 3b7e2c14a9d04f6e8a1c5d2b9e0f7a61 of cluster connect-prod "
                + "(connect-worker:12, FARGATE, eu-west-1b, awsvpc 10.20.37.148, memory task 4096 MiB container 3584 MiB)");
        assertThat(requests).hasValue(2);
    }

    @Test
    void trailingSlashInTheVariableIsTolerated() {
        Map<String, String> env = Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE,
                environment().get(EcsTaskMetadata.METADATA_URI_VARIABLE) + "/");
        assertThat(EcsTaskMetadata.fetch(env, TIMEOUT).orElseThrow().taskId())
                .isEqualTo("3b7e2c14a9d04f6e8a1c5d2b9e0f7a61");
    }

    @Test
    void ec2BridgeTask() {
        container = resource("ec2-bridge-container.json");
        task = resource("ec2-bridge-task.json");
        EcsTaskMetadata m = EcsTaskMetadata.fetch(environment(), TIMEOUT).orElseThrow();

        assertThat(m.networkMode()).hasValue("bridge");
        assertThat(m.privateIpv4()).hasValue("172.17.0.3"); // the Docker bridge's, not reachable from other hosts
        assertThat(m.availabilityZone()).hasValue("eu-west-1c");
        assertThat(m.cluster()).isEqualTo("default");
        assertThat(m.taskId()).isEqualTo("f0a9c3e1d2b84c7a9e6d5b4a3c2f1e0d");
        assertThat(m.launchType()).hasValue("EC2");
        assertThat(m.taskMemoryLimitMiB()).isEmpty();
        assertThat(m.containerMemoryLimitMiB()).hasValue(3072L);
        assertThat(m.describe()).contains("of cluster default (connect-worker:5, EC2, eu-west-1c, bridge 172.17.0.3,"
                + " memory task - container 3072 MiB)");
    }

    @Test
    void withoutNetworksOrOptionalFieldsTheAccessorsAreEmpty() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(resource("ec2-bridge-container.json"));
        c.remove("Networks");
        c.remove("Limits");
        ObjectNode t = (ObjectNode) json.readTree(resource("ec2-bridge-task.json"));
        t.remove("AvailabilityZone");
        t.remove("LaunchType");
        container = c.toString();
        task = t.toString();

        EcsTaskMetadata m = EcsTaskMetadata.fetch(environment(), TIMEOUT).orElseThrow();
        assertThat(m.privateIpv4()).isEmpty();
        assertThat(m.networkMode()).isEmpty();
        assertThat(m.availabilityZone()).isEmpty();
        assertThat(m.launchType()).isEmpty();
        assertThat(m.containerMemoryLimitMiB()).isEmpty();
        assertThat(m.describe()).contains("(connect-worker:5, launch type ?, AZ ?, network ? -, memory task - "
                + "container -)");
    }

    @Test
    void hostModeHasNoAddress() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(resource("ec2-bridge-container.json"));
        c.putArray("Networks").addObject().put("NetworkMode", "host");
        container = c.toString();
        task = resource("ec2-bridge-task.json");

        EcsTaskMetadata m = EcsTaskMetadata.fetch(environment(), TIMEOUT).orElseThrow();
        assertThat(m.networkMode()).hasValue("host");
        assertThat(m.privateIpv4()).isEmpty();
    }

    @Test
    void anAgentThatIsNotReadyYetIsAskedAgain() {
        failFirst.set(2);
        EcsTaskMetadata m = EcsTaskMetadata.fetch(environment(), TIMEOUT).orElseThrow();
        assertThat(m.privateIpv4()).hasValue("10.20.37.148");
        assertThat(requests).hasValue(4);
    }

    @Test
    void anAgentThatKeepsFailingIsAskedAFewTimesThenNamed() {
        failFirst.set(1000);
        long started = System.nanoTime();
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(environment(), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("ECS_CONTAINER_METADATA_URI_V4")
                .hasMessageContaining("5 attempts, last: HTTP 500 {\"error\":\"agent not ready\"}")
                .hasMessageContaining("set ADVERTISED_HOST_NAME");
        assertThat(requests).hasValue(5);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
    }

    @Test
    void aSlowEndpointIsBoundedByTheTimeout() {
        delay = Duration.ofSeconds(30);
        long started = System.nanoTime();
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(environment(), Duration.ofMillis(700)))
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("the ECS task metadata endpoint http://127.0.0.1:")
                .hasMessageContaining("(ECS_CONTAINER_METADATA_URI_V4) gave no usable answer within 700 ms "
                        + "(1 attempt, last: no answer); set ADVERTISED_HOST_NAME");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void anUnreachableEndpointIsBoundedByTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE,
                "http://127.0.0.1:" + closedPort + "/v4/" + FARGATE_ID);
        long started = System.nanoTime();
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(env, Duration.ofMillis(400)))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("gave no usable answer within 400 ms")
                .hasMessageContaining("ConnectException");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1200));
    }

    @Test
    void aTaskDocumentWithoutTaskArnIsRefused() throws IOException {
        ObjectNode t = (ObjectNode) new ObjectMapper().readTree(resource("fargate-awsvpc-task.json"));
        t.remove("TaskARN");
        task = t.toString();
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(environment(), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("/task (ECS_CONTAINER_METADATA_URI_V4) has no TaskARN; set ADVERTISED_HOST_NAME");
    }

    @Test
    void answersThatAreNotJsonObjectsAreRefusedAtOnce() {
        container = "<html>proxy error</html>";
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(environment(), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("answered something that is not JSON");
        assertThat(requests).hasValue(1);

        container = "[1, 2]";
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(environment(), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("is not a JSON object");
    }

    @Test
    void aVariableThatIsNotAUrlIsNamed() {
        assertThatThrownBy(() -> EcsTaskMetadata.fetch(
                Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE, "169.254.170.2/v4/x"), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessage("ECS_CONTAINER_METADATA_URI_V4 is not an http URL: '169.254.170.2/v4/x'; "
                        + "set ADVERTISED_HOST_NAME to start without the ECS task metadata");
    }

    @Test
    void parsesTheLocalAwsStubWithTheCallersAddress() {
        try (LocalAws aws = LocalAws.start(0, "eu-west-1")) {
            Optional<EcsTaskMetadata> fetched = EcsTaskMetadata.fetch(Map.of(EcsTaskMetadata.METADATA_URI_VARIABLE,
                    "http://127.0.0.1:" + aws.port() + "/v4/0123456789abcdef0123456789abcdef-42"), TIMEOUT);
            EcsTaskMetadata m = fetched.orElseThrow();
            assertThat(m.privateIpv4()).hasValue("127.0.0.1");
            assertThat(m.networkMode()).hasValue("awsvpc");
            assertThat(m.taskId()).isEqualTo("0123456789abcdef0123456789abcdef");
            assertThat(m.region()).isEqualTo("eu-west-1");
            assertThat(m.availabilityZone()).hasValue("eu-west-1a");
            assertThat(m.launchType()).hasValue("FARGATE");
            assertThat(m.taskMemoryLimitMiB()).hasValue(2048L);
            assertThat(m.containerMemoryLimitMiB()).isEmpty();
        }
    }
}
