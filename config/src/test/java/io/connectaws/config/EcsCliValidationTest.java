package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The task definition and service the template creates, for Fargate and for EC2, pass the AWS API model's own
 * validation: the AWS CLI (botocore) checks a {@code --cli-input-json} document before it sends anything, so against an
 * endpoint nothing listens on the only error left is the connection's. scripts/test.sh installs the CLI when missing.
 */
class EcsCliValidationTest {
    private static final String UNREACHABLE = "http://127.0.0.1:9";

    @TempDir
    Path dir;

    @BeforeAll
    static void awsCliIsInstalled() {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= Files.isExecutable(Path.of(p, "aws"));
        }
        if (!found) {
            System.out.println("EcsCliValidationTest skipped: no aws on PATH (scripts/test.sh installs Debian's awscli)");
        }
        assumeTrue(found, "the AWS CLI is not installed (apt-get install awscli; scripts/test.sh does)");
    }

    /** The CLI's output for {@code aws ecs <operation> --cli-input-json file://document}. */
    private String ecs(String operation, JsonNode document) throws IOException, InterruptedException {
        return aws(List.of("ecs", operation), document);
    }

    /** The CLI's output for {@code aws <command...> --cli-input-json file://document}. */
    private String aws(List<String> command, JsonNode document) throws IOException, InterruptedException {
        Path input = dir.resolve(String.join("-", command) + ".json");
        Files.writeString(input, CfnTemplate.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        List<String> args = new ArrayList<>(List.of("aws"));
        args.addAll(command);
        args.addAll(List.of("--cli-input-json", "file://" + input, "--endpoint-url", UNREACHABLE, "--region", "eu-west-1",
                "--cli-connect-timeout", "2"));
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_RETRY_MODE", "standard");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args) + " finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void assertValidatedThenUnreachable(String output, String what) {
        assertThat(output).as(what + ": botocore validated the request (no ParamValidation error)")
                .doesNotContain("Parameter validation failed").doesNotContain("ParamValidation")
                .doesNotContain("Unknown parameter").doesNotContain("Invalid type");
        assertThat(output).as(what + ": the only failure is the connection to " + UNREACHABLE)
                .contains("Could not connect to the endpoint URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FARGATE", "EC2"})
    void theTaskDefinitionPassesTheEcsApiModel(String launchType) throws Exception {
        JsonNode task = EcsApiDocuments.taskDefinition(ServiceDeployments.deploy(ServiceDeployments.launchTypes().get(launchType)));
        assertValidatedThenUnreachable(ecs("register-task-definition", task), launchType + " register-task-definition");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FARGATE", "EC2"})
    void theServicePassesTheEcsApiModel(String launchType) throws Exception {
        JsonNode service = EcsApiDocuments.service(ServiceDeployments.deploy(ServiceDeployments.launchTypes().get(launchType)));
        assertValidatedThenUnreachable(ecs("create-service", service), launchType + " create-service");
    }

    /** The shipped stand-alone files, as their docs use them (--cli-input-json file://...). */
    @Test
    void theShippedTaskDefinitionAndTargetGroupPassTheirApiModels() throws Exception {
        assertValidatedThenUnreachable(ecs("register-task-definition",
                CfnTemplate.JSON.readTree(Path.of("ecs/connect-task-definition.json").toFile())), "connect-task-definition.json");
        assertValidatedThenUnreachable(aws(List.of("elbv2", "create-target-group"),
                CfnTemplate.JSON.readTree(Path.of("ecs/target-group-health.json").toFile())), "target-group-health.json");
    }

    /** The check itself: a misspelt member and a string where the model wants an integer are refused before sending. */
    @Test
    void aBrokenDocumentIsRefusedByTheModel() throws Exception {
        JsonNode task = EcsApiDocuments.taskDefinition(ServiceDeployments.deploy(ServiceDeployments.fargate())).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) task.at("/containerDefinitions/0")).put("stopTimeOut", 60);
        assertThat(ecs("register-task-definition", task)).contains("Parameter validation failed").contains("stopTimeOut");
        JsonNode service = EcsApiDocuments.service(ServiceDeployments.deploy(ServiceDeployments.fargate())).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) service).put("desiredCount", "3");
        assertThat(ecs("create-service", service)).contains("Parameter validation failed").contains("desiredCount");
    }

    /** CloudFormation converts Number parameters by the resource's schema; the renderer converts exactly these. */
    @Test
    void onlyTheKnownIntegerMembersAreFedFromNumberParameters() throws Exception {
        JsonNode template = ServiceDeployments.deploy(ServiceDeployments.fargate()).raw();
        List<String> fed = new ArrayList<>();
        for (String resource : List.of("TaskDefinition", "Service")) {
            collect(template, template.at("/Resources/" + resource + "/Properties"), null, fed);
        }
        assertThat(fed).isNotEmpty();
        for (String member : fed) {
            String api = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            assertThat(EcsApiDocuments.INTEGER_FROM_PARAMETER).as(member + " takes a Number parameter").contains(api);
        }
    }

    private static void collect(JsonNode template, JsonNode node, String key, List<String> fed) {
        if (node.isObject() && node.has("Ref") && node.size() == 1) {
            if (template.at("/Parameters/" + node.get("Ref").asText() + "/Type").asText().equals("Number")) {
                fed.add(key);
            }
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(template, e.getValue(), e.getKey(), fed));
        } else if (node.isArray()) {
            node.forEach(e -> collect(template, e, key, fed));
        }
    }
}
