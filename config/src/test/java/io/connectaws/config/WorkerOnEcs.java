package io.connectaws.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.connectaws.launcher.WorkerConfiguration;

/** The launcher's worker configuration for a task environment, as an awsvpc ECS task in eu-west-1a would build it. */
final class WorkerOnEcs {
    private static final WorkerConfiguration.EcsTask TASK =
            new WorkerConfiguration.EcsTask("0a1b2c", "awsvpc", "10.0.1.23", "eu-west-1a");

    private WorkerOnEcs() {
    }

    /** {@code environment} with the image's shipped profile (worker/connect-distributed.properties), on the task above. */
    static WorkerConfiguration build(Map<String, String> environment) {
        return WorkerConfiguration.build(WorkerConfiguration.loadProfile(Path.of("worker/connect-distributed.properties")),
                environment, new WorkerConfiguration.Surroundings() {
                    @Override public String localAddress() { return "127.0.0.1"; }
                    @Override public Optional<WorkerConfiguration.EcsTask> ecsTask() { return Optional.of(TASK); }
                    @Override public String availabilityZoneId(String zone) { return "euw1-az3"; }
                });
    }
}
