package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's view: which requests of which principals {@link MskIamAuthorizer} lets through. */
class MskIamAuthorizerTest {
    static final String CLUSTER_ARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abcd-1";
    static final String ROLE = "arn:aws:sts::123456789012:assumed-role/connect/task-1";
    private static final String POLICY = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Cluster", "Effect": "Allow", "Action": ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
           "Resource": "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abcd-1"},
          {"Sid": "Topics", "Effect": "Allow", "Action": ["kafka-cluster:*Topic", "kafka-cluster:WriteData"],
           "Resource": "arn:aws:kafka:eu-west-1:123456789012:topic/orders/abcd-1/*"},
          {"Sid": "NotAudit", "Effect": "Deny", "Action": "kafka-cluster:*",
           "Resource": "arn:aws:kafka:eu-west-1:123456789012:topic/orders/abcd-1/audit"}
        ]}""";

    /** A request context as Kafka's RequestContext gives it to an authorizer. */
    record Request(String listenerName, SecurityProtocol securityProtocol, KafkaPrincipal principal) implements
        AuthorizableRequestContext {
        static Request iam(String arn) {
            return new Request("IAM", SecurityProtocol.SASL_PLAINTEXT, new KafkaPrincipal(KafkaPrincipal.USER_TYPE, arn));
        }

        @Override
        public InetAddress clientAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public int requestType() {
            return 0;
        }

        @Override
        public int requestVersion() {
            return 0;
        }

        @Override
        public String clientId() {
            return "producer-1";
        }

        @Override
        public int correlationId() {
            return 1;
        }
    }

    private MskIamAuthorizer authorizer;
    private Path policyFile;

    @org.junit.jupiter.api.AfterEach
    void close() {
        authorizer.close();
    }

    @BeforeEach
    void configure(@TempDir Path dir) throws Exception {
        policyFile = dir.resolve("policy.json");
        Files.writeString(policyFile, POLICY);
        authorizer = new MskIamAuthorizer();
        authorizer.configure(Map.of(MskIamAuthorizer.POLICY_FILE, policyFile.toString(),
            MskIamAuthorizer.CLUSTER_ARN, CLUSTER_ARN, "broker.id", "1"));
    }

    private AuthorizationResult authorize(AuthorizableRequestContext request, AclOperation op, ResourceType type,
                                          String name) {
        Action action = new Action(op, new ResourcePattern(type, name, PatternType.LITERAL), 1, true, true);
        return authorizer.authorize(request, List.of(action)).get(0);
    }

    @Test
    void iamPrincipalsGetWhatThePolicyAllows() {
        Request role = Request.iam(ROLE);
        assertThat(authorize(role, AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster"))
            .isEqualTo(AuthorizationResult.ALLOWED);
        assertThat(authorize(role, AclOperation.WRITE, ResourceType.TOPIC, "orders.cdc"))
            .isEqualTo(AuthorizationResult.ALLOWED);
        assertThat(authorize(role, AclOperation.CREATE, ResourceType.TOPIC, "orders.new"))
            .isEqualTo(AuthorizationResult.ALLOWED);
        // no statement: reading, groups, transactional ids, idempotent writes
        assertThat(authorize(role, AclOperation.READ, ResourceType.TOPIC, "orders.cdc"))
            .isEqualTo(AuthorizationResult.DENIED);
        assertThat(authorize(role, AclOperation.READ, ResourceType.GROUP, "connect-orders"))
            .isEqualTo(AuthorizationResult.DENIED);
        assertThat(authorize(role, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "connect-cluster-orders"))
            .isEqualTo(AuthorizationResult.DENIED);
        assertThat(authorize(role, AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, "kafka-cluster"))
            .isEqualTo(AuthorizationResult.DENIED);
        // the explicit deny wins over Topics
        assertThat(authorize(role, AclOperation.WRITE, ResourceType.TOPIC, "audit")).isEqualTo(AuthorizationResult.DENIED);
        // operations MSK has no action for
        assertThat(authorize(role, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, "kafka-cluster"))
            .isEqualTo(AuthorizationResult.DENIED);
    }

    @Test
    void otherPrincipalsAreNotChecked() {
        Request plaintext = new Request("PLAINTEXT", SecurityProtocol.PLAINTEXT, KafkaPrincipal.ANONYMOUS);
        Request scram = new Request("SCRAM", SecurityProtocol.SASL_PLAINTEXT,
            new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
        for (Request other : List.of(plaintext, scram)) {
            assertThat(authorize(other, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, "kafka-cluster"))
                .isEqualTo(AuthorizationResult.ALLOWED);
            assertThat(authorize(other, AclOperation.WRITE, ResourceType.TOPIC, "audit"))
                .isEqualTo(AuthorizationResult.ALLOWED);
            assertThat(authorizer.authorizeByResourceType(other, AclOperation.WRITE, ResourceType.TOPIC))
                .isEqualTo(AuthorizationResult.ALLOWED);
        }
        assertThat(MskIamAuthorizer.isIamPrincipal(Request.iam(ROLE))).isTrue();
        assertThat(MskIamAuthorizer.isIamPrincipal(scram)).isFalse();
    }

    @Test
    void writeOnAnyTopicDoesNotStandInForWriteDataIdempotently() {
        assertThat(authorizer.authorizeByResourceType(Request.iam(ROLE), AclOperation.WRITE, ResourceType.TOPIC))
            .isEqualTo(AuthorizationResult.DENIED);
    }

    @Test
    void aChangedPolicyFileTakesEffect() throws Exception {
        Request role = Request.iam(ROLE);
        assertThat(authorize(role, AclOperation.READ, ResourceType.TOPIC, "orders.cdc")).isEqualTo(AuthorizationResult.DENIED);
        Files.writeString(policyFile, POLICY.replace("\"kafka-cluster:WriteData\"", "\"kafka-cluster:*Data\""));
        long deadline = System.currentTimeMillis() + 5_000; // the authorizer reads the file again every second
        while (authorize(role, AclOperation.READ, ResourceType.TOPIC, "orders.cdc") == AuthorizationResult.DENIED
            && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(authorize(role, AclOperation.READ, ResourceType.TOPIC, "orders.cdc"))
            .isEqualTo(AuthorizationResult.ALLOWED);
    }

    @Test
    void aclsCannotBeCreated() throws Exception {
        AclBinding binding = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
            new AccessControlEntry("User:x", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(authorizer.createAcls(Request.iam(ROLE), List.of(binding)).get(0).toCompletableFuture().get()
            .exception()).get().satisfies(e -> assertThat(e).hasMessageContaining("MSK IAM access control has no ACLs"));
        assertThat(authorizer.acls(org.apache.kafka.common.acl.AclBindingFilter.ANY)).isEmpty();
    }

    @Test
    void missingOrWrongSettingsStopTheBrokerNamingThem(@TempDir Path dir) {
        assertThatThrownBy(() -> new MskIamAuthorizer().configure(Map.of(MskIamAuthorizer.CLUSTER_ARN, CLUSTER_ARN)))
            .hasMessage(MskIamAuthorizer.class.getName() + " needs the broker property msk.iam.policy.file "
                + "(environment KAFKA_MSK_IAM_POLICY_FILE)");
        assertThatThrownBy(() -> new MskIamAuthorizer().configure(Map.of(MskIamAuthorizer.POLICY_FILE,
            policyFile.toString())))
            .hasMessageContaining("needs the broker property msk.iam.cluster.arn (environment KAFKA_MSK_IAM_CLUSTER_ARN)");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> new MskIamAuthorizer().configure(Map.of(MskIamAuthorizer.POLICY_FILE,
            missing.toString(), MskIamAuthorizer.CLUSTER_ARN, CLUSTER_ARN)))
            .hasMessageStartingWith("IAM policy file " + missing + ": cannot read it");
    }
}
