package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The task role policies in config/iam (every file there, whoever adds it) grant each AWS action the product's code
 * calls, and nothing else without a stated reason; no action is a wildcard. The calls are read from the bytecode of
 * everything on this module's test classpath (the extensions and the libraries they bring) by {@link AwsCallScanner};
 * MSK's {@code kafka-cluster:*} actions are Kafka protocol requests of Connect's own clients, listed below with what
 * makes each and proven sufficient by MskIamIT against a broker that enforces them.
 */
class IamCallsTest {
    private static final Path IAM = Path.of("iam");

    /**
     * kafka-cluster actions: the Kafka requests a worker makes (AWS's "Semantics of IAM authorization policy actions and
     * resources" maps each request to its action).
     */
    private static final Map<String, String> KAFKA_PROTOCOL = Map.ofEntries(
            Map.entry("kafka-cluster:Connect", "every client's SASL authentication"),
            Map.entry("kafka-cluster:DescribeCluster", "the admin client's describeCluster (Connect's cluster id, broker count checks)"),
            Map.entry("kafka-cluster:WriteDataIdempotently", "idempotent producers (Connect's default enable.idempotence, exactly-once)"),
            Map.entry("kafka-cluster:CreateTopic", "the worker's internal topics, topic.creation for connectors, Debezium's schema history"),
            Map.entry("kafka-cluster:DescribeTopic", "metadata requests for every topic read or written"),
            Map.entry("kafka-cluster:DescribeTopicDynamicConfiguration", "the worker checks cleanup.policy=compact of its internal topics"),
            Map.entry("kafka-cluster:ReadData", "the internal topics' consumers, sink connectors, the schema history read back"),
            Map.entry("kafka-cluster:WriteData", "source records and the internal topics"),
            Map.entry("kafka-cluster:AlterGroup", "joining the worker group, sink connectors' groups, committing offsets"),
            Map.entry("kafka-cluster:DescribeGroup", "group membership and offset fetches"),
            Map.entry("kafka-cluster:AlterTransactionalId", "exactly-once source tasks and the leader's config topic producer"),
            Map.entry("kafka-cluster:DescribeTransactionalId", "the same transactional producers (fencing, InitProducerId)"));

    /** Actions granted that no code calls itself, and why. */
    private static final Map<String, String> CALLED_ON_OUR_BEHALF = Map.of(
            "kms:Decrypt", "Secrets Manager and SSM decrypt a customer managed key's secrets with the caller's permission "
                    + "(kms:ViaService), during GetSecretValue and GetParameter(s) WithDecryption");

    /**
     * Calls a library's classes hold that nothing reaches: the library method that makes the call (owner.method) is
     * invoked by no class but its own, among the libraries the image ships for it (thisNeverReachedCallIsNeverCalled).
     */
    private static final Map<String, String> NEVER_REACHED = Map.of(
            "glue:GetTags", "com.amazonaws.services.schemaregistry.common.AWSSchemaRegistryClient.querySchemaTags",
            "glue:QuerySchemaVersionMetadata",
            "com.amazonaws.services.schemaregistry.common.AWSSchemaRegistryClient.querySchemaVersionMetadata");

    private static AwsCallScanner scanner;

    @BeforeAll
    static void scan() throws IOException {
        scanner = AwsCallScanner.scanClasspath();
    }

