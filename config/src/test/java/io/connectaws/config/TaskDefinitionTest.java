package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.launcher.KafkaAuth;
import io.connectaws.launcher.WorkerConfiguration;

/** The shipped ECS task definition's environment is one the launcher accepts, with the profile it ships with. */
class TaskDefinitionTest {

    @Test
    void theShippedTaskDefinitionStartsAWorkerWithIamOnEveryClient() throws Exception {
        JsonNode container = new ObjectMapper().readTree(Path.of("ecs/connect-task-definition.json").toFile())
                .path("containerDefinitions").get(0);
        Map<String, String> env = new HashMap<>();
        container.path("environment").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        env.put("AWS_REGION", "eu-west-1"); // ECS sets it in every task
        WorkerConfiguration c = WorkerOnEcs.build(env);
        assertThat(c.properties())
                .containsEntry("producer.sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("consumer.sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("rest.advertised.host.name", "10.0.1.23")
                .containsEntry("client.rack", "euw1-az3");
        assertThat(c.warnings()).isEmpty();
        assertThat(KafkaAuth.fromEnvironment(env, c.properties().get("bootstrap.servers"), "g").mode()).isEqualTo(KafkaAuth.Mode.IAM);
    }
}
