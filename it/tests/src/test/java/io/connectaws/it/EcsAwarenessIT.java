package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two workers as two Fargate tasks: task metadata v4 and the zone lookup served by it/aws-local (the metadata answers
 * each caller with its own address, as ECS answers each task with its ENI's). No advertised host is set anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsAwarenessIT {

    static final String TASK_A = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final String TASK_B = "1f2e3d4c5b6a79880796a5b4c3d2e1f0";

    static LocalAwsContainer aws;
    static PostgreSQLContainer postgres;
    static ConnectWorker a;
    static ConnectWorker b;

    @BeforeAll
    static void start() {
        Stack.kafka();
        aws = new LocalAwsContainer();
        postgres = PostgresCdcIT.newPostgres();
        a = fargateTask("ecs-a", TASK_A);
        b = fargateTask("ecs-b", TASK_B);
        Startables.deepStart(aws, postgres).join();
        Startables.deepStart(a, b).join();
    }

    private static ConnectWorker fargateTask(String alias, String taskId) {
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults("ecs"));
        env.putAll(LocalAwsContainer.workerEnvironment());
        env.put("ECS_CONTAINER_METADATA_URI_V4", LocalAwsContainer.ENDPOINT_ON_STACK + "/v4/" + taskId + "-1234567890");
        env.put("AWS_ENDPOINT_URL_EC2", LocalAwsContainer.ENDPOINT_ON_STACK);
        env.put("CONNECT_AWS_CLIENT_RACK", "az-id");
        env.put("CONNECT_AWS_LOG_FORMAT", "json");
        // Jersey logs through java.util.logging; at DEBUG (JUL's FINE) it writes lines at every start, which must reach
        // log4j's JSON layout like everyone else's
        env.put("CONNECT_LOG4J_LOGGERS", "org.glassfish.jersey.server.ApplicationHandler=DEBUG");
        // on ECS the CloudWatch sink defaults to EMF; a short interval so the test sees lines
        env.put("CONNECT_CLOUDWATCH_INTERVAL_SECONDS", "2");
        return new ConnectWorker(alias, env).alsoOn(aws.taskNetwork());
    }

    @AfterAll
    static void stop() {
        Stack.stop(a, b, postgres, aws);
    }

    private static String stackAddress(ConnectWorker worker) {
        return worker.getContainerInfo().getNetworkSettings().getNetworks().get(
                ((org.testcontainers.containers.Network.NetworkImpl) Stack.network()).getName()).getIpAddress();
    }

    @Test
    @Order(1)
    void eachTaskAdvertisesItsOwnAddressAndRequestsReachTheLeader() throws Exception {
        for (ConnectWorker worker : List.of(a, b)) {
            String logs = worker.getLogs();
            assertThat(logs).contains("rest.advertised.host.name=" + stackAddress(worker) + "   <- ECS task metadata (awsvpc)");
        }
        // Which task leads the group, from the assignment Connect logs; the other one must forward to it.
        Matcher leader = Pattern.compile("leaderUrl='http://([0-9.]+):8083/'").matcher(a.getLogs());
        assertThat(leader.find()).as("worker a logged its assignment").isTrue();
        String leaderAddress = leader.group(1);
        assertThat(leaderAddress).isIn(stackAddress(a), stackAddress(b));
        ConnectWorker follower = leaderAddress.equals(stackAddress(a)) ? b : a;

        try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = db.createStatement()) {
            s.execute("CREATE TABLE public.parcels (id INT PRIMARY KEY, dest TEXT)");
        }
        ConnectRest.Reply created = follower.rest().createConnector("ecs-parcels",
                PostgresCdcIT.postgresConnector("ecs_parcels", "ecs", "public.parcels"));
        assertThat(created.status()).as("created through the follower: %s", created.body()).isEqualTo(201);
        follower.rest().awaitRunning("ecs-parcels", Duration.ofSeconds(60));
        JsonNode status = a.rest().get("/connectors/ecs-parcels/status").body();
        assertThat(status.path("connector").path("worker_id").asText()).matches("(" + Pattern.quote(stackAddress(a)) + "|"
                + Pattern.quote(stackAddress(b)) + "):8083");
    }

    @Test
    @Order(2)
    void theTaskIdNamesTheClientsAndTheZoneIdIsTheRack() {
        // it/aws-local maps eu-west-1a to euw1-az3 through EC2 DescribeAvailabilityZones, signed with the task role
        assertThat(a.getLogs()).contains("client.id=ecs-" + TASK_A + "   <- ECS task id")
                .contains("client.rack=euw1-az3   <- CONNECT_AWS_CLIENT_RACK=az-id (eu-west-1a)")
                .contains("consumer.client.rack=euw1-az3");
    }

    @Test
    @Order(3)
    void jsonLogsCarryTheTaskIdAndTheConnectorOfEachLine() throws Exception {
        boolean taskLine = false;
        for (ConnectWorker worker : List.of(a, b)) {
            String taskId = worker == a ? TASK_A : TASK_B;
            List<String> lines = worker.getLogs(OutputFrame.OutputType.STDOUT).lines()
                    .filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSizeGreaterThan(20).noneMatch(l -> l.contains("cdc-secret"));
            int emf = 0;
            for (String line : lines) {
                JsonNode event = ConnectRest.JSON.readTree(line); // every line is one JSON object
                if (event.has("_aws")) { // EMF, the default CloudWatch sink on ECS: task and worker as properties
                    emf++;
                    assertThat(event.path("EcsTaskArn").asText()).as(line).startsWith("arn:aws:ecs:").endsWith("/" + taskId);
                    assertThat(event.path("WorkerId").asText()).as(line).isEqualTo(stackAddress(worker) + ":8083");
                    assertThat(event.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).doesNotContain("Worker", "Ecs");
                    continue;
                }
                assertThat(event.path("ecs").path("task_id").asText()).as(line).isEqualTo(taskId);
                assertThat(event.path("worker_id").asText()).as(line).isEqualTo(stackAddress(worker) + ":8083");
                taskLine |= event.path("connector").asText().equals("ecs-parcels") && event.path("task").asInt(-1) == 0;
            }
            assertThat(emf).as("EMF lines of the worker in task " + taskId).isPositive();
        }
        assertThat(taskLine).as("a line of task ecs-parcels-0 carries connector and task as fields").isTrue();
    }

    @Test
    @Order(4)
    void everyLineOnStdoutAndStderrIsOneJsonObjectEvenAStackTraceAndJerseysOwnLogging() throws Exception {
        try (Connection db = DriverManager.getConnection(postgres.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = db.createStatement()) {
            s.execute("CREATE TABLE public.crates (id INT PRIMARY KEY, label TEXT)");
            s.execute("INSERT INTO public.crates VALUES (1, 'first')");
        }
        // Cast cannot cast Debezium's envelope field "after" (a struct): the task fails on its first record
        Map<String, String> failing = new HashMap<>(PostgresCdcIT.postgresConnector("ecs_crates", "ecsfail", "public.crates"));
        failing.put("transforms", "cast");
        failing.put("transforms.cast.type", "org.apache.kafka.connect.transforms.Cast$Value");
        failing.put("transforms.cast.spec", "after:string");
        assertThat(a.rest().createConnector("ecs-crates", failing).status()).isEqualTo(201);
        String status = a.rest().awaitFailed("ecs-crates", Duration.ofSeconds(90), "a task failing in its transform");
        assertThat(status).contains("DataException");

        boolean stackTraceLine = false;
        boolean julLine = false;
        for (ConnectWorker worker : List.of(a, b)) {
            for (OutputFrame.OutputType stream : List.of(OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR)) {
                for (String line : worker.getLogs(stream).lines().filter(l -> !l.isBlank()).toList()) {
                    JsonNode event;
                    try {
                        event = ConnectRest.JSON.readTree(line);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(stream + " line of worker " + (worker == a ? "a" : "b")
                                + " is not JSON: " + line, e);
                    }
                    assertThat(event.isObject()).as(stream + " line is one JSON object: " + line).isTrue();
                    assertThat(line).doesNotContain("cdc-secret");
                    String trace = event.path("error").path("stack_trace").asText();
                    stackTraceLine |= trace.contains("DataException") && trace.contains("\n\tat ")
                            && event.path("connector").asText().equals("ecs-crates");
                    julLine |= event.path("logger").asText().startsWith("org.glassfish.jersey.");
                    assertThat(event.path("message").asText()).as(line)
                            .doesNotContain("does not implement any provider interfaces");
                }
            }
        }
        assertThat(stackTraceLine).as("the task's failure is one JSON line with its whole stack trace").isTrue();
        assertThat(julLine).as("Jersey's java.util.logging records arrive as JSON lines through log4j").isTrue();
    }
}
