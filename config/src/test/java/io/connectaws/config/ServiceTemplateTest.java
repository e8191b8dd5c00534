package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.connectaws.launcher.WorkerConfiguration;

/**
 * config/ecs/connect-service.cfn.json keeps one source of truth: its IAM policies, cluster alarms, dashboard, target
 * group and health check are the shipped files, resolved the way CloudFormation deploys them; and it holds the ECS
 * facts the service depends on (rolling settings from the fault drills, Fargate's CPU and memory pairs, stopTimeout at
 * most 120 s, a body small enough for {@code aws cloudformation deploy} without an S3 bucket).
 */
class ServiceTemplateTest {
    private static final Path IAM = Path.of("iam");

    private static List<Path> shippedPolicies() throws IOException {
        try (Stream<Path> files = Files.list(IAM)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String baseName(Path p) {
        return p.getFileName().toString().replaceFirst("\\.json$", "");
    }

    /** Every optional part on, and the placeholders of config/iam as the parameter values. */
    private static Map<String, String> placeholders() {
        Map<String, String> p = ServiceDeployments.fargate();
        p.put("AWS::Region", "REGION");
        p.put("AWS::AccountId", "ACCOUNT");
        p.put("MskClusterName", "CLUSTER");
        p.put("MskClusterUuid", "CLUSTER-UUID");
        p.put("SecretsKmsKeyId", "KEY-ID");
        p.put("SecretsRoleArn", "arn:aws:iam::ACCOUNT:role/ROLE");
        p.put("DeclarationsSsmPath", "/connect/CLUSTER/connectors");
        p.put("MetricsSink", "api");
        p.put("GlueRegistryName", "REGISTRY");
        p.put("GlueSchemaNamePrefix", "TOPIC_PREFIX");
        return p;
    }

    private static Map<String, JsonNode> taskRolePolicies(CfnTemplate t) {
        Map<String, JsonNode> byName = new HashMap<>();
        t.properties("TaskRole").get("Policies").forEach(p -> byName.put(p.get("PolicyName").asText(), p.get("PolicyDocument")));
        return byName;
    }

    @Test
    void theTemplateIsSmallEnoughToDeployWithoutAnS3Bucket() throws Exception {
        // aws cloudformation deploy: "Templates with a size greater than 51,200 bytes must be deployed via an S3 Bucket"
        assertThat(Files.size(ServiceDeployments.TEMPLATE)).isLessThanOrEqualTo(51_200);
    }

    /** CloudFormation refuses a value outside a parameter's constraints, a default included. */
    @Test
    void defaultsAndTheTestedValuesMeetTheParametersConstraints() throws Exception {
        JsonNode parameters = CfnTemplate.JSON.readTree(ServiceDeployments.TEMPLATE.toFile()).get("Parameters");
        List<Map<String, String>> deployments = new ArrayList<>(List.of(ServiceDeployments.fargate(), ServiceDeployments.ec2()));
        Map<String, String> defaults = new HashMap<>();
        parameters.fields().forEachRemaining(p -> {
            if (p.getValue().has("Default")) {
                defaults.put(p.getKey(), p.getValue().get("Default").asText());
            }
        });
        deployments.add(defaults);
        for (Map<String, String> values : deployments) {
            values.forEach((name, value) -> {
                JsonNode p = parameters.get(name);
                assertThat(p).as("parameter " + name).isNotNull();
                String as = name + "=" + value;
                if (p.has("AllowedValues")) {
                    List<String> allowed = new ArrayList<>();
                    p.get("AllowedValues").forEach(v -> allowed.add(v.asText()));
                    assertThat(allowed).as(as).contains(value);
                }
                if (p.has("AllowedPattern")) {
                    assertThat(value).as(as).matches(p.get("AllowedPattern").asText());
                }
                if (p.has("MinValue")) {
                    assertThat(Double.parseDouble(value)).as(as).isGreaterThanOrEqualTo(p.get("MinValue").asDouble());
                }
                if (p.has("MaxValue")) {
                    assertThat(Double.parseDouble(value)).as(as).isLessThanOrEqualTo(p.get("MaxValue").asDouble());
                }
                if (p.has("MinLength")) {
                    assertThat(value.length()).as(as).isGreaterThanOrEqualTo(p.get("MinLength").asInt());
                }
            });
        }
    }

    /** docs/ecs.md's parameter table names every parameter with its default. */
    @Test
    void theDocsListEveryParameterWithItsDefault() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "ecs.md"));
        CfnTemplate.JSON.readTree(ServiceDeployments.TEMPLATE.toFile()).get("Parameters").fields().forEachRemaining(p -> {
            JsonNode d = p.getValue().get("Default");
            String shown = d == null ? "(required)" : d.asText().isEmpty() ? "(empty)" : "`" + d.asText() + "`";
            assertThat(doc).as("docs/ecs.md, Parameters").contains("| `" + p.getKey() + "` | " + shown + " |");
        });
    }

    @Test
    void theTaskRoleHoldsEveryShippedPolicyAsShipped() throws Exception {
        Map<String, JsonNode> inlined = taskRolePolicies(ServiceDeployments.deploy(placeholders()));
        List<Path> shipped = shippedPolicies();
        for (Path file : shipped) {
            assertThat(inlined).as("config/iam/%s is a task role policy of connect-service.cfn.json (PolicyName %s, "
                    + "conditional if optional); add it there", file.getFileName(), baseName(file)).containsKey(baseName(file));
            assertThat(inlined.get(baseName(file))).as("the template's copy of " + file + " with the placeholders as values "
                            + "(edit both: the template writes REGION as ${AWS::Region}, ACCOUNT as ${AWS::AccountId}, ...)")
                    .isEqualTo(CfnTemplate.JSON.readTree(file.toFile()));
        }
        assertThat(inlined.keySet()).as("every task role policy comes from config/iam")
                .isEqualTo(new HashSet<>(shipped.stream().map(ServiceTemplateTest::baseName).toList()));
    }

    @Test
    void optionalPoliciesComeOnlyWithTheirFeature() throws Exception {
        Map<String, String> off = new HashMap<>(placeholders());
        off.put("SecretsKmsKeyId", "");
        off.put("SecretsRoleArn", "");
        off.put("DeclarationsSsmPath", "");
        off.put("MetricsSink", "emf");
        off.put("GlueRegistryName", "");
        Map<String, JsonNode> inlined = taskRolePolicies(ServiceDeployments.deploy(off));
        assertThat(inlined.keySet()).containsExactlyInAnyOrder("task-role-msk-iam", "task-role-secrets");
        assertThat(inlined.get("task-role-secrets").toString()).as("AWS managed keys need no kms:Decrypt grant")
                .doesNotContain("kms:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "arn:aws:sns:eu-west-1:123456789012:on-call"})
    void theClusterAlarmsAreTheShippedTemplatesAlarms(String topic) throws Exception {
        JsonNode shipped = CfnTemplate.JSON.readTree(Path.of("cloudwatch/cluster-alarms.cfn.json").toFile());
        CfnTemplate alarms = CfnTemplate.of(shipped, Map.of("Cluster", "orders-cdc", "AlarmTopicArn", topic));
        CfnTemplate service = ServiceDeployments.deploy(ServiceDeployments.fargate(), Map.of("AlarmTopicArn", topic));
        List<String> ids = new ArrayList<>();
        shipped.get("Resources").fieldNames().forEachRemaining(ids::add);
        assertThat(ids).hasSizeGreaterThanOrEqualTo(5);
        for (String id : ids) {
            assertThat(service.raw().at("/Resources/" + id + "/Type").asText()).as(id).isEqualTo("AWS::CloudWatch::Alarm");
            assertThat(service.properties(id)).as("alarm " + id + " as in config/cloudwatch/cluster-alarms.cfn.json")
                    .isEqualTo(alarms.properties(id));
        }
        shipped.get("Parameters").fields().forEachRemaining(p -> {
            if (!Set.of("Cluster").contains(p.getKey())) {
                assertThat(service.raw().at("/Parameters/" + p.getKey())).as("parameter " + p.getKey()).isEqualTo(p.getValue());
            }
        });
    }

    @Test
    void theDashboardIsTheShippedDashboard() throws Exception {
        CfnTemplate service = ServiceDeployments.deploy(ServiceDeployments.fargate());
        JsonNode deployed = CfnTemplate.JSON.readTree(service.properties("Dashboard").get("DashboardBody").asText());
        ObjectNode sub = JsonNodeFactory.instance.objectNode();
        sub.putArray("Fn::Sub").add(Files.readString(Path.of("cloudwatch/dashboard.json")))
                .addObject().put("Cluster", "orders-cdc").put("EcsCluster", "connect-cdc").put("EcsService", "connect-cdc");
        JsonNode shipped = CfnTemplate.JSON.readTree(service.resolve(sub).asText());
        assertThat(deployed).as("Resources.Dashboard's DashboardBody is config/cloudwatch/dashboard.json: after editing the "
                + "file, put `jq -c . config/cloudwatch/dashboard.json` (as a JSON string) in its Fn::Sub").isEqualTo(shipped);
        assertThat(deployed.toString()).doesNotContain("${");
    }

    @Test
    void theTargetGroupIsTheShippedOne() throws Exception {
        JsonNode tg = ServiceDeployments.deploy(ServiceDeployments.fargate()).properties("TargetGroup").deepCopy();
        ((ObjectNode) tg).remove("TargetGroupAttributes");
        assertThat(tg).isEqualTo(CfnTemplate.JSON.readTree(Path.of("ecs/target-group-health.json").toFile()));
    }

    @Test
    void theContainerIsTheShippedTaskDefinitionsContainer() throws Exception {
        JsonNode shippedTask = CfnTemplate.JSON.readTree(Path.of("ecs/connect-task-definition.json").toFile());
        JsonNode shipped = shippedTask.at("/containerDefinitions/0");
        for (Map.Entry<String, Map<String, String>> launch : ServiceDeployments.launchTypes().entrySet()) {
            JsonNode task = EcsApiDocuments.taskDefinition(ServiceDeployments.deploy(launch.getValue()));
            JsonNode c = task.at("/containerDefinitions/0");
            String as = launch.getKey() + ": ";
            for (String same : List.of("healthCheck", "readonlyRootFilesystem", "portMappings", "mountPoints", "essential")) {
                assertThat(c.get(same)).as(as + same).isEqualTo(shipped.get(same));
            }
            assertThat(task.get("volumes")).as(as + "the writable /tmp of a read-only root").isEqualTo(shippedTask.get("volumes"));
            assertThat(task.get("networkMode").asText()).as(as + "Fargate needs awsvpc; on EC2 only awsvpc gives each "
                    + "worker an address the others reach (docs/launcher.md)").isEqualTo("awsvpc");
            assertThat(task.path("requiresCompatibilities").get(0).asText()).isEqualTo(launch.getKey());
            assertThat(c.at("/logConfiguration/logDriver").asText()).isEqualTo("awslogs");
            assertThat(c.at("/logConfiguration/options/awslogs-group").asText()).isEqualTo("/ecs/connect-cdc");
            assertThat(c.get("stopTimeout").asInt()).as(as + "above task.shutdown.graceful.timeout.ms + 10 s").isBetween(30, 120);
        }
        JsonNode stop = ServiceDeployments.deploy(ServiceDeployments.fargate()).raw().at("/Parameters/StopTimeout");
        assertThat(stop.get("MaxValue").asInt()).as("Fargate's maximum stopTimeout").isEqualTo(120);
        assertThat(stop.get("MinValue").asInt()).isGreaterThanOrEqualTo(30);
        JsonNode retention = ServiceDeployments.deploy(ServiceDeployments.fargate()).properties("LogGroup");
        assertThat(retention.get("RetentionInDays").asInt()).isEqualTo(30);
    }

    /** The rolling settings the fault drills justify (docs/delivery.md), a grace period over the health check's start period. */
    @Test
    void theServiceRollsLikeTheDrillAndRollsBackAFailedDeployment() throws Exception {
        for (Map.Entry<String, Map<String, String>> launch : ServiceDeployments.launchTypes().entrySet()) {
            JsonNode s = EcsApiDocuments.service(ServiceDeployments.deploy(launch.getValue()));
            JsonNode d = s.get("deploymentConfiguration");
            assertThat(d.get("maximumPercent").asInt()).as("a new worker joins before an old one stops").isEqualTo(200);
            assertThat(d.get("minimumHealthyPercent").asInt()).isEqualTo(100);
            assertThat(d.at("/deploymentCircuitBreaker/enable").asBoolean()).isTrue();
            assertThat(d.at("/deploymentCircuitBreaker/rollback").asBoolean()).isTrue();
            assertThat(s.get("healthCheckGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(
                    EcsApiDocuments.taskDefinition(ServiceDeployments.deploy(launch.getValue())).at("/containerDefinitions/0/healthCheck/startPeriod").asInt());
            assertThat(s.get("launchType").asText()).isEqualTo(launch.getKey());
        }
        assertThat(EcsApiDocuments.service(ServiceDeployments.deploy(ServiceDeployments.ec2())).get("cluster").asText()).isEqualTo("cdc-ec2");
        assertThat(EcsApiDocuments.service(ServiceDeployments.deploy(ServiceDeployments.ec2(), Map.of("AssignPublicIp", "ENABLED")))
                .at("/networkConfiguration/awsvpcConfiguration/assignPublicIp").asText())
                .as("ECS refuses a public IP for an EC2 task in awsvpc mode").isEqualTo("DISABLED");
        assertThat(EcsApiDocuments.service(ServiceDeployments.deploy(ServiceDeployments.fargate())).get("cluster").asText()).isEqualTo("connect-cdc");
    }

    /** AWS's table of Fargate task sizes (Amazon ECS Developer Guide, "Task CPU and memory"). */
    private static boolean fargateAccepts(int cpu, int memory) {
        return switch (cpu) {
            case 256 -> memory == 512 || memory == 1024 || memory == 2048;
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
            case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
            default -> false;
        };
    }

    @Test
    void theFargateRuleAcceptsExactlyAwssCpuAndMemoryPairs() throws Exception {
        JsonNode template = ServiceDeployments.deploy(ServiceDeployments.fargate()).raw();
        JsonNode rule = template.at("/Rules/FargateCpuAndMemory");
        assertThat(rule.at("/RuleCondition/Fn::Equals/1").asText()).isEqualTo("FARGATE");
        int checked = 0;
        for (JsonNode cpu : template.at("/Parameters/Cpu/AllowedValues")) {
            for (int memory = 512; memory <= 122880; memory += 512) {
                Map<String, String> p = ServiceDeployments.fargate();
                p.put("Cpu", cpu.asText());
                p.put("Memory", Integer.toString(memory));
                boolean accepted = CfnTemplate.of(template, p).evaluate(rule.at("/Assertions/0/Assert"));
                assertThat(accepted).as("Fargate %s CPU with %d MiB", cpu.asText(), memory).isEqualTo(fargateAccepts(cpu.asInt(), memory));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
        Map<String, String> defaults = ServiceDeployments.fargate();
        assertThat(fargateAccepts(Integer.parseInt(template.at("/Parameters/Cpu/Default").asText()),
                Integer.parseInt(template.at("/Parameters/Memory/Default").asText()))).isTrue();
        assertThat(defaults).doesNotContainKeys("Cpu", "Memory");
    }

    @Test
    void theWorkersEnvironmentStartsAWorkerWithIamAndTheDeclarations() throws Exception {
        JsonNode c = EcsApiDocuments.taskDefinition(ServiceDeployments.deploy(ServiceDeployments.fargate())).at("/containerDefinitions/0");
        Map<String, String> env = new HashMap<>();
        c.path("environment").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        assertThat(env).containsEntry("CONNECT_DECLARATIONS_SSM_PATH", "/connect/orders-cdc/connectors")
                .containsEntry("GROUP_ID", "orders-cdc").containsEntry("CONNECT_CLOUDWATCH_SINK", "emf");
        env.put("AWS_REGION", "eu-west-1");
        WorkerConfiguration w = WorkerOnEcs.build(env);
        assertThat(w.warnings()).isEmpty();
        assertThat(w.properties()).containsEntry("producer.sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("config.storage.topic", "orders-cdc-configs")
                .containsEntry("declarations.ssm.path", "/connect/orders-cdc/connectors")
                .containsEntry("cloudwatch.namespace", "KafkaConnect");
    }

    @Test
    void theOutputsSayWhereToLook() throws Exception {
        CfnTemplate service = ServiceDeployments.deploy(ServiceDeployments.fargate());
        JsonNode outputs = service.resolve(service.raw().get("Outputs"));
        assertThat(outputs.at("/DashboardUrl/Value").asText())
                .isEqualTo("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/connect-cdc-eu-west-1");
        assertThat(outputs.at("/LogGroupName/Value").asText()).isEqualTo("/ecs/connect-cdc");
        assertThat(outputs.at("/RestEndpoint/Value").asText()).startsWith("http://internal-");
        assertThat(outputs.at("/ServiceArn/Value").asText()).startsWith("arn:aws:ecs:eu-west-1:");
        assertThat(outputs.at("/ClusterName/Value")).isEqualTo(new TextNode("connect-cdc"));
    }
}
