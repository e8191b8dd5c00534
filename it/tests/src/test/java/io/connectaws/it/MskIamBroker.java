package io.connectaws.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;

import io.connectaws.it.aws.MskIamApi;

/**
 * A single-node KRaft broker of the Kafka test image that authenticates like Amazon MSK with IAM: SASL/AWS_MSK_IAM
 * (it/msk-iam-broker) on listener {@code IAM}, every client signature checked by the {@link LocalAwsContainer} it
 * is given (at {@value LocalAwsContainer#ENDPOINT_ON_STACK} on {@link Stack#network()}), so only credentials that
 * container issued (base keys, STS AssumeRole, ECS container credentials) get in. Separate from {@link Stack#kafka()}.
 *
 * <ul>
 *   <li><b>Containers</b> on {@link Stack#network()}: bootstrap {@value #IAM_BOOTSTRAP} (SASL_PLAINTEXT, mechanism
 *       AWS_MSK_IAM, the client signs for host {@value #ALIAS}). The client needs a region: {@code AWS_REGION} =
 *       {@link LocalAwsContainer#REGION} (the host name carries none). For the product image see
 *       {@link #workerEnvironment()}; for task-role credentials also put the worker on
 *       {@link LocalAwsContainer#taskNetwork()} with {@link LocalAwsContainer#workerEnvironment()}
 *       ({@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, 169.254.170.2).</li>
 *   <li><b>The test JVM</b>: {@link #bootstrapServers()} is a PLAINTEXT listener (no authentication) to create topics,
 *       read what a worker wrote, etc.; {@link #iamBootstrapServers()} is a second IAM listener on a mapped port (the
 *       client signs for {@code localhost}) with {@link #iamClientConfig(String, String)}.</li>
 *   <li><b>Assertions</b>: {@link #authentications()} lists every IAM authentication the LocalAws container verified
 *       (principal ARN, access key id, role session name, host, accepted, reason), {@link #clearAuthentications()}
 *       forgets them. {@link #denyPrincipals(String)} makes principals matching a regex fail with "not authorized to
 *       perform: kafka-cluster:Connect" (a task role losing its MSK permission) on their next authentication: a new
 *       connection, or on open ones with {@link #withReauthenticationEvery(Duration)}; {@link #allowAllPrincipals()}
 *       undoes it. Both go through the LocalAws container's mapped port 4566 ({@code /_local/msk-iam/...}).</li>
 *   <li><b>Authorization</b>: every request of an IAM principal is checked against an IAM policy, by default the
 *       policy this project ships, {@value #SHIPPED_POLICY} with its placeholders filled in ({@link #shippedPolicy()}),
 *       as MSK checks the task role's policy (it/msk-iam-broker's {@code MskIamAuthorizer}, cluster
 *       {@value #CLUSTER_ARN}). {@link #withPolicy(String)} sets another one before the start,
 *       {@link #changePolicy(String)} while it runs; {@link #denials()} lists the refusals the broker logged. The
 *       PLAINTEXT listener, inter-broker and controller traffic are not checked.</li>
 * </ul>
 * The broker logs each outcome ("SASL/AWS_MSK_IAM accepted principal ...", "MSK IAM authorization denied: User: ...
 * is not authorized to perform: kafka-cluster:... on resource: ...") to the {@code msk} logger.
 */
final class MskIamBroker extends GenericContainer<MskIamBroker> {

    /** Network alias, and the host name IAM clients on the network sign for. */
    static final String ALIAS = "msk";
    static final int IAM_PORT = 9098;
    /** Bootstrap for containers on {@link Stack#network()}: SASL_PLAINTEXT, AWS_MSK_IAM. */
    static final String IAM_BOOTSTRAP = ALIAS + ":" + IAM_PORT;
    /** Plaintext for the test JVM (mapped). */
    static final int PLAINTEXT_PORT = 9092;
    /** IAM for the test JVM (mapped); its clients sign for the Docker host name ({@code localhost}). */
    static final int IAM_HOST_PORT = 9198;
    static final String MECHANISM = "AWS_MSK_IAM";
    static final String VERIFIER_URL = LocalAwsContainer.ENDPOINT_ON_STACK + MskIamApi.AUTHENTICATE_PATH;
    private static final String LOGIN_MODULE = "io.connectaws.it.mskiam.MskIamLoginModule";
    private static final String STARTER = "/tmp/msk-iam-broker-start.sh";
    /** The task role policy shipped in the image's docs, relative to it/tests. */
    static final String SHIPPED_POLICY = "../../config/iam/task-role-msk-iam.json";
    static final String ACCOUNT = "123456789012";
    static final String CLUSTER_NAME = "connect-aws-it";
    /** Shaped like MSK's cluster UUIDs (a UUID and a revision). */
    static final String CLUSTER_UUID = "5f0c2a8e-3d41-4b7a-9c26-8e1f4d2b7a90-1";
    static final String CLUSTER_ARN = "arn:aws:kafka:" + LocalAwsContainer.REGION + ":" + ACCOUNT + ":cluster/"
            + CLUSTER_NAME + "/" + CLUSTER_UUID;
    private static final String POLICY_PATH = "/etc/kafka/msk-iam-policy.json";
    private static final String AUTHORIZER = "io.connectaws.it.mskiam.MskIamAuthorizer";
    private static final String DENIED = "MSK IAM authorization denied: ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final LocalAwsContainer aws;
    private String policy = shippedPolicy();

