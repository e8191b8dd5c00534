package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The launcher's rules beyond plain mapping: auth, legacy variables, ECS, conflicts. */
class LauncherRulesTest {

    private static final String IAM_JAAS = "software.amazon.msk.auth.iam.IAMLoginModule required;";

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", "b-1.x.c2.kafka.eu-west-1.amazonaws.com:9098");
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private static WorkerConfiguration build(Map<String, String> env) {
        Properties profile = new Properties();
        profile.setProperty("group.id", "connect-cluster");
        profile.setProperty("listeners", "http://0.0.0.0:8083");
        return WorkerConfiguration.build(profile, env, () -> "172.17.0.9");
    }

    private static WorkerConfiguration.Surroundings onEcs(WorkerConfiguration.EcsTask task) {
        return new WorkerConfiguration.Surroundings() {
            @Override public String localAddress() { return "127.0.0.1"; }
            @Override public Optional<WorkerConfiguration.EcsTask> ecsTask() { return Optional.of(task); }
            @Override public String availabilityZoneId(String zoneName) {
                assertThat(zoneName).isEqualTo("eu-west-1b");
                return "euw1-az1";
            }
        };
    }

    @Test
    void iamReachesEveryClientConnectCreates() {
        Map<String, String> p = build(env("CONNECT_AWS_KAFKA_AUTH", "iam")).properties();
        for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
            assertThat(p).containsEntry(prefix + "security.protocol", "SASL_SSL")
                    .containsEntry(prefix + "sasl.mechanism", "AWS_MSK_IAM")
                    .containsEntry(prefix + "sasl.jaas.config", IAM_JAAS)
                    .containsEntry(prefix + "sasl.client.callback.handler.class", KafkaAuth.IAM_CALLBACK_HANDLER);
        }
    }

    @Test
    void handWrittenTopLevelSecurityIsRepeatedForProducersAndConsumers() {
        // the task definition users write today for MSK IAM, top level only
        WorkerConfiguration c = build(env("CONNECT_SECURITY_PROTOCOL", "SASL_SSL", "CONNECT_SASL_MECHANISM", "AWS_MSK_IAM",
                "CONNECT_SASL_JAAS_CONFIG", IAM_JAAS,
                "CONNECT_SASL_CLIENT_CALLBACK_HANDLER_CLASS", KafkaAuth.IAM_CALLBACK_HANDLER,
                "CONNECT_CONSUMER_SASL_MECHANISM", "AWS_MSK_IAM"));
        assertThat(c.properties()).containsEntry("producer.sasl.jaas.config", IAM_JAAS)
                .containsEntry("consumer.security.protocol", "SASL_SSL")
                .containsEntry("admin.sasl.client.callback.handler.class", KafkaAuth.IAM_CALLBACK_HANDLER);
        assertThat(c.kafkaConnection()).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "sasl.client.callback.handler.class");
        assertThat(c.describe()).contains("producer.sasl.mechanism=AWS_MSK_IAM   <- same as sasl.mechanism")
                .contains("consumer.sasl.mechanism=AWS_MSK_IAM   <- CONNECT_CONSUMER_SASL_MECHANISM");
    }

    @Test
    void theAuthModeRefusesContradictions() {
        assertThatThrownBy(() -> build(env("CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_PRODUCER_SECURITY_PROTOCOL", "SSL")))
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("CONNECT_AWS_KAFKA_AUTH=iam sets producer.security.protocol, and "
                        + "CONNECT_PRODUCER_SECURITY_PROTOCOL sets it differently: remove CONNECT_PRODUCER_SECURITY_PROTOCOL");
        // repeating what the mode sets is harmless
        assertThat(build(env("CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_SASL_MECHANISM", "AWS_MSK_IAM")).properties())
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
    }

    @Test
    void removedRestPortAndHostBecomeTheListener() {
        assertThat(build(env("REST_PORT", "8084")).properties()).containsEntry("listeners", "http://0.0.0.0:8084")
                .doesNotContainKeys("rest.port", "rest.host.name");
        assertThat(build(env("CONNECT_REST_PORT", "9000", "CONNECT_REST_HOST_NAME", "10.0.0.1")).properties())
                .containsEntry("listeners", "http://10.0.0.1:9000");
        assertThatThrownBy(() -> build(env("REST_PORT", "80a"))).hasMessage("REST_PORT=80a is not a port number, e.g. 8083");
        assertThatThrownBy(() -> build(env("REST_PORT", "8084", "CONNECT_LISTENERS", "http://0.0.0.0:8083")))
                .hasMessageContaining("CONNECT_LISTENERS=http://0.0.0.0:8083 and REST_PORT both set the REST listener");
    }

    @Test
    void anUnreachableAdvertisedHostIsReplacedWithAWarning() {
        WorkerConfiguration c = build(env("CONNECT_REST_ADVERTISED_HOST_NAME", "0.0.0.0"));
        assertThat(c.properties()).containsEntry("rest.advertised.host.name", "172.17.0.9");
        assertThat(c.warnings()).singleElement().asString()
                .startsWith("CONNECT_REST_ADVERTISED_HOST_NAME=0.0.0.0 is not an address other workers can reach; it is ignored");
        assertThat(build(env()).warnings()).isEmpty();
        assertThat(build(env("HOST_NAME", "10.1.1.1")).properties()).containsEntry("rest.advertised.host.name", "10.1.1.1");
        assertThat(build(env()).workerId()).isEqualTo("172.17.0.9:8083");
    }

    @Test
    void onEcsTheTaskIpIsAdvertisedAndTheTaskIdNamesTheClients() {
        WorkerConfiguration.EcsTask task = new WorkerConfiguration.EcsTask("0a1b2c3d4e", "awsvpc", "10.0.3.17", "eu-west-1b");
        Properties profile = new Properties();
        WorkerConfiguration c = WorkerConfiguration.build(profile, env("CONNECT_AWS_CLIENT_RACK", "az-id"), onEcs(task));
        assertThat(c.properties()).containsEntry("rest.advertised.host.name", "10.0.3.17")
                .containsEntry("client.id", "ecs-0a1b2c3d4e")
                .containsEntry("client.rack", "euw1-az1")
                .containsEntry("consumer.client.rack", "euw1-az1");
        assertThat(c.workerId()).isEqualTo("10.0.3.17:8083");
        assertThat(WorkerConfiguration.build(profile, env("CONNECT_AWS_CLIENT_RACK", "az-name"), onEcs(task)).properties())
                .containsEntry("client.rack", "eu-west-1b");
        assertThat(WorkerConfiguration.build(profile, env("ADVERTISED_HOST_NAME", "worker-a.internal"), onEcs(task)).properties())
                .containsEntry("rest.advertised.host.name", "worker-a.internal");
        WorkerConfiguration.EcsTask bridge = new WorkerConfiguration.EcsTask("0a1b2c3d4e", "bridge", null, "eu-west-1b");
        assertThat(WorkerConfiguration.build(profile, env(), onEcs(bridge)).describe())
                .contains("rest.advertised.host.name=127.0.0.1   <- this container's address (ECS network mode bridge");
        assertThatThrownBy(() -> build(env("CONNECT_AWS_CLIENT_RACK", "az-id")))
                .hasMessageContaining("ECS_CONTAINER_METADATA_URI_V4 is not set");
        assertThatThrownBy(() -> build(env("CONNECT_AWS_CLIENT_RACK", "zone")))
                .hasMessageContaining("CONNECT_AWS_CLIENT_RACK=zone is not none, az-id or az-name");
    }

    @Test
    void theConnectorDefaultsExtensionJoinsTheListUnlessTurnedOff() {
        String extension = ConnectorDefaultsExtension.class.getName();
        String references = ProviderReferenceExtension.class.getName();
        assertThat(build(env()).properties()).containsEntry("rest.extension.classes", extension + "," + references);
        assertThat(build(env("CONNECT_REST_EXTENSION_CLASSES", "a.B")).properties())
                .containsEntry("rest.extension.classes", "a.B," + extension + "," + references);
        assertThat(build(env("CONNECT_REST_EXTENSION_CLASSES", "a.B, " + extension)).properties())
                .containsEntry("rest.extension.classes", "a.B, " + extension + "," + references);
        assertThat(build(env("CONNECT_AWS_CONNECTOR_DEFAULTS", "false")).properties())
                .as("the provider check stays").containsEntry("rest.extension.classes", references);
    }

    @Test
    void theMetricsExtensionJoinsWhenACloudWatchSinkIsOn() {
        String defaults = ConnectorDefaultsExtension.class.getName() + "," + ProviderReferenceExtension.class.getName();
        String metrics = io.connectaws.metrics.MetricsExtension.class.getName();
        WorkerConfiguration onEcs = build(env("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/t"));
        assertThat(onEcs.properties()).containsEntry("rest.extension.classes", defaults + "," + metrics);
        assertThat(onEcs.describe()).contains("rest.extension.classes=" + defaults + "," + metrics
                + "   <- profile + CONNECT_AWS_CONNECTOR_DEFAULTS (default true) + the image (refuses references to "
                + "providers the worker lacks) + cloudwatch.sink=emf (the default on ECS)");
        assertThat(build(env("CONNECT_CLOUDWATCH_SINK", "api")).properties())
                .containsEntry("rest.extension.classes", defaults + "," + metrics);
        assertThat(build(env()).properties()).containsEntry("rest.extension.classes", defaults);
        assertThat(build(env("ECS_CONTAINER_METADATA_URI_V4", "http://x", "CONNECT_CLOUDWATCH_SINK", "off")).properties())
                .containsEntry("rest.extension.classes", defaults);
        assertThatThrownBy(() -> build(env("CONNECT_CLOUDWATCH_SINK", "stdout")))
                .hasMessageContaining("Invalid value stdout for configuration cloudwatch.sink: use emf, api or off")
                .hasMessageContaining("CONNECT_CLOUDWATCH_SINK");
    }

    @Test
    void debeziumsPrometheusSwitchIsNoLongerRefused() {
        assertThat(build(env("ENABLE_JMX_EXPORTER", "true")).properties()).containsKey("bootstrap.servers");
    }

    @Test
    void debeziumAddOnsThisImageLacksStopTheStart() {
        assertThatThrownBy(() -> build(env("ENABLE_OTEL", "true")))
                .hasMessageStartingWith("ENABLE_OTEL=true asks for OpenTelemetry instrumentation, which this image does not ship");
        assertThat(build(env("ENABLE_OTEL", "false")).properties()).containsKey("bootstrap.servers");
    }

    @Test
    void aMistypedImageVariableIsNamed() {
        assertThatThrownBy(() -> VariableNames.check(Map.of("CONNECT_AWS_KAFKA_AUHT", "iam"), ConnectLauncher.VARIABLES))
                .hasMessage("CONNECT_AWS_KAFKA_AUHT is not a variable this image reads: did you mean CONNECT_AWS_KAFKA_AUTH? "
                        + "(CONNECT_AWS_* variables: docs/launcher.md)");
        VariableNames.check(Map.of("CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_GROUP_ID", "g"), ConnectLauncher.VARIABLES);
        assertThatThrownBy(() -> ConnectLauncher.flag(Map.of("X", "yes"), "X", true)).hasMessage("X=yes is not true or false");
    }

    @Test
    void jvmOptionsUnderAWorkerPropertyNameAreRefusedNamingWhereTheyGo() {
        for (String variable : List.of("CONNECT_JVM_OPTS", "CONNECT_HEAP_OPTS", "CONNECT_JAVA_OPTS")) {
            assertThatThrownBy(() -> VariableNames.check(Map.of(variable, "-Xmx2g"), ConnectLauncher.VARIABLES))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageStartingWith(variable + " is not read")
                    .hasMessageContaining("KAFKA_HEAP_OPTS");
        }
    }

    @Test
    void variablesOtherImagesReadAndThisOneDoesNotAreOneWarningEach() {
        assertThat(VariableNames.unread(Map.of("JAVA_OPTS", "-Xmx1g",
                "CONNECT_LOG4J_APPENDER_STDOUT_LAYOUT_CONVERSIONPATTERN", "%m", "CONNECT_LOG4J_ROOT_LOGLEVEL", "INFO")))
                .hasSize(2)
                .anySatisfy(w -> assertThat(w).startsWith("JAVA_OPTS is set and not read").contains("JDK_JAVA_OPTIONS"))
                .anySatisfy(w -> assertThat(w).startsWith("CONNECT_LOG4J_APPENDER_STDOUT_LAYOUT_CONVERSIONPATTERN"));
        assertThat(VariableNames.unread(Map.of("CONNECT_LOG4J_LOGGERS", "io.debezium=DEBUG"))).isEmpty();
    }

    @Test
    void theArgumentIsAProfileOrDebeziumsStartAndNothingElse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(Arguments.profilePath(new String[0], java.nio.file.Path.of(ConnectLauncher.DEFAULT_PROFILE)))
                .isEqualTo(java.nio.file.Path.of(ConnectLauncher.DEFAULT_PROFILE));
        assertThat(Arguments.profilePath(new String[] {"start"}, java.nio.file.Path.of("/p")))
                .isEqualTo(java.nio.file.Path.of("/p"));
        java.nio.file.Path own = java.nio.file.Files.writeString(dir.resolve("w.properties"), "group.id=g\n");
        assertThat(Arguments.profilePath(new String[] {own.toString()}, java.nio.file.Path.of("/p"))).isEqualTo(own);
        for (String[] args : List.of(new String[] {"--verbose"}, new String[] {"bash"}, new String[] {"a", "b"})) {
            assertThatThrownBy(() -> Arguments.profilePath(args, java.nio.file.Path.of("/p")))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("takes no arguments")
                    .hasMessageContaining("docs/launcher.md");
        }
    }
}
