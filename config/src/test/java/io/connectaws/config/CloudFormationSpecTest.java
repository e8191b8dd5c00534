package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The templates' resources, properties and required properties are those of the CloudFormation resource
 * specification ({@link AwsServiceSpec}), for every way the service template can be deployed (Fargate with every
 * option, EC2 with none); every {@code Fn::GetAtt} names an attribute the type has; and the AWS metrics the dashboard
 * draws exist in CloudWatch with those dimensions. Skipped, with the reason printed, only when the specification
 * cannot be had (no npm, npm unreachable and nothing cached).
 */
class CloudFormationSpecTest {
    private static AwsServiceSpec spec;

    @BeforeAll
    static void loadTheSpecification() throws Exception {
        AwsServiceSpec.Result r = AwsServiceSpec.load();
        if (r.spec() == null) {
            System.out.println("CloudFormationSpecTest skipped: " + r.unavailable());
        }
        assumeTrue(r.spec() != null, r.unavailable());
        spec = r.spec();
    }

    private static List<String> problems(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.raw().get("Resources").fields().forEachRemaining(r -> {
            if (t.exists(r.getKey())) {
                JsonNode properties = r.getValue().has("Properties") ? t.properties(r.getKey()) : CfnTemplate.JSON.createObjectNode();
                problems.addAll(spec.check(r.getKey(), r.getValue().get("Type").asText(), properties));
            }
        });
        for (JsonNode getAtt : t.raw().findValues("Fn::GetAtt")) {
            String type = t.raw().at("/Resources/" + getAtt.get(0).asText() + "/Type").asText();
            if (!spec.hasAttribute(type, getAtt.get(1).asText())) {
                problems.add("Fn::GetAtt " + getAtt + ": " + type + " has no such attribute");
            }
        }
        return problems;
    }

    @Test
    void theServiceTemplateMatchesTheSpecificationOnFargateWithEveryOption() throws Exception {
        Map<String, String> all = ServiceDeployments.fargate();
        all.put("SecretsKmsKeyId", "1234abcd-12ab-34cd-56ef-1234567890ab");
        all.put("SecretsRoleArn", "arn:aws:iam::210987654321:role/connect-secrets");
        all.put("MetricsSink", "api");
        all.put("SecondDatabaseSecurityGroupId", "sg-0123456789abcdef3");
        all.put("AlarmTopicArn", "arn:aws:sns:eu-west-1:123456789012:on-call");
        CfnTemplate t = ServiceDeployments.deploy(all);
        assertThat(t.exists("LoadBalancer")).isTrue();
        assertThat(t.exists("Cluster")).isTrue();
        assertThat(problems(t)).isEmpty();
    }

    @Test
    void theServiceTemplateMatchesTheSpecificationOnEc2WithNoOption() throws Exception {
        Map<String, String> none = ServiceDeployments.ec2();
        none.put("DatabaseSecurityGroupId", "");
        CfnTemplate t = ServiceDeployments.deploy(none);
        assertThat(t.exists("LoadBalancer")).isFalse();
        assertThat(t.exists("Cluster")).isFalse();
        assertThat(problems(t)).isEmpty();
    }

    @Test
    void theAlarmTemplatesMatchTheSpecification() throws Exception {
        for (String file : List.of("cloudwatch/cluster-alarms.cfn.json", "cloudwatch/connector-alarms.cfn.json")) {
            CfnTemplate t = CfnTemplate.load(Path.of(file), Map.of("Cluster", "orders-cdc", "ConnectorName", "orders",
                    "AlarmTopicArn", "arn:aws:sns:eu-west-1:123456789012:on-call"));
            assertThat(problems(t)).as(file).isEmpty();
        }
    }

    /** The check itself: a misspelt property and a missing required one are caught, where they are. */
    @Test
    void aMisspeltOrMissingPropertyIsCaught() throws Exception {
        JsonNode template = CfnTemplate.JSON.readTree(ServiceDeployments.TEMPLATE.toFile());
        ObjectNode broken = template.deepCopy();
        ObjectNode container = (ObjectNode) broken.at("/Resources/TaskDefinition/Properties/ContainerDefinitions/0");
        container.set("ReadOnlyRootFilesystem", container.remove("ReadonlyRootFilesystem"));
        ((ObjectNode) broken.at("/Resources/LogGroup/Properties")).put("RetentionDays", 30);
        ((ObjectNode) broken.at("/Resources/Listener/Properties")).remove("DefaultActions");
        List<String> problems = problems(CfnTemplate.of(broken, ServiceDeployments.fargate()));
        assertThat(problems).hasSize(3).anySatisfy(p -> assertThat(p)
                        .startsWith("TaskDefinition (AWS::ECS::TaskDefinition).ContainerDefinitions[0]: unknown property ReadOnlyRootFilesystem"))
                .anySatisfy(p -> assertThat(p).startsWith("LogGroup (AWS::Logs::LogGroup): unknown property RetentionDays"))
                .anySatisfy(p -> assertThat(p).isEqualTo("Listener (AWS::ElasticLoadBalancingV2::Listener): the required property DefaultActions is missing"));
    }

    /** The dashboard's AWS metrics (the service's memory and CPU) are metrics CloudWatch has, with those dimensions. */
    @Test
    void theDashboardsAwsMetricsExist() throws Exception {
        Map<String, List<String>> aws = new HashMap<>();
        for (DashboardMetrics.Metric m : DashboardMetrics.read(Path.of("cloudwatch/dashboard.json"))) {
            if (m.namespace().startsWith("AWS/")) {
                assertThat(spec.dimensionsOf(m.namespace(), m.name())).as(m.namespace() + " " + m.name()).contains(m.dimensions());
                aws.put(m.name(), m.dimensions());
            }
        }
        assertThat(aws).containsOnlyKeys("MemoryUtilization", "CPUUtilization");
    }
}
