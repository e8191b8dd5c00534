package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.it.aws.LocalAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** AvailabilityZoneIds with the SDK's real signer against an in-process LocalAws, which verifies every signature. */
class AvailabilityZoneIdsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "eu-west-1");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private AvailabilityZoneIds ids(AwsCredentialsProvider credentials) {
        return new AvailabilityZoneIds(aws.endpoint(), "eu-west-1", credentials, TIMEOUT);
    }

    private static AwsCredentialsProvider base() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
    }

    @Test
    void zoneNamesMapToTheirIds() {
        assertThat(ids(base()).zoneId("eu-west-1a")).isEqualTo("euw1-az3");
        assertThat(ids(base()).zoneId("eu-west-1b")).isEqualTo("euw1-az1");
        assertThat(ids(base()).zoneId("eu-west-1c")).isEqualTo("euw1-az2");
        assertThat(aws.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.action()).isEqualTo("ec2.DescribeAvailabilityZones");
            assertThat(r.service()).isEqualTo("ec2");
            assertThat(r.region()).isEqualTo("eu-west-1");
            assertThat(r.signatureValid()).isTrue();
        });
    }

    @Test
    void temporaryCredentialsSignTheirSessionToken() throws Exception {
        // the task role's credentials, as the ECS container credentials endpoint hands them out
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                aws.endpoint().resolve(aws.containerCredentialsPath())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(response.body());
        AwsCredentialsProvider role = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                json.get("AccessKeyId").asText(), json.get("SecretAccessKey").asText(), json.get("Token").asText()));

        assertThat(ids(role).zoneId("eu-west-1b")).isEqualTo("euw1-az1");
        assertThat(aws.requests()).singleElement().satisfies(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.sessionToken()).isEqualTo(json.get("Token").asText());
        });
    }

    @Test
    void anUnknownZoneIsEc2sInvalidParameterValue() {
        assertThatThrownBy(() -> ids(base()).zoneId("eu-west-1z"))
                .isInstanceOf(LauncherException.class)
                .hasMessage("cannot look up the Availability Zone ID of eu-west-1z in eu-west-1: EC2 "
                        + "DescribeAvailabilityZones at " + aws.endpoint() + " answered InvalidParameterValue: Invalid "
                        + "availability zone: [eu-west-1z] (HTTP 400); the task role needs ec2:DescribeAvailabilityZones");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void aDeniedRoleGetsTheCodeMessageAndPermission() {
        aws.denyAccess(AvailabilityZoneIds.PERMISSION);
        assertThatThrownBy(() -> ids(base()).zoneId("eu-west-1a"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("answered UnauthorizedOperation: You are not authorized to perform this "
                        + "operation. User: arn:aws:iam::123456789012:user/local-test is not authorized to perform: "
                        + "ec2:DescribeAvailabilityZones")
                .hasMessageContaining("(HTTP 403)")
                .hasMessageEndingWith("; the task role needs ec2:DescribeAvailabilityZones");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void badCredentialsAreNamedWithoutPrintingThem() {
        String wrongSecret = "wrong/secret/key/that/must/not/be/printed00";
        assertThatThrownBy(() -> ids(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, wrongSecret))).zoneId("eu-west-1a"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("answered SignatureDoesNotMatch")
                .hasMessageNotContaining(wrongSecret);
        assertThatThrownBy(() -> ids(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAUNKNOWNKEY000000", wrongSecret))).zoneId("eu-west-1a"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("answered AuthFailure: AWS was not able to validate the provided access "
                        + "credentials (HTTP 401)")
                .hasMessageNotContaining(wrongSecret);
    }

    @Test
    void throttlingIsRetried() {
        aws.throttleNext(1);
        assertThat(ids(base()).zoneId("eu-west-1c")).isEqualTo("euw1-az2");
        assertThat(aws.count("ec2.DescribeAvailabilityZones")).isEqualTo(2);
    }

    @Test
    void lookupTakesEndpointFromTheEnvironmentAndCredentialsFromTheDefaultChain() {
        // the default chain's first provider reads these system properties
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_ACCESS_KEY);
        try {
            assertThat(AvailabilityZoneIds.lookup("eu-west-1a", null, Map.of("AWS_REGION", "eu-west-1",
                    "AWS_ENDPOINT_URL_EC2", aws.endpoint().toString(),
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:1"), TIMEOUT)).isEqualTo("euw1-az3");
            assertThat(AvailabilityZoneIds.lookup("eu-west-1b", "eu-west-1", Map.of(
                    "AWS_ENDPOINT_URL", aws.endpoint() + "/"), TIMEOUT)).isEqualTo("euw1-az1");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void aRegionIsRequired() {
        assertThatThrownBy(() -> AvailabilityZoneIds.lookup("eu-west-1a", null, Map.of(), TIMEOUT))
                .isInstanceOf(LauncherException.class)
                .hasMessage("no AWS region to look up the Availability Zone ID in (ec2:DescribeAvailabilityZones): "
                        + "set AWS_REGION");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void theDefaultEndpointIsThePartitions() {
        assertThat(AvailabilityZoneIds.endpoint("eu-west-1", Map.of()))
                .isEqualTo(URI.create("https://ec2.eu-west-1.amazonaws.com/"));
        assertThat(AvailabilityZoneIds.endpoint("cn-north-1", Map.of()))
                .isEqualTo(URI.create("https://ec2.cn-north-1.amazonaws.com.cn/"));
        assertThat(AvailabilityZoneIds.endpoint("eu-west-1", Map.of("AWS_ENDPOINT_URL", "http://localstack:4566",
                "AWS_ENDPOINT_URL_EC2", " ")))
                .isEqualTo(URI.create("http://localstack:4566"));
        assertThatThrownBy(() -> AvailabilityZoneIds.endpoint("eu-west-1", Map.of("AWS_ENDPOINT_URL_EC2", "ec2")))
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("AWS_ENDPOINT_URL_EC2 is not a URL: 'ec2'");
    }

    @Test
    void anUnreachableEndpointIsBoundedByTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> new AvailabilityZoneIds(URI.create("http://127.0.0.1:" + closedPort), "eu-west-1",
                base(), Duration.ofMillis(500)).zoneId("eu-west-1a"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("gave no usable answer within 500 ms (last: ConnectException")
                .hasMessageEndingWith("the task role needs ec2:DescribeAvailabilityZones");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }
}
