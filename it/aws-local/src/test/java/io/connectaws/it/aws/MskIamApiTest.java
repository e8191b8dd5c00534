package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.msk.auth.iam.internals.AWS4SignedPayloadGenerator;
import software.amazon.msk.auth.iam.internals.AuthenticationRequestParams;
import software.amazon.msk.auth.iam.internals.region.ConfigurableRegionProvider;

/**
 * {@link MskIamApi} against payloads made by the real aws-msk-iam-auth client's generator
 * ({@link AWS4SignedPayloadGenerator}, what IAMSaslClient sends as its first SASL message). The SASL exchange itself
 * is tested in it/msk-iam-broker.
 */
class MskIamApiTest {
    private static final String REGION = "eu-west-1";
    private static final AwsCredentials BASE =
        AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** The client's payload for a broker at {@code host}, signed now for {@code region}. */
    static String clientPayload(String host, AwsCredentials credentials, String region) throws Exception {
        ConfigurableRegionProvider fixed = new ConfigurableRegionProvider() {
            @Override
            public Region getRegion(String ignored) {
                return Region.of(region);
            }

            @Override
            public Region getRegion() {
                return Region.of(region);
            }
        };
        AuthenticationRequestParams params = AuthenticationRequestParams.create(host, credentials, "test", fixed);
        return new String(new AWS4SignedPayloadGenerator().signedPayload(params), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(aws.endpoint() + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> authenticate(String payload, String serverName) throws Exception {
        ObjectNode request = LocalAws.JSON.createObjectNode().put("payload", payload).put("serverName", serverName);
        return send("POST", MskIamApi.AUTHENTICATE_PATH, request.toString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return LocalAws.JSON.readTree(response.body());
    }

    /** An api whose clock is {@code offset} away from the signing time, with the base identity registered. */
    private static MskIamApi apiAt(Duration offset) {
        Clock clock = Clock.offset(Clock.systemUTC(), offset);
        SigV4Verifier verifier = new SigV4Verifier(REGION, clock);
        verifier.register(new SigV4Verifier.Identity(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null, null,
            LocalAws.BASE_ARN));
        return new MskIamApi(REGION, verifier, clock, false);
    }

    @Test
    void validPayloadIsAcceptedAndRecordedOverHttp() throws Exception {
        HttpResponse<String> ok = authenticate(clientPayload("msk", BASE, REGION), "msk");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("principal").asText()).isEqualTo("arn:aws:iam::123456789012:user/local-test");

        HttpResponse<String> listed = send("GET", MskIamApi.AUTHENTICATIONS_PATH, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode records = json(listed);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("accepted").asBoolean()).isTrue();
        assertThat(records.get(0).get("accessKeyId").asText()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        assertThat(records.get(0).get("serverName").asText()).isEqualTo("msk");
        assertThat(aws.mskIam().authentications()).singleElement()
            .satisfies(a -> assertThat(a.principal()).isEqualTo(LocalAws.BASE_ARN));

        assertThat(send("DELETE", MskIamApi.AUTHENTICATIONS_PATH, null).statusCode()).isEqualTo(200);
        assertThat(aws.mskIam().authentications()).isEmpty();
    }

    @Test
    void wrongSecretKeyIsRejected() throws Exception {
        String payload = clientPayload("msk", AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID,
            LocalAws.SECRET_ACCESS_KEY.replace('0', '1')), REGION);
        HttpResponse<String> denied = authenticate(payload, "msk");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).get("reason").asText())
            .startsWith("The request signature we calculated does not match")
            .doesNotContain(LocalAws.SECRET_ACCESS_KEY);
        assertThat(aws.mskIam().authentications()).singleElement().satisfies(a -> {
            assertThat(a.accepted()).isFalse();
            assertThat(a.principal()).isNull();
            assertThat(a.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        });
    }

    @Test
    void signedHostMustBeTheBrokersAndCannotBeEditedAfterSigning() throws Exception {
        String forOther = clientPayload("other-broker", BASE, REGION);
        assertThat(json(authenticate(forOther, "msk")).get("reason").asText())
            .isEqualTo("Signed host 'other-broker' is not the broker's host name 'msk'");

        ObjectNode edited = (ObjectNode) LocalAws.JSON.readTree(forOther);
        edited.put("host", "msk");
        HttpResponse<String> forged = authenticate(edited.toString(), "msk");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json(forged).get("reason").asText()).startsWith("The request signature we calculated");
    }

    @Test
    void otherRegionIsRejected() throws Exception {
        HttpResponse<String> denied = authenticate(clientPayload("msk", BASE, "us-east-1"), "msk");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).get("reason").asText())
            .isEqualTo("Credential should be scoped to the cluster's region 'eu-west-1', not 'us-east-1'");
    }

    @Test
    void payloadIsValidForFifteenMinutesOnly() throws Exception {
        String payload = clientPayload("msk", BASE, REGION);
        assertThat(apiAt(Duration.ofMinutes(14)).authenticate(payload, "msk").accepted()).isTrue();
        MskIamApi.Authentication late = apiAt(Duration.ofMinutes(15).plusSeconds(2)).authenticate(payload, "msk");
        assertThat(late.accepted()).isFalse();
        assertThat(late.reason()).startsWith("Signature expired: signed at ").contains(" for 900 s");
        MskIamApi.Authentication early = apiAt(Duration.ofMinutes(-16)).authenticate(payload, "msk");
        assertThat(early.reason()).startsWith("Signature not yet current");
    }

    @Test
    void expiredTemporaryCredentialsAreRejected() throws Exception {
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        SigV4Verifier verifier = new SigV4Verifier(REGION, clock);
        SigV4Verifier.Identity issued = ContainerCredentials.issue(verifier, clock,
            "arn:aws:sts::123456789012:assumed-role/r/s", Duration.ofSeconds(1));
        String payload = clientPayload("msk", software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
            issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken()), REGION);
        Clock later = Clock.offset(clock, Duration.ofSeconds(5));
        MskIamApi.Authentication result = new MskIamApi(REGION, verifier, later, false).authenticate(payload, "msk");
        assertThat(result.reason()).isEqualTo("The security token included in the request is expired");
    }

    @Test
    void unknownKeyAndEditedActionAreRejected() throws Exception {
        String unknown = clientPayload("msk", AwsBasicCredentials.create("AKIAUNKNOWN000000000", "x"), REGION);
        assertThat(json(authenticate(unknown, "msk")).get("reason").asText())
            .startsWith("The security token included in the request is invalid");

        ObjectNode edited = (ObjectNode) LocalAws.JSON.readTree(clientPayload("msk", BASE, REGION));
        edited.put("action", "kafka-cluster:AlterCluster");
        assertThat(json(authenticate(edited.toString(), "msk")).get("reason").asText())
            .isEqualTo("Action 'kafka-cluster:AlterCluster' is not kafka-cluster:Connect");

        HttpResponse<String> malformed = send("POST", MskIamApi.AUTHENTICATE_PATH, "{\"payload\": 1}");
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    @Test
    void denySwitchRefusesMatchingPrincipalsUntilCleared() throws Exception {
        HttpResponse<String> set = send("POST", MskIamApi.DENY_PATH, "{\"principalPattern\": \".*:user/local-.*\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(json(set).get("principalPattern").asText()).isEqualTo(".*:user/local-.*");

        HttpResponse<String> denied = authenticate(clientPayload("msk", BASE, REGION), "msk");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).get("reason").asText()).isEqualTo("User: " + LocalAws.BASE_ARN
            + " is not authorized to perform: kafka-cluster:Connect on resource: "
            + "arn:aws:kafka:eu-west-1:123456789012:cluster/local/*");
        assertThat(aws.mskIam().authentications()).singleElement()
            .satisfies(a -> assertThat(a.principal()).isEqualTo(LocalAws.BASE_ARN));

        assertThat(send("DELETE", MskIamApi.DENY_PATH, null).statusCode()).isEqualTo(200);
        assertThat(authenticate(clientPayload("msk", BASE, REGION), "msk").statusCode()).isEqualTo(200);

        assertThat(send("POST", MskIamApi.DENY_PATH, "{\"principalPattern\": \"[\"}").statusCode()).isEqualTo(400);
    }
}
