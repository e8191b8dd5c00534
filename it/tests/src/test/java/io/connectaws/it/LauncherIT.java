package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.LogUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;

/**
 * The image's entrypoint as users meet it: a task definition written for debezium/connect, and bad variables.
 */
class LauncherIT {

    static PostgreSQLContainer postgres;
    static ConnectWorker worker;

    @AfterAll
    static void stop() {
        Stack.stop(worker, postgres);
    }

    /** The first container of a task definition in src/test/resources/task-definitions. */
    static JsonNode taskDefinitionContainer(String file) throws Exception {
        try (InputStream in = LauncherIT.class.getResourceAsStream("/task-definitions/" + file)) {
            return ConnectRest.JSON.readTree(in).path("containerDefinitions").get(0);
        }
    }

    /** The environment of the first container of a task definition in src/test/resources/task-definitions. */
    static Map<String, String> taskDefinitionEnvironment(String file) throws Exception {
        Map<String, String> env = new HashMap<>();
        taskDefinitionContainer(file).path("environment")
                .forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        return env;
    }

    /** The {@code command} of the first container of a task definition (what ECS passes as the container's CMD). */
    static String[] taskDefinitionCommand(String file) throws Exception {
        List<String> command = new ArrayList<>();
        taskDefinitionContainer(file).path("command").forEach(c -> command.add(c.asText()));
        return command.toArray(String[]::new);
    }

    /** The worker's log lines at WARN that contain {@code text}. */
    static List<String> warnings(String logs, String text) {
        return logs.lines().filter(l -> l.contains("] WARN ") && l.contains(text)).toList();
    }

