package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.connectaws.it.aws.LocalAws;
import io.connectaws.it.aws.MskIamApi;

/**
 * The real aws-msk-iam-auth client (an AdminClient in the test JVM) against {@link MskIamBroker}: accepted with
 * credentials the LocalAws container knows, refused with a wrong secret key, refused once its principal is denied,
 * and refused when it signs for a host name other than the listener's; authorized by the shipped task role policy,
 * exactly-once's zombie fencing included. Credentials come from profiles ({@code awsProfileName}) in a credentials
 * file of this test.
 */
class MskIamBrokerIT {
    static final String VALID = "msk-valid";
    static final String WRONG_SECRET = "msk-wrong-secret";
    static final List<String> PROPERTIES = List.of("aws.region", "aws.sharedCredentialsFile", "aws.configFile");

    static LocalAwsContainer aws;
    static MskIamBroker broker;
    static final Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("msk-iam-it");
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[" + VALID + "]\naws_access_key_id = " + LocalAws.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + LocalAws.SECRET_ACCESS_KEY + "\n\n[" + WRONG_SECRET
                + "]\naws_access_key_id = " + LocalAws.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + LocalAws.SECRET_ACCESS_KEY.replace('0', '7') + "\n");
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", dir.resolve("config").toString());
        // the client takes the signing region from its default chain, as a worker does from AWS_REGION
        System.setProperty("aws.region", LocalAwsContainer.REGION);

        aws = new LocalAwsContainer();
        broker = new MskIamBroker(aws).withReauthenticationEvery(Duration.ofSeconds(2));
        broker.start(); // starts aws first
    }

    @AfterAll
    static void stop() {
        Stack.stop(broker, aws);
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @BeforeEach
    void reset() {
        broker.allowAllPrincipals();
        broker.clearAuthentications();
    }

    static Admin iamAdmin(String bootstrap, String profile) {
        Map<String, Object> config = MskIamBroker.iamClientConfig(bootstrap, "awsProfileName=\"" + profile + "\"");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(config);
    }

    @Test
    void validCredentialsAreAcceptedAsTheirPrincipal() throws Exception {
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), VALID)) {
            List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).singleElement().satisfies(n ->
                    assertThat(n.host() + ":" + n.port()).isEqualTo(broker.iamBootstrapServers()));
            admin.createTopics(List.of(new NewTopic("msk-iam-it", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (Admin plaintext = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            assertThat(plaintext.listTopics().names().get(30, TimeUnit.SECONDS)).contains("msk-iam-it");
        }
        List<MskIamApi.Authentication> seen = broker.authentications();
        assertThat(seen).isNotEmpty().allSatisfy(a -> {
            assertThat(a.accepted()).isTrue();
            assertThat(a.principal()).isEqualTo("arn:aws:iam::123456789012:user/local-test");
            assertThat(a.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(a.serverName()).isEqualTo(broker.getHost());
        });
    }

    @Test
    void wrongSecretKeyIsRejected() {
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), WRONG_SECRET)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Access denied: The request signature we calculated does not match")
                    .hasMessageContaining("(test MSK IAM)");
        }
        assertThat(broker.authentications()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.accepted()).isFalse();
            assertThat(a.principal()).isNull();
            assertThat(a.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        });
    }

    @Test
    void deniedPrincipalIsRejectedUntilAllowedAgain() throws Exception {
        broker.denyPrincipals(".*:user/local-test");
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), VALID)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("is not authorized to perform: kafka-cluster:Connect");
        }
        assertThat(broker.authentications()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.accepted()).isFalse();
            assertThat(a.principal()).isEqualTo("arn:aws:iam::123456789012:user/local-test");
        });

        broker.allowAllPrincipals();
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), VALID)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void denyingAnOpenSessionCutsItOffAtReauthentication() throws Exception {
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), VALID)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            broker.denyPrincipals(".*:user/local-test");
            Thread.sleep(3_000); // past connections.max.reauth.ms (2 s)
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("is not authorized to perform: kafka-cluster:Connect");
        }
        assertThat(broker.authentications()).anySatisfy(a -> assertThat(a.accepted()).isTrue())
                .anySatisfy(a -> assertThat(a.accepted()).isFalse());
    }

    @Test
    void containerListenerOnlyAcceptsSignaturesForItsHostName() {
        // msk:9098 through its mapped port: the client signs for "localhost", the listener is "msk"
        String mapped = broker.getHost() + ":" + broker.getMappedPort(MskIamBroker.IAM_PORT);
        try (Admin admin = iamAdmin(mapped, VALID)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Signed host '" + broker.getHost() + "' is not the broker's host name 'msk'");
        }
    }

    @Test
    void theShippedPolicyLetsConnectFenceZombieProducersAndWithoutItsStatementNothingDoes() throws Exception {
        // what the leader of an exactly-once group does before a new generation of a multi-task connector starts
        List<String> taskIds = List.of("orders-cdc-inventory-0", "orders-cdc-inventory-1");
        try (Admin admin = iamAdmin(broker.iamBootstrapServers(), VALID)) {
            admin.fenceProducers(taskIds).all().get(30, TimeUnit.SECONDS);
            assertThat(broker.denials()).isEmpty();

            broker.changePolicy(MskIamBroker.withoutStatement(MskIamBroker.shippedPolicy(), "ExactlyOnceTransactionalIds"));
            try {
                assertThatThrownBy(() -> admin.fenceProducers(taskIds).all().get(30, TimeUnit.SECONDS))
                        .cause().isInstanceOf(TransactionalIdAuthorizationException.class);
            } finally {
                broker.changePolicy(MskIamBroker.shippedPolicy());
            }
        }
        assertThat(broker.denials()).anySatisfy(d -> assertThat(d).startsWith("MSK IAM authorization denied: User: "
                + "arn:aws:iam::123456789012:user/local-test is not authorized to perform: "
                + "kafka-cluster:DescribeTransactionalId on resource: "
                + MskIamBroker.CLUSTER_ARN.replace(":cluster/", ":transactional-id/") + "/orders-cdc-inventory-"));
    }
}
