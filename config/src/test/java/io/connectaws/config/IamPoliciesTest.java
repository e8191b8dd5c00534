package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The task role policies in {@code config/iam} are well-formed IAM policy documents (version, one Sid per statement,
 * Allow only, no action wildcard, ARNs with REGION/ACCOUNT placeholders), the declarations' policy grants exactly
 * what the SSM source calls: {@code ssm:GetParametersByPath} on one path, nothing to decrypt, and the MSK IAM policy
 * grants what AWS's table requires alongside each action it grants, exactly-once delivery's included. Whether that
 * policy is enough for a worker is proven by MskIamIT, against a broker that enforces it.
 */
class IamPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IAM = Path.of("iam");

    private static List<Path> policies() throws IOException {
        try (Stream<Path> files = Files.list(IAM)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }

    @Test
    void everyPolicyIsAWellFormedAllowPolicyWithPlaceholders() throws Exception {
        List<Path> files = policies();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("task-role-declarations.json",
                "task-role-secrets.json", "task-role-msk-iam.json", "task-role-cloudwatch-metrics.json",
                "task-role-secrets-assume-role.json", "task-role-glue-schema-registry.json");
        for (Path file : files) {
            JsonNode policy = JSON.readTree(file.toFile());
            assertThat(policy.path("Version").asText()).as(file.toString()).isEqualTo("2012-10-17");
            assertThat(policy.path("Statement").isArray()).as(file.toString()).isTrue();
            Set<String> sids = new HashSet<>();
            for (JsonNode statement : policy.get("Statement")) {
                String where = file + " " + statement.path("Sid").asText();
                assertThat(sids.add(statement.path("Sid").asText())).as("one Sid per statement: " + where).isTrue();
                assertThat(statement.path("Sid").asText()).as(where).matches("[A-Za-z0-9]+");
                assertThat(statement.path("Effect").asText()).as(where).isEqualTo("Allow");
                assertThat(strings(statement.path("Action"))).as(where).isNotEmpty()
                        .allSatisfy(a -> assertThat(a).matches("[a-z0-9-]+:[A-Za-z*]+").doesNotEndWith(":*"));
                assertThat(strings(statement.path("Resource"))).as(where).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.equals("*") || r.matches("arn:aws:[a-z0-9-]+:REGION:ACCOUNT:.+")
                                        || r.matches("arn:aws:iam::ACCOUNT:.+")) // IAM's ARNs have no region
                                .as(r).isTrue());
            }
        }
    }

    @Test
    void theDeclarationsPolicyReadsOneParameterPathAndDecryptsNothing() throws Exception {
        JsonNode policy = JSON.readTree(IAM.resolve("task-role-declarations.json").toFile());
        List<String> actions = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        policy.get("Statement").forEach(s -> {
            actions.addAll(strings(s.path("Action")));
            resources.addAll(strings(s.path("Resource")));
            assertThat(s.has("Condition")).isFalse();
        });
        // GetParametersByPath is authorised against the requested path; the SSM source never calls anything else, and
        // it refuses SecureString parameters instead of decrypting them, so no kms:Decrypt
        assertThat(actions).containsExactly("ssm:GetParametersByPath");
        assertThat(resources).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("arn:aws:ssm:REGION:ACCOUNT:parameter/"));
        String path = resources.get(0);
        assertThat(path).doesNotContain("*").doesNotEndWith("/");
        assertThat(resources.get(1)).as("the same path with a trailing / (declarations.ssm.path written that way)")
                .isEqualTo(path + "/*");
    }

    /**
     * The "Required actions" column of "Semantics of IAM authorization policy actions and resources"
     * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html): granting an action needs these too.
     */
    private static final Map<String, List<String>> MSK_REQUIRED_ACTIONS = Map.ofEntries(
            Map.entry("Connect", List.of()),
            Map.entry("DescribeCluster", List.of("Connect")),
            Map.entry("AlterCluster", List.of("Connect", "DescribeCluster")),
            Map.entry("DescribeClusterDynamicConfiguration", List.of("Connect")),
            Map.entry("AlterClusterDynamicConfiguration", List.of("Connect", "DescribeClusterDynamicConfiguration")),
            Map.entry("WriteDataIdempotently", List.of("Connect", "WriteData")),
            Map.entry("CreateTopic", List.of("Connect")),
            Map.entry("DescribeTopic", List.of("Connect")),
            Map.entry("AlterTopic", List.of("Connect", "DescribeTopic")),
            Map.entry("DeleteTopic", List.of("Connect", "DescribeTopic")),
            Map.entry("DescribeTopicDynamicConfiguration", List.of("Connect")),
            Map.entry("AlterTopicDynamicConfiguration", List.of("Connect", "DescribeTopicDynamicConfiguration")),
            Map.entry("ReadData", List.of("Connect", "DescribeTopic", "AlterGroup")),
            Map.entry("WriteData", List.of("Connect", "DescribeTopic")),
            Map.entry("DescribeGroup", List.of("Connect")),
            Map.entry("AlterGroup", List.of("Connect", "DescribeGroup")),
            Map.entry("DeleteGroup", List.of("Connect", "DescribeGroup")),
            Map.entry("DescribeTransactionalId", List.of("Connect")),
            Map.entry("AlterTransactionalId", List.of("Connect", "DescribeTransactionalId", "WriteData")));

    @Test
    void theMskIamPolicyGrantsEveryActionsRequiredActionsAndExactlyOnce() throws Exception {
        JsonNode policy = JSON.readTree(IAM.resolve("task-role-msk-iam.json").toFile());
        Map<String, List<String>> granted = new LinkedHashMap<>(); // kafka-cluster action -> resources
        policy.get("Statement").forEach(s -> strings(s.path("Action")).stream()
                .filter(a -> a.startsWith("kafka-cluster:"))
                .forEach(a -> granted.computeIfAbsent(a.substring("kafka-cluster:".length()), k -> new ArrayList<>())
                        .addAll(strings(s.path("Resource")))));
        assertThat(MSK_REQUIRED_ACTIONS).as("actions MSK defines").containsKeys(granted.keySet().toArray(String[]::new));
        granted.keySet().forEach(action -> assertThat(granted.keySet()).as("required by " + action)
                .containsAll(MSK_REQUIRED_ACTIONS.get(action)));

        // exactly-once (KIP-618): transactional producers (connect-cluster-<group.id> for the config topic,
        // <group.id>-<connector>-<task> for source tasks), zombie fencing, idempotent writes
        String cluster = "arn:aws:kafka:REGION:ACCOUNT:cluster/CLUSTER/CLUSTER-UUID";
        String transactionalIds = "arn:aws:kafka:REGION:ACCOUNT:transactional-id/CLUSTER/CLUSTER-UUID/*";
        assertThat(granted.get("WriteDataIdempotently")).containsExactly(cluster);
        assertThat(granted.get("AlterTransactionalId")).containsExactly(transactionalIds);
        assertThat(granted.get("DescribeTransactionalId")).containsExactly(transactionalIds);
    }

    /**
     * Exactly the Glue calls the serde makes (AWSSchemaRegistryClient in schema-registry-common 1.1.24; GlueAvroIT runs
     * the image through all five): looking a definition up, creating a schema or a version with its transport
     * metadata on the registry and its schemas only, and reading a version by id, which Glue authorises on "*" only.
     */
    @Test
    void theGlueSchemaRegistryPolicyGrantsWhatTheSerdeCallsOnOneRegistry() throws Exception {
        JsonNode policy = JSON.readTree(IAM.resolve("task-role-glue-schema-registry.json").toFile());
        Map<String, List<String>> granted = new LinkedHashMap<>();
        policy.get("Statement").forEach(s -> strings(s.path("Action")).forEach(a ->
                granted.computeIfAbsent(a, k -> new ArrayList<>()).addAll(strings(s.path("Resource")))));
        assertThat(granted.keySet()).containsExactlyInAnyOrder("glue:GetSchemaByDefinition", "glue:CreateSchema",
                "glue:RegisterSchemaVersion", "glue:PutSchemaVersionMetadata", "glue:GetSchemaVersion");
        List<String> scoped = List.of("arn:aws:glue:REGION:ACCOUNT:registry/REGISTRY",
                "arn:aws:glue:REGION:ACCOUNT:schema/REGISTRY/TOPIC_PREFIX.*",
                // the heartbeat records the image's PostgreSQL default sends go through the value converter too
                "arn:aws:glue:REGION:ACCOUNT:schema/REGISTRY/__debezium-heartbeat.TOPIC_PREFIX");
        granted.forEach((action, resources) -> assertThat(resources).as(action)
                .isEqualTo(action.equals("glue:GetSchemaVersion") ? List.of("*") : scoped));
    }
}
