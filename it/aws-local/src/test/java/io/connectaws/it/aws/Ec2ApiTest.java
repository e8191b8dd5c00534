package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * EC2 DescribeAvailabilityZones over the Query protocol. The launcher's AvailabilityZoneIdsTest drives it with its
 * own client; here the raw HTTP exchange, signed with the SDK's signer, and the zone ID scheme.
 */
class Ec2ApiTest {
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

    private HttpResponse<String> post(String form, boolean sign) throws Exception {
        URI uri = aws.endpoint().resolve("/");
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        if (sign) {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                    .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build())
                .payload(() -> new ByteArrayInputStream(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "ec2"));
            signed.request().forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Type")) {
                    values.forEach(v -> request.header(name, v));
                }
            });
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void describesTheRegionsZonesInEc2sXml() throws Exception {
        HttpResponse<String> all = post("Action=DescribeAvailabilityZones&Version=2016-11-15", true);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body())
            .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeAvailabilityZonesResponse "
                + "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
            .contains("<zoneName>eu-west-1a</zoneName>", "<zoneId>euw1-az3</zoneId>",
                "<zoneName>eu-west-1b</zoneName>", "<zoneId>euw1-az1</zoneId>",
                "<zoneName>eu-west-1c</zoneName>", "<zoneId>euw1-az2</zoneId>",
                "<zoneState>available</zoneState>", "<regionName>eu-west-1</regionName>",
                "<zoneType>availability-zone</zoneType>")
            .doesNotContain("eu-west-1d");

        HttpResponse<String> one = post("Action=DescribeAvailabilityZones&ZoneName.1=eu-west-1b&Version=2016-11-15",
            true);
        assertThat(one.body()).contains("<zoneId>euw1-az1</zoneId>").doesNotContain("eu-west-1a", "eu-west-1c");

        HttpResponse<String> byId = post("Action=DescribeAvailabilityZones&Filter.1.Name=zone-id"
            + "&Filter.1.Value.1=euw1-az2&Version=2016-11-15", true);
        assertThat(byId.body()).contains("<zoneName>eu-west-1c</zoneName>").doesNotContain("eu-west-1a");

        assertThat(aws.requests()).hasSize(3).allSatisfy(r -> {
            assertThat(r.action()).isEqualTo("ec2.DescribeAvailabilityZones");
            assertThat(r.service()).isEqualTo("ec2");
            assertThat(r.signatureValid()).isTrue();
        });
    }

    @Test
    void errorsUseEc2sEnvelope() throws Exception {
        HttpResponse<String> unknown = post("Action=DescribeAvailabilityZones&ZoneName.1=eu-west-1a"
            + "&ZoneName.2=eu-west-1q&Version=2016-11-15", true);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>"
            + "Invalid availability zone: [eu-west-1q]</Message></Error></Errors><RequestID>");

        aws.denyAccess("ec2:DescribeAvailabilityZones");
        HttpResponse<String> denied = post("Action=DescribeAvailabilityZones&Version=2016-11-15", true);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("<Code>UnauthorizedOperation</Code>",
            "is not authorized to perform: ec2:DescribeAvailabilityZones");

        HttpResponse<String> unsigned = post("Action=DescribeAvailabilityZones&Version=2016-11-15", false);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Response><Errors><Error><Code>MissingAuthenticationToken</Code>");

        aws.allowAccess("ec2:DescribeAvailabilityZones");
        HttpResponse<String> other = post("Action=DescribeInstances&Version=2016-11-15", true);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.body()).contains("<Code>InvalidAction</Code>");
    }

    @Test
    void zoneIdsAreDeterministicAndNotInLetterOrder() {
        assertThat(Ec2Api.regionCode("eu-west-1")).isEqualTo("euw1");
        assertThat(Ec2Api.regionCode("us-east-1")).isEqualTo("use1");
        assertThat(Ec2Api.regionCode("ap-southeast-2")).isEqualTo("apse2");
        assertThat(Ec2Api.regionCode("ap-northeast-1")).isEqualTo("apne1");
        assertThat(Ec2Api.regionCode("eu-central-1")).isEqualTo("euc1");
        assertThat(Ec2Api.regionCode("us-gov-west-1")).isEqualTo("usgw1");
        assertThat(Ec2Api.zoneId("us-east-1", "us-east-1a")).isEqualTo("use1-az3");
        assertThat(Ec2Api.zoneId("us-east-1", "us-east-1b")).isEqualTo("use1-az1");
        assertThat(Ec2Api.zoneId("us-east-1", "us-east-1c")).isEqualTo("use1-az2");
        assertThat(Ec2Api.zoneId("us-east-1", "us-east-1d")).isEqualTo("use1-az4");
    }

    @Test
    void theEcsMetadatasZoneIsOneOfTheRegions() {
        Ec2Api api = new Ec2Api("us-east-1", "us-east-1e", name -> false);
        SigV4Verifier.Identity caller = new SigV4Verifier.Identity("AKIA", "s", null, null, LocalAws.BASE_ARN);
        assertThat(api.handle("DescribeAvailabilityZones", Map.of("ZoneName.1", "us-east-1e"), caller))
            .contains("<zoneId>use1-az5</zoneId>");
        assertThatThrownBy(() -> api.handle("DescribeAvailabilityZones", Map.of("ZoneName.1", "us-east-1d"), caller))
            .isInstanceOf(ApiException.class).hasMessage("Invalid availability zone: [us-east-1d]");
        assertThatThrownBy(() -> api.handle("DescribeAvailabilityZones", Map.of("ZoneId.1", "use1-az9"), caller))
            .isInstanceOf(ApiException.class).hasMessage("Invalid availability zone-id: [use1-az9]");
    }
}