    @Test
    void aTaskDefinitionWrittenForDebeziumConnectRunsWithOnlyTheImageChanged() throws Exception {
        Map<String, String> env = taskDefinitionEnvironment("debezium-connect.json");
        String[] command = taskDefinitionCommand("debezium-connect.json");
        assertThat(command).as("the task definition keeps Debezium's command").containsExactly("start");
        assertThat(env).containsEntry("CONNECT_PLUGIN_PATH", "/kafka/connect").containsKey("JAVA_OPTS");
        // The cluster differs, not the task definition: one test broker instead of MSK's three. A factor of 3 on one
        // broker stops the start by design (aReplicationFactorTheClusterCannotMeetStopsTheStart), so it becomes 1.
        env.put("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL);
        for (String store : List.of("CONFIG", "OFFSET", "STATUS")) {
            assertThat(env.put("CONNECT_" + store + "_STORAGE_REPLICATION_FACTOR", "1")).isEqualTo("3");
        }
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        worker = new ConnectWorker("dbz-compat", env).withCommand(command);
        Startables.deepStart(postgres, worker).join();

        // CONNECT_PLUGIN_PATH=/kafka/connect (Debezium's plugin directory) adds to the image's path instead of replacing
        // it: the image's config providers loaded (the worker started with them) and Debezium's connectors are found.
        String startLogs = worker.getLogs();
        assertThat(warnings(startLogs, "/kafka/connect")).as("one warning naming /kafka/connect").hasSize(1);
        assertThat(warnings(startLogs, "JAVA_OPTS")).as("one warning naming JAVA_OPTS").singleElement().asString()
                .contains("JAVA_OPTS is set and not read");
        assertThat(worker.rest().get("/connector-plugins").body().findValuesAsText("class"))
                .contains("io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.mariadb.MariaDbConnector");
        assertThat(startLogs).contains("config.providers = [secretsmanager, ssm]");

        // HEAP_OPTS is honoured: the worker runs in a child JVM with the task definition's heap.
        ExecResult jvms = worker.execInContainer("/opt/java/bin/jcmd", "-l");
        String childPid = jvms.getStdout().lines().filter(l -> l.contains("ConnectLauncher") && !l.startsWith("1 "))
                .map(l -> l.split(" ")[0]).findFirst().orElseThrow(() -> new AssertionError("no child JVM: " + jvms.getStdout()));
        ExecResult flags = worker.execInContainer("/opt/java/bin/jcmd", childPid, "VM.flags");
        assertThat(flags.getStdout()).contains("-XX:MaxHeapSize=1073741824").contains("-XX:InitialHeapSize=268435456");
        assertThat(worker.getLogs()).contains("HEAP_OPTS set: running the worker in a child JVM with -Xms256M -Xmx1G");

        // CONNECT_REST_ADVERTISED_HOST_NAME=0.0.0.0 would break forwarding: the container's address is advertised.
        String address = worker.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        assertThat(worker.getLogs()).contains("CONNECT_REST_ADVERTISED_HOST_NAME=0.0.0.0 is not an address other workers can reach");

        try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = db.createStatement()) {
            s.execute("CREATE TABLE public.orders (id INT PRIMARY KEY, item TEXT)");
            s.execute("INSERT INTO public.orders VALUES (1, 'kettle')");
        }
        // Connector JSON as users write it: no converters (the worker's), no topic creation settings, no security.
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("compat-orders",
                PostgresCdcIT.postgresConnector("compat_orders", "compat", "public.orders"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("compat-orders", Duration.ofSeconds(60));
        assertThat(rest.get("/connectors/compat-orders/status").body().path("tasks").get(0).path("worker_id").asText())
                .isEqualTo(address + ":8083");
        // The broker does not auto-create topics (as on MSK): Connect created the topic with the broker's defaults.
        assertThat(rest.get("/connectors/compat-orders/config").body().path("topic.creation.default.partitions").asText())
                .isEqualTo("-1");
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), "compat.public.orders")) {
            try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
                 Statement s = db.createStatement()) {
                s.execute("INSERT INTO public.orders VALUES (2, 'teapot')");
            }
            List<TopicReader.Event> events = reader.awaitCount(2, CdcScenario.EVENT_TIMEOUT);
            assertThat(events).extracting(e -> e.after().path("item").asText()).containsExactly("kettle", "teapot");
            // CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE=false reached the worker: plain JSON, no schema envelope
            assertThat(events.get(1).value().has("schema")).isFalse();
        }

        // SIGTERM to PID 1 reaches the child: Connect stops its tasks and commits offsets before the container exits.
        DockerClient docker = DockerClientFactory.instance().client();
        long started = System.nanoTime();
        docker.stopContainerCmd(worker.getContainerId()).withTimeout(60).exec();
        long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("docker stop of the relaunched worker took %d ms%n", stoppedMs);
        String logs = LogUtils.getOutput(docker, worker.getContainerId(), OutputFrame.OutputType.STDOUT,
                OutputFrame.OutputType.STDERR);
        assertThat(logs).contains("Kafka Connect stopped");
        assertThat(stoppedMs).as("stopped gracefully, not killed after the timeout").isLessThan(55_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing bootstrap servers  | GROUP_ID=g                                            | bootstrap.servers is not set: set BOOTSTRAP_SERVERS
            unknown auth mode          | CONNECT_AWS_KAFKA_AUTH=sasl                           | CONNECT_AWS_KAFKA_AUTH=sasl is not a Kafka auth mode
            mistyped image variable    | CONNECT_AWS_KAFKA_AUHT=iam                            | did you mean CONNECT_AWS_KAFKA_AUTH?
            contradicting short form   | GROUP_ID=orders,CONNECT_GROUP_ID=payments             | GROUP_ID=orders and CONNECT_GROUP_ID=payments both set group.id
            IAM without a region       | CONNECT_AWS_KAFKA_AUTH=iam                            | set AWS_REGION
            literal SCRAM password     | CONNECT_AWS_KAFKA_AUTH=scram,CONNECT_AWS_KAFKA_SCRAM_USERNAME=u,CONNECT_AWS_KAFKA_SCRAM_PASSWORD=hunter2 | must be a config provider reference
            auth mode contradicted     | CONNECT_AWS_KAFKA_AUTH=tls,CONNECT_SECURITY_PROTOCOL=PLAINTEXT | sets security.protocol, and CONNECT_SECURITY_PROTOCOL sets it differently
            heap option with a quote   | HEAP_OPTS=-Xmx1g -Dx="y"                              | HEAP_OPTS contains quotes
            JVM options as a property  | CONNECT_JVM_OPTS=-Xmx1g                               | CONNECT_JVM_OPTS is not read: CONNECT_* variables set worker properties, and JVM options go in KAFKA_HEAP_OPTS
            unshipped Debezium add-on  | ENABLE_OTEL=true                                      | which this image does not ship
            Apicurio v3 registry URL   | APICURIO_REGISTRY=http://apicurio:8080/apis/registry/v3 | names the registry's v3 API, but this image's Apicurio converter (2.6.13) speaks v2: use http://apicurio:8080/apis/registry/v2
            dotted Apicurio setting    | CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO_REGISTER=true | so write CONNECT_VALUE_CONVERTER_APICURIO_REGISTRY_AUTO___REGISTER
            unknown CloudWatch sink    | CONNECT_CLOUDWATCH_SINK=stdout                        | Invalid value stdout for configuration cloudwatch.sink: use emf, api or off
            missing metrics rules      | CONNECT_CLOUDWATCH_SINK=emf,CONNECT_METRICS_RULES_FILE=/opt/connect/config/rules.yml | metrics rules file /opt/connect/config/rules.yml cannot be read (NoSuchFileException)
            rules that are not rules   | CONNECT_AWS_PROMETHEUS_PORT=9404,CONNECT_METRICS_RULES_FILE=/opt/connect/config/log4j2.properties | metrics rules file /opt/connect/config/log4j2.properties
            bad Prometheus port        | CONNECT_AWS_PROMETHEUS_PORT=http                      | CONNECT_AWS_PROMETHEUS_PORT is 'http'; set a TCP port
            """)
    void aBadVariableStopsTheContainerWithOneLineNamingIt(String what, String variables, String expected) throws Exception {
        Map<String, String> env = new HashMap<>();
        if (!variables.contains("GROUP_ID=g")) {
            env.put("BOOTSTRAP_SERVERS", "kafka:9092");
        }
        for (String pair : variables.split(",")) {
            String[] kv = pair.split("=", 2);
            env.put(kv[0], kv[1]);
        }
        Exited run = runToExit(env, false);
        assertThat(run.exit()).as(what).isEqualTo(1);
        assertThat(run.stderr().lines().toList()).as("exactly one line on stderr").singleElement().asString()
                .startsWith("connect-aws: cannot start: ").contains(expected).doesNotContain("hunter2");
        assertThat(run.stdout()).as("nothing else printed").isEmpty();
    }

    /** A container that ran to its end: exit code, stdout and stderr. */
    record Exited(int exit, String stdout, String stderr) {
        String lastStderrLine() {
            List<String> lines = stderr.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /**
         * The last line the container wrote once its log had begun: the launcher writes a start failure on stdout, the
         * log's own stream, since Docker reads stdout and stderr through two pipes and may show lines written
         * milliseconds apart in either order.
         */
        String lastLineWritten() {
            List<String> out = stdout.lines().toList();
            return out.isEmpty() ? "(nothing on stdout)" : out.get(out.size() - 1);
        }
    }

    /**
     * Runs the image with {@code env} and {@code command} until it exits (on the stack's network, so kafka:19092
     * resolves, when {@code onNetwork}), and removes it.
     */
    static Exited runToExit(Map<String, String> env, boolean onNetwork, String... command) throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        var create = docker.createContainerCmd(Images.connect().asCanonicalNameString())
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withCmd(command);
        if (onNetwork) {
            create.withHostConfig(HostConfig.newHostConfig().withNetworkMode(Stack.network().getId()));
        }
        String id = create.exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(120, TimeUnit.SECONDS);
            Map<StreamType, StringBuilder> streams = new HashMap<>(Map.of(StreamType.STDOUT, new StringBuilder(),
                    StreamType.STDERR, new StringBuilder()));
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            streams.get(frame.getStreamType()).append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(60, TimeUnit.SECONDS);
            return new Exited(exit, streams.get(StreamType.STDOUT).toString(), streams.get(StreamType.STDERR).toString());
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() throws Exception {
        Exited run = runToExit(Map.of(), false, "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).startsWith("connect-aws: a Kafka Connect worker").contains("Usage: docker run")
                .contains("start").contains("docs/launcher.md");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void anArgumentThatIsNeitherStartNorAProfileStopsWithOneLine() throws Exception {
        Exited run = runToExit(Map.of("BOOTSTRAP_SERVERS", "kafka:9092"), false, "bogus");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr().lines().toList()).singleElement().asString()
                .startsWith("connect-aws: cannot start: argument 'bogus'").contains("takes no arguments");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aReplicationFactorTheClusterCannotMeetStopsTheStartWithOneLastLine() throws Exception {
        Stack.kafka();
        // Fresh topics (named after the group id) and the factor of an MSK task definition, on the one test broker.
        String group = "rf3-" + Long.toHexString(System.nanoTime());
        Map<String, String> env = new HashMap<>(Map.of("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL, "GROUP_ID", group));
        for (String store : List.of("CONFIG", "OFFSET", "STATUS")) {
            env.put("CONNECT_" + store + "_STORAGE_REPLICATION_FACTOR", "3");
        }
        long started = System.nanoTime();
        Exited run = runToExit(env, true);
        System.out.printf("replication factor 3 on one broker refused after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lastLineWritten()).startsWith("connect-aws: cannot start: ")
                .contains("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR=3 for topic " + group + "-configs")
                .contains("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR=3 for topic " + group + "-offsets")
                .contains("CONNECT_STATUS_STORAGE_REPLICATION_FACTOR=3 for topic " + group + "-status")
                .contains("has 1 broker");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Stack.kafka().getBootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("Connect never started")
                    .noneMatch(t -> t.startsWith(group));
        }
    }

    @Test
    void aBadHealthSettingStopsTheStartAfterKafkaIsReachedWithOneLastLine() throws Exception {
        Stack.kafka();
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("bad-health"));
        env.put("CONNECT_HEALTH_READINESS_STATES", "PAUSED");
        Exited run = runToExit(env, true);
        assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
        assertThat(run.lastLineWritten()).startsWith("connect-aws: cannot start: Invalid value PAUSED for configuration "
                + "health.readiness.states: ").endsWith("Set by CONNECT_HEALTH_READINESS_STATES");
    }

    @Test
    void withJsonLogsTheStopLineIsOneJsonObjectBeforeAndAfterTheLogBegins() throws Exception {
        Stack.kafka();
        // before the log begins: a bad variable, the one line on stderr
        Exited early = runToExit(Map.of("BOOTSTRAP_SERVERS", "kafka:9092", "CONNECT_AWS_LOG_FORMAT", "json",
                "CONNECT_AWS_PROMETHEUS_PORT", "http"), false);
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.stderr().lines().toList()).singleElement().satisfies(line ->
                assertThat(ConnectRest.JSON.readTree(line).path("message").asText())
                        .startsWith("connect-aws: cannot start: CONNECT_AWS_PROMETHEUS_PORT is 'http'"));
        // after: a bad health setting, refused once Kafka is reached, as the last line of a JSON log
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("bad-health-json"));
        env.put("CONNECT_AWS_LOG_FORMAT", "json");
        env.put("CONNECT_HEALTH_READINESS_STATES", "PAUSED");
        Exited run = runToExit(env, true);
        assertThat(run.exit()).isEqualTo(1);
        for (String line : (run.stdout() + run.stderr()).lines().filter(l -> !l.isBlank()).toList()) {
            assertThat(ConnectRest.JSON.readTree(line).isObject()).as("one JSON object: %s", line).isTrue();
        }
        JsonNode last = ConnectRest.JSON.readTree(run.lastLineWritten());
        assertThat(last.path("level").asText()).isEqualTo("ERROR");
        assertThat(last.path("message").asText()).startsWith("connect-aws: cannot start: Invalid value PAUSED for "
                + "configuration health.readiness.states: ").endsWith("Set by CONNECT_HEALTH_READINESS_STATES");
    }

    @Test
    void whatStopsConnectsHerderEndsWithOneLastLineToo() throws Exception {
        Stack.kafka();
        // Connect refuses a config topic of more than one partition in its herder thread, which exits on its own
        String group = "two-partitions-" + Long.toHexString(System.nanoTime());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Stack.kafka().getBootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(group + "-configs", 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        // (Connect's REST server then waits up to 60 s for requests the dead herder never answers before it stops)
        Exited run = runToExit(Map.of("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL, "GROUP_ID", group), true);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lastLineWritten()).matches("connect-aws: (stopped|cannot start): .*")
                .contains("Topic '" + group + "-configs' supplied via the 'config.storage.topic' property is required to "
                        + "have a single partition");
    }
}
