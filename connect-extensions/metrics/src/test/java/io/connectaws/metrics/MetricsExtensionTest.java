package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.connectaws.rest.RecordingRestContext;

/** The extension's lifecycle as Connect drives it: configure with the worker's settings, register, close. */
class MetricsExtensionTest {

    @Test
    void servesNothingAndTakesTheWorkerIdAndTaskArnFromTheWorkerConfig(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yml"), "rules:\n  - pattern: 'kafka.connect<type=connect-worker-metrics><>(connector-count)'\n");
        MetricsExtension extension = new MetricsExtension();
        Map<String, String> worker = Map.of(MetricsSettings.SINK, "emf", MetricsSettings.RULES_FILE, rules.toString(),
                MetricsExtension.WORKER_ID, "10.0.3.17:8083",
                MetricsExtension.ECS_TASK_ARN, "arn:aws:ecs:eu-west-1:111122223333:task/c/0a1b2c3d4e");
        extension.configure(worker);
        RecordingRestContext context = new RecordingRestContext().register(extension);
        assertThat(context.registered()).isEmpty();
        assertThat(context.properties()).isEmpty();
        extension.close();
        assertThat(MetricsExtension.properties(worker)).containsExactly(Map.entry("WorkerId", "10.0.3.17:8083"),
                Map.entry("EcsTaskArn", "arn:aws:ecs:eu-west-1:111122223333:task/c/0a1b2c3d4e"));
        assertThat(MetricsExtension.properties(Map.of())).isEmpty();
        assertThat(extension.version()).isNotBlank();
    }

    @Test
    void offRegistersNothing() {
        MetricsExtension extension = new MetricsExtension();
        extension.configure(Map.of(MetricsSettings.SINK, "off"));
        assertThat(new RecordingRestContext().register(extension).registered()).isEmpty();
        extension.close();
    }
}
