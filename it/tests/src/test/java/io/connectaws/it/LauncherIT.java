package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import com.github.dockerjava.api.command.WaitContainerResultCallback;

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

    /** The environment of the first container of a task definition in src/test/resources/task-definitions. */
    static Map<String, String> taskDefinitionEnvironment(String file) throws Exception {
        try (InputStream in = LauncherIT.class.getResourceAsStream("/task-definitions/" + file)) {
            JsonNode container = ConnectRest.JSON.readTree(in).path("containerDefinitions").get(0);
            Map<String, String> env = new HashMap<>();
            container.path("environment").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
            return env;
        }
    }

    @Test
    void aTaskDefinitionWrittenForDebeziumConnectRunsWithOnlyTheImageChanged() throws Exception {
        Map<String, String> env = taskDefinitionEnvironment("debezium-connect.json");
        // The cluster differs, not the task definition: one test broker instead of MSK's three.
        env.put("BOOTSTRAP_SERVERS", Stack.KAFKA_INTERNAL);
        for (String store : List.of("CONFIG", "OFFSET", "STATUS")) {
            env.put("CONNECT_" + store + "_STORAGE_REPLICATION_FACTOR", "1");
        }
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        worker = new ConnectWorker("dbz-compat", env);
        Startables.deepStart(postgres, worker).join();

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
            unshipped Debezium add-on  | ENABLE_APICURIO_CONVERTERS=true                       | which this image does not ship
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
        DockerClient docker = DockerClientFactory.instance().client();
        String id = docker.createContainerCmd(Images.connect().asCanonicalNameString())
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS);
            String stderr = LogUtils.getOutput(docker, id, OutputFrame.OutputType.STDERR);
            String stdout = LogUtils.getOutput(docker, id, OutputFrame.OutputType.STDOUT);
            assertThat(exit).as(what).isEqualTo(1);
            assertThat(stderr.lines().toList()).as("exactly one line on stderr").singleElement().asString()
                    .startsWith("connect-aws: cannot start: ").contains(expected).doesNotContain("hunter2");
            assertThat(stdout).as("nothing else printed").isEmpty();
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
