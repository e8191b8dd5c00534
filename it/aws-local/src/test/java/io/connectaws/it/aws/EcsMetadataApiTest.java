package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EcsMetadataApiTest {
    private static final String TASK_ID = "5261e761e0e2a3d92da3f02c8e5bab1f";
    private static final String CONTAINER_ID = TASK_ID + "-3356750833";
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "eu-west-1");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        // 127.0.0.1 rather than localhost, so the caller's address is the IPv4 loopback
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aws.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return LocalAws.JSON.readTree(response.body());
    }

    @Test
    void containerDocumentCarriesTheCallersAddress() throws Exception {
        JsonNode c = json(get("/v4/" + CONTAINER_ID));
        assertThat(c.path("DockerId").asText()).isEqualTo(CONTAINER_ID);
        assertThat(c.path("Name").asText()).isEqualTo("connect");
        assertThat(c.path("Labels").path("com.amazonaws.ecs.task-arn").asText())
            .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task/connect-aws/" + TASK_ID);
        assertThat(c.path("Limits").path("CPU").asInt()).isZero();
        assertThat(c.path("Limits").has("Memory")).isFalse();
        JsonNode network = c.path("Networks").path(0);
        assertThat(network.path("NetworkMode").asText()).isEqualTo("awsvpc");
        assertThat(network.path("IPv4Addresses").path(0).asText()).isEqualTo("127.0.0.1");
        assertThat(network.path("IPv4SubnetCIDRBlock").asText()).isEqualTo("127.0.0.0/24");
        assertThat(network.path("SubnetGatewayIpv4Address").asText()).isEqualTo("127.0.0.1/24");
        assertThat(network.path("PrivateDNSName").asText()).isEqualTo("ip-127-0-0-1.eu-west-1.compute.internal");
        assertThat(network.path("MACAddress").asText()).isEqualTo("0a:00:7f:00:00:01");
        assertThat(c.path("ContainerARN").asText())
            .startsWith("arn:aws:ecs:eu-west-1:123456789012:container/connect-aws/" + TASK_ID + "/");
    }

    @Test
    void taskDocumentIsFargates() throws Exception {
        JsonNode t = json(get("/v4/" + CONTAINER_ID + "/task"));
        assertThat(t.path("Cluster").asText()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:cluster/connect-aws");
        assertThat(t.path("TaskARN").asText())
            .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task/connect-aws/" + TASK_ID);
        assertThat(t.path("Family").asText()).isEqualTo("connect-aws-worker");
        assertThat(t.path("Revision").asText()).isEqualTo("1");
        assertThat(t.path("Limits").path("CPU").isIntegralNumber()).isTrue();
        assertThat(t.path("Limits").path("CPU").asInt()).isEqualTo(1);
        assertThat(t.path("Limits").path("Memory").asLong()).isEqualTo(2048);
        assertThat(t.path("AvailabilityZone").asText()).isEqualTo("eu-west-1a");
        assertThat(t.path("LaunchType").asText()).isEqualTo("FARGATE");
        assertThat(t.path("Containers")).hasSize(1);
        assertThat(t.path("Containers").path(0).path("Networks").path(0).path("IPv4Addresses").path(0).asText())
            .isEqualTo("127.0.0.1");
        assertThat(t.path("ClockDrift").path("ClockSynchronizationStatus").asText()).isEqualTo("SYNCHRONIZED");
    }

    @Test
    void aContainerIdWithoutFargatesFormIsTheTaskId() throws Exception {
        JsonNode t = json(get("/v4/worker-1/task"));
        assertThat(t.path("TaskARN").asText()).endsWith(":task/connect-aws/worker-1");
        assertThat(json(get("/v4/worker-1/")).path("DockerId").asText()).isEqualTo("worker-1");
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/v4/" + CONTAINER_ID + "/stats").statusCode()).isEqualTo(404);
        assertThat(get("/v4/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aws.port()
            + "/v4/" + CONTAINER_ID)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void theEnvironmentShapesTheTask() throws Exception {
        EcsMetadataApi api = new EcsMetadataApi("us-east-1", Map.of(
            "LOCAL_AWS_AVAILABILITY_ZONE", "us-east-1d",
            "LOCAL_AWS_ECS_CLUSTER", "prod",
            "LOCAL_AWS_ECS_FAMILY", "connect",
            "LOCAL_AWS_ECS_REVISION", "7",
            "LOCAL_AWS_ECS_TASK_CPU", "0.25",
            "LOCAL_AWS_ECS_TASK_MEMORY_MIB", "512",
            "LOCAL_AWS_ECS_CONTAINER_MEMORY_MIB", "384"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        InetSocketAddress caller = new InetSocketAddress(InetAddress.getByName("172.18.0.5"), 40000);

        JsonNode t = LocalAws.JSON.readTree(api.handle("GET", "/v4/abc/task", caller).body());
        assertThat(t.path("Cluster").asText()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/prod");
        assertThat(t.path("Family").asText()).isEqualTo("connect");
        assertThat(t.path("Revision").asText()).isEqualTo("7");
        assertThat(t.path("Limits").toString()).isEqualTo("{\"CPU\":0.25,\"Memory\":512}");
        assertThat(t.path("AvailabilityZone").asText()).isEqualTo("us-east-1d");
        JsonNode c = t.path("Containers").path(0);
        assertThat(c.path("Limits").toString()).isEqualTo("{\"CPU\":0,\"Memory\":384}");
        assertThat(c.path("CreatedAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        JsonNode network = c.path("Networks").path(0);
        assertThat(network.path("IPv4Addresses").path(0).asText()).isEqualTo("172.18.0.5");
        assertThat(network.path("PrivateDNSName").asText()).isEqualTo("ip-172-18-0-5.ec2.internal");
        assertThat(network.path("DomainNameSearchList").path(0).asText()).isEqualTo("ec2.internal");

        JsonNode v6 = LocalAws.JSON.readTree(api.handle("GET", "/v4/abc",
            new InetSocketAddress(InetAddress.getByName("fd00::5"), 40000)).body());
        assertThat(v6.path("Networks").path(0).has("IPv4Addresses")).isFalse();
        assertThat(v6.path("Networks").path(0).path("IPv6Addresses").path(0).asText()).isEqualTo("fd00:0:0:0:0:0:0:5");
    }
}