    /** Each granted action with the files granting it. */
    private static Map<String, Set<String>> granted() throws IOException {
        Map<String, Set<String>> granted = new TreeMap<>();
        try (Stream<Path> files = Files.list(IAM)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode statement : CfnTemplate.JSON.readTree(file.toFile()).get("Statement")) {
                    JsonNode action = statement.get("Action");
                    List<String> actions = new ArrayList<>();
                    if (action.isArray()) {
                        action.forEach(a -> actions.add(a.asText()));
                    } else {
                        actions.add(action.asText());
                    }
                    actions.forEach(a -> granted.computeIfAbsent(a, k -> new TreeSet<>()).add(file.getFileName().toString()));
                    assertThat(statement.has("NotAction")).as(file + ": NotAction grants everything else").isFalse();
                }
            }
        }
        return granted;
    }

    @Test
    void theScanFindsTheCallsItMustFind() {
        scanner.calls().forEach((action, callers) -> System.out.println("IamCallsTest: " + action + " called by " + callers));
        assertThat(scanner.calls()).containsKeys("secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParametersByPath",
                "cloudwatch:PutMetricData", "sts:AssumeRole", "ec2:DescribeAvailabilityZones");
        assertThat(scanner.calls().get("secretsmanager:GetSecretValue")).contains("io.connectaws.secrets.SecretsManagerConfigProvider");
        assertThat(scanner.calls().get("ssm:GetParametersByPath")).contains("io.connectaws.declarations.SsmSource",
                "io.connectaws.secrets.SsmParameterConfigProvider");
    }

    /** Every extension source that uses an AWS SDK service client is on this test's classpath, so its calls are scanned. */
    @Test
    void everyExtensionUsingAnAwsClientIsScanned() throws IOException {
        List<String> missed = new ArrayList<>();
        Pattern pkg = Pattern.compile("(?m)^package ([a-z0-9.]+);");
        try (Stream<Path> sources = Files.walk(Path.of("..", "connect-extensions"))) {
            for (Path src : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
                String text = Files.readString(src);
                Matcher m = pkg.matcher(text);
                if ((text.contains("import software.amazon.awssdk.services.") || text.contains("import software.amazon.glue."))
                        && m.find()) {
                    String cls = m.group(1) + "." + src.getFileName().toString().replaceFirst("\\.java$", "");
                    if (!scanner.scanned(cls)) {
                        missed.add(cls + " (" + src + ")");
                    }
                }
            }
        }
        assertThat(missed).as("classes calling AWS that config's tests do not see: add their module to config/pom.xml as a "
                + "test dependency, so IamCallsTest reads their calls").isEmpty();
    }

    @Test
    void thePoliciesGrantEveryActionTheCodeCalls() throws IOException {
        Map<String, Set<String>> granted = granted();
        Set<String> needed = new TreeSet<>(scanner.calls().keySet());
        needed.removeAll(NEVER_REACHED.keySet());
        needed.addAll(KAFKA_PROTOCOL.keySet());
        for (String action : needed) {
            assertThat(granted).as("%s is called by %s, but no policy in config/iam grants it", action,
                    scanner.calls().getOrDefault(action, Set.of("Connect's Kafka clients"))).containsKey(action);
        }
    }

    @Test
    void theCallsNeverReachedAreNeverCalled() {
        NEVER_REACHED.forEach((action, method) -> {
            String owner = method.substring(0, method.lastIndexOf('.'));
            assertThat(scanner.calls().get(action)).as(action + " is in " + owner).containsExactly(owner);
            assertThat(scanner.callersOf(owner, method.substring(method.lastIndexOf('.') + 1)))
                    .as(method + " (" + action + ") is called by nothing but its own class").isSubsetOf(owner);
        });
        assertThat(scanner.scanned("com.amazonaws.services.schemaregistry.serializers.GlueSchemaRegistrySerializationFacade"))
                .as("the serde's classes are read too").isTrue();
    }

    /** The serde read here is the one the Glue converter plugin ships. */
    @Test
    void theScannedGlueSerdeIsThePluginsVersion() throws IOException {
        Matcher shipped = Pattern.compile("<glue\\.serde\\.version>([^<]+)<").matcher(
                Files.readString(Path.of("..", "connect-extensions", "glue-schema-registry", "pom.xml")));
        assertThat(shipped.find()).as("glue.serde.version in connect-extensions/glue-schema-registry/pom.xml").isTrue();
        for (String artifact : List.of("schema-registry-common", "schema-registry-serde")) {
            assertThat(System.getProperty("java.class.path")).as(artifact + " in config/pom.xml at the plugin's version")
                    .contains(artifact + "-" + shipped.group(1) + ".jar");
        }
    }

    @Test
    void thePoliciesGrantNothingTheCodeDoesNotCallAndNoWildcard() throws IOException {
        for (Map.Entry<String, Set<String>> g : granted().entrySet()) {
            String action = g.getKey();
            assertThat(action).as(g.getValue() + ": a wildcard action").doesNotContain("*").doesNotContain("?");
            boolean called = scanner.calls().containsKey(action) || KAFKA_PROTOCOL.containsKey(action)
                    || CALLED_ON_OUR_BEHALF.containsKey(action);
            assertThat(called).as("%s granted by %s is called by no code this test reads: remove it, put the library "
                    + "that calls it on config's test classpath, or give the reason in IamCallsTest.CALLED_ON_OUR_BEHALF",
                    action, g.getValue()).isTrue();
        }
    }
}