    /** A broker verifying against {@code aws}, which is started first if it is not running yet. */
    MskIamBroker(LocalAwsContainer aws) {
        super(Images.kafka());
        this.aws = aws;
        dependsOn(aws);
        withNetwork(Stack.network());
        withNetworkAliases(ALIAS);
        // IAM_PORT is mapped too, though clients through it sign for the wrong host: it shows the host check works
        withExposedPorts(PLAINTEXT_PORT, IAM_HOST_PORT, IAM_PORT);
        withEnv("KAFKA_NODE_ID", "1");
        withEnv("KAFKA_PROCESS_ROLES", "broker,controller");
        withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9094");
        withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER");
        withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "BROKER");
        withEnv("KAFKA_LISTENERS", "PLAINTEXT://0.0.0.0:" + PLAINTEXT_PORT + ",BROKER://0.0.0.0:9093,"
                + "CONTROLLER://0.0.0.0:9094,IAM://0.0.0.0:" + IAM_PORT + ",IAMHOST://0.0.0.0:" + IAM_HOST_PORT);
        withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT,"
                + "IAM:SASL_PLAINTEXT,IAMHOST:SASL_PLAINTEXT");
        withEnv("KAFKA_SASL_ENABLED_MECHANISMS", MECHANISM);
        // listener.name.iam.aws_msk_iam.sasl.jaas.config (KafkaDockerWrapper: _ -> ., __ -> _)
        withEnv("KAFKA_LISTENER_NAME_IAM_AWS__MSK__IAM_SASL_JAAS_CONFIG", jaas(ALIAS));
        withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        withEnv("KAFKA_AUTHORIZER_CLASS_NAME", AUTHORIZER);
        withEnv("KAFKA_MSK_IAM_POLICY_FILE", POLICY_PATH);
        withEnv("KAFKA_MSK_IAM_CLUSTER_ARN", CLUSTER_ARN);
        // the mapped ports are known once the container runs: the command waits for the script that exports them
        withCommand("sh", "-c", "while [ ! -f " + STARTER + " ]; do sleep 0.1; done; exec bash " + STARTER);
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("msk")));
        waitingFor(Wait.forLogMessage(".*Transitioning from RECOVERY to RUNNING.*", 1)
                .withStartupTimeout(Duration.ofSeconds(90)));
    }

    /**
     * Makes clients re-authenticate on their open connections at least every {@code interval}
     * ({@code connections.max.reauth.ms}; default: never), so {@link #denyPrincipals(String)} also cuts off
     * connections already open, as an expired IAM session does on MSK.
     */
    MskIamBroker withReauthenticationEvery(Duration interval) {
        return withEnv("KAFKA_CONNECTIONS_MAX_REAUTH_MS", Long.toString(interval.toMillis()));
    }

    /**
     * The shipped task role policy ({@value #SHIPPED_POLICY}) for this broker: REGION, ACCOUNT, CLUSTER and CLUSTER-UUID
     * replaced by its region, account, cluster name and UUID.
     */
    static String shippedPolicy() {
        try {
            return Files.readString(Path.of(SHIPPED_POLICY))
                    .replace("CLUSTER-UUID", CLUSTER_UUID)
                    .replace(":REGION:", ":" + LocalAwsContainer.REGION + ":")
                    .replace(":ACCOUNT:", ":" + ACCOUNT + ":")
                    .replace("/CLUSTER/", "/" + CLUSTER_NAME + "/");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped policy " + SHIPPED_POLICY, e);
        }
    }

    /** {@code policy} without its statement {@code sid}, which it must have. */
    static String withoutStatement(String policy, String sid) {
        try {
            ObjectNode document = (ObjectNode) JSON.readTree(policy);
            ArrayNode statements = (ArrayNode) document.get("Statement");
            for (int i = 0; i < statements.size(); i++) {
                if (sid.equals(statements.get(i).path("Sid").asText())) {
                    statements.remove(i);
                    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
                }
            }
            throw new IllegalArgumentException("the policy has no statement " + sid + ": " + policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM policy the broker starts with instead of {@link #shippedPolicy()}. */
    MskIamBroker withPolicy(String json) {
        this.policy = json;
        return this;
    }

    /**
     * Replaces the running broker's IAM policy and waits until it is in force in every authorizer of the broker (the
     * broker and its controller each have one, and each reads the file every second), like an edit of the role's
     * policy on AWS.
     */
    void changePolicy(String json) {
        String reloaded = "MSK IAM policy reloaded from " + POLICY_PATH + " (sha-256 " + sha256(json) + ")";
        int authorizers = count(getLogs(), "MSK IAM authorizer on: ");
        int before = count(getLogs(), reloaded);
        copyFileToContainer(Transferable.of(json), POLICY_PATH);
        Instant deadline = Instant.now().plusSeconds(30);
        while (count(getLogs(), reloaded) < before + authorizers) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the broker did not reload its IAM policy within 30 s: the policy is "
                        + "invalid or unchanged (see the msk log)");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** The authorization refusals the broker logged so far ("User: ... is not authorized to perform: ..."). */
    List<String> denials() {
        return getLogs().lines().filter(l -> l.contains(DENIED)).map(l -> l.substring(l.indexOf(DENIED))).toList();
    }

    /** What the broker logs to name a policy text: the first 12 hex digits of its SHA-256. */
    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String needle) {
        return (int) text.lines().filter(l -> l.contains(needle)).count();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String jaas(String serverName) {
        return LOGIN_MODULE + " required verifierUrl=\"" + VERIFIER_URL + "\" serverName=\"" + serverName + "\";";
    }

    @Override
    protected void containerIsStarting(InspectContainerResponse containerInfo) {
        String host = getHost();
        String script = "export KAFKA_ADVERTISED_LISTENERS='PLAINTEXT://" + host + ":" + getMappedPort(PLAINTEXT_PORT)
                + ",BROKER://" + ALIAS + ":9093,IAM://" + IAM_BOOTSTRAP + ",IAMHOST://" + host + ":"
                + getMappedPort(IAM_HOST_PORT) + "'\n"
                + "export KAFKA_LISTENER_NAME_IAMHOST_AWS__MSK__IAM_SASL_JAAS_CONFIG='" + jaas(host) + "'\n"
                + "exec /etc/kafka/docker/run\n";
        copyFileToContainer(Transferable.of(policy), POLICY_PATH);
        copyFileToContainer(Transferable.of(script, 0755), STARTER);
    }

    /** PLAINTEXT bootstrap for the test JVM (no authentication). */
    String bootstrapServers() {
        return getHost() + ":" + getMappedPort(PLAINTEXT_PORT);
    }

    /** SASL_PLAINTEXT/AWS_MSK_IAM bootstrap for the test JVM; clients sign for {@link #getHost()}. */
    String iamBootstrapServers() {
        return getHost() + ":" + getMappedPort(IAM_HOST_PORT);
    }

    /**
     * Client properties for aws-msk-iam-auth, as an MSK client sets them; {@code jaasOptions} are IAMLoginModule's
     * (e.g. {@code awsProfileName="x"}, empty for the default credentials chain).
     */
    static Map<String, Object> iamClientConfig(String bootstrapServers, String jaasOptions) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required "
                + (jaasOptions == null ? "" : jaasOptions) + ";");
        config.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        return config;
    }

    /**
     * The product image's environment for IAM to this broker (its launcher's {@code CONNECT_AWS_KAFKA_AUTH=iam},
     * without TLS); add {@link LocalAwsContainer#workerEnvironment()} for AWS_REGION and the task-role credentials.
     */
    static Map<String, String> workerEnvironment() {
        return Map.of(
                "BOOTSTRAP_SERVERS", IAM_BOOTSTRAP,
                "CONNECT_AWS_KAFKA_AUTH", "iam",
                "CONNECT_AWS_KAFKA_TLS", "false");
    }

    /** Every IAM authentication the LocalAws container verified so far, oldest first. */
    List<MskIamApi.Authentication> authentications() {
        JsonNode all = call("GET", MskIamApi.AUTHENTICATIONS_PATH, null);
        List<MskIamApi.Authentication> list = new ArrayList<>();
        for (JsonNode a : all) {
            list.add(new MskIamApi.Authentication(Instant.parse(a.get("time").asText()), text(a, "principal"),
                    text(a, "accessKeyId"), text(a, "sessionName"), text(a, "serverName"),
                    a.get("accepted").asBoolean(), text(a, "reason")));
        }
        return list;
    }

    void clearAuthentications() {
        call("DELETE", MskIamApi.AUTHENTICATIONS_PATH, null);
    }

    /** Principals (ARNs) that {@code regex} matches entirely fail from their next authentication on. */
    void denyPrincipals(String regex) {
        call("POST", MskIamApi.DENY_PATH, JSON.createObjectNode().put("principalPattern", regex).toString());
    }

    void allowAllPrincipals() {
        call("DELETE", MskIamApi.DENY_PATH, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private JsonNode call(String method, String path, String body) {
        URI uri = URI.create("http://" + aws.getHost() + ":" + aws.getMappedPort(4566) + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
