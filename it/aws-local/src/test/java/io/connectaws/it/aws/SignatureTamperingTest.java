package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Requests signed by a real signer, then tampered with on the wire: each protocol's request is sent once as signed
 * (accepted) and then with its body, time, credential scope (date, region, service) or key changed (refused, with the
 * service's own status, error code and error shape). Two signing forms: botocore's (the SDK's legacy
 * {@link Aws4Signer}, which like botocore signs no {@code x-amz-content-sha256}) and the SDK for Java 2.x's
 * ({@link AwsV4HttpSigner}, which signs {@code x-amz-content-sha256}).
 */
class SignatureTamperingTest {
    private static final String REGION = "eu-west-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The refusal a protocol answers: JSON {@code __type}, or the XML envelope's {@code Code}. */
    enum Shape { AWS_JSON, STS_XML, EC2_XML, CLOUDWATCH_QUERY_XML, CLOUDWATCH_JSON }

    /** One unsigned request of a protocol; {@code target} is the X-Amz-Target header or null. */
    record Wire(String name, String service, String target, String contentType, String body, Shape shape,
                String okMarker) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A signed request as it goes on the wire (Host is set by the HTTP client from the URI, as signed). */
    record Signed(String pathAndQuery, Map<String, String> headers, String body) {
        Signed withBody(String newBody) {
            return new Signed(pathAndQuery, headers, newBody);
        }

        Signed withHeader(String name, UnaryOperator<String> change) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, change.apply(h.get(name)));
            return new Signed(pathAndQuery, h, body);
        }
    }

    record Answer(int status, String code, String message, String body) {
    }

    static Stream<Wire> wires() {
        return Stream.of(
            new Wire("Secrets Manager GetSecretValue (AWS JSON 1.1)", "secretsmanager",
                "secretsmanager.GetSecretValue", "application/x-amz-json-1.1", "{\"SecretId\":\"db/password\"}",
                Shape.AWS_JSON, "\"SecretString\":\"s3cret\""),
            new Wire("SSM GetParametersByPath (AWS JSON 1.1)", "ssm", "AmazonSSM.GetParametersByPath",
                "application/x-amz-json-1.1", "{\"Path\":\"/app\",\"Recursive\":true}", Shape.AWS_JSON,
                "\"Value\":\"v1\""),
            new Wire("STS GetCallerIdentity (Query)", "sts", null, "application/x-www-form-urlencoded; charset=utf-8",
                "Action=GetCallerIdentity&Version=2011-06-15", Shape.STS_XML, "<Account>123456789012</Account>"),
            new Wire("EC2 DescribeAvailabilityZones (Query)", "ec2", null,
                "application/x-www-form-urlencoded; charset=utf-8",
                "Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=eu-west-1a", Shape.EC2_XML,
                "<zoneId>euw1-az3</zoneId>"),
            new Wire("CloudWatch PutMetricData (Query)", "monitoring", null,
                "application/x-www-form-urlencoded; charset=utf-8", "Action=PutMetricData&Version=2010-08-01"
                    + "&Namespace=App&MetricData.member.1.MetricName=m&MetricData.member.1.Value=1",
                Shape.CLOUDWATCH_QUERY_XML, "<PutMetricDataResponse"),
            new Wire("CloudWatch PutMetricData (AWS JSON 1.0)", "monitoring",
                "GraniteServiceVersion20100801.PutMetricData", "application/x-amz-json-1.0",
                "{\"Namespace\":\"App\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}", Shape.CLOUDWATCH_JSON,
                "{}"));
    }

    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
        aws.createSecretString("db/password", "s3cret");
        aws.putParameter("/app/p", "v1", false);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    // ---- signing and sending ----

    /** botocore's form: Aws4Signer signs content-type, host, x-amz-date (and x-amz-target) and the body's hash. */
    private Signed botocoreStyle(Wire w, String keyId, String secret, String region, String service, Instant at) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(aws.endpoint().resolve("/"))
            .putHeader("Content-Type", w.contentType())
            .contentStreamProvider(ContentStreamProvider.fromUtf8String(w.body()));
        if (w.target() != null) {
            request.putHeader("X-Amz-Target", w.target());
        }
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request.build(), Aws4SignerParams.builder()
            .awsCredentials(AwsBasicCredentials.create(keyId, secret))
            .signingName(service)
            .signingRegion(Region.of(region))
            .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC))
            .build());
        return toWire(signed, w.body());
    }

    /** The SDK for Java 2.x's form (AwsV4HttpSigner), which also signs x-amz-content-sha256. */
    private Signed sdkStyle(Wire w, String region, String service, Instant at) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(aws.endpoint().resolve("/"))
            .putHeader("Content-Type", w.contentType());
        if (w.target() != null) {
            request.putHeader("X-Amz-Target", w.target());
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
            .identity(AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
            .request(request.build())
            .payload(() -> new ByteArrayInputStream(w.body().getBytes(StandardCharsets.UTF_8)))
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        return toWire(signed, w.body());
    }

    private static Signed toWire(SdkHttpRequest signed, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                headers.put(name, String.join(",", values));
            }
        });
        String query = signed.encodedQueryParameters().map(q -> "?" + q).orElse("");
        return new Signed(signed.encodedPath() + query, headers, body);
    }

    private Signed signed(Wire w) {
        return botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, REGION, w.service(),
            Instant.now());
    }

    private Answer send(Wire w, Signed s) {
        HttpRequest.Builder request = HttpRequest.newBuilder(aws.endpoint().resolve(s.pathAndQuery()))
            .POST(HttpRequest.BodyPublishers.ofString(s.body()));
        s.headers().forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String code;
            String message;
            switch (w.shape()) {
                case AWS_JSON, CLOUDWATCH_JSON -> {
                    JsonNode json = LocalAws.JSON.readTree(body);
                    code = json.path("__type").asText(null);
                    message = json.path("message").asText(null);
                    if (w.shape() == Shape.CLOUDWATCH_JSON && response.statusCode() != 200) {
                        // awsQueryCompatible: clients take the Query code from this header
                        String queryError = response.headers().firstValue("x-amzn-query-error").orElseThrow();
                        code = code + "|" + queryError.substring(0, queryError.indexOf(';'));
                    }
                    if (w.shape() == Shape.AWS_JSON && response.statusCode() != 200) {
                        assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiResponse.AMZ_JSON);
                    }
                }
                default -> {
                    String envelope = w.shape() == Shape.EC2_XML ? "<Response><Errors><Error><Code>"
                        : "<ErrorResponse xmlns=";
                    code = response.statusCode() == 200 ? null : xml(body, "Code");
                    message = response.statusCode() == 200 ? null : xml(body, "Message");
                    if (response.statusCode() != 200) {
                        assertThat(body).as("error envelope").contains(envelope);
                    }
                }
            }
            return new Answer(response.statusCode(), code, message, body);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String xml(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(body);
        return m.find() ? m.group(1).replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&") : null;
    }

    /** The body with its last letter or digit changed: same length, still routed to the same service. */
    private static String tamper(String body) {
        for (int i = body.length() - 1; i >= 0; i--) {
            char c = body.charAt(i);
            if (Character.isDigit(c)) {
                return body.substring(0, i) + (char) ('0' + (c - '0' + 1) % 10) + body.substring(i + 1);
            }
            if (Character.isLetter(c)) {
                return body.substring(0, i) + (c == 'x' ? 'y' : 'x') + body.substring(i + 1);
            }
        }
        throw new IllegalArgumentException(body);
    }

    /** The status and code a protocol answers to a signature that does not check out. */
    private static void assertBadSignature(Wire w, Answer a, String messageStart) {
        switch (w.shape()) {
            case AWS_JSON -> {
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.code()).isEqualTo("InvalidSignatureException");
            }
            case CLOUDWATCH_JSON -> {
                assertThat(a.status()).isEqualTo(403);
                assertThat(a.code()).isEqualTo("InvalidSignatureException|SignatureDoesNotMatch");
            }
            default -> {
                assertThat(a.status()).isEqualTo(403);
                assertThat(a.code()).isEqualTo("SignatureDoesNotMatch");
            }
        }
        assertThat(a.message()).startsWith(messageStart);
    }

    private void assertAccepted(Wire w, Answer a) {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains(w.okMarker());
    }

    // ---- the cases ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void signedAsBotocoreSignsIsAccepted(Wire w) {
        Signed s = signed(w);
        assertThat(s.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-amz-content-sha256"));
        assertThat(s.headers().get("Authorization")).contains("SignedHeaders=content-type;host;x-amz-date");
        assertAccepted(w, send(w, s));
        // the SDK's form, with x-amz-content-sha256, too
        Signed sdk = sdkStyle(w, REGION, w.service(), Instant.now());
        assertThat(sdk.headers().get("Authorization")).contains("x-amz-content-sha256");
        assertAccepted(w, send(w, sdk));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void aBodyChangedAfterSigningIsRefused(Wire w) {
        // same length, so only the payload hash can tell
        UnaryOperator<String> tamper = SignatureTamperingTest::tamper;
        assertBadSignature(w, send(w, signed(w).withBody(tamper.apply(w.body()))),
            "The request signature we calculated does not match");
        // the SDK's form: its x-amz-content-sha256 names the old body's hash
        assertBadSignature(w, send(w, sdkStyle(w, REGION, w.service(), Instant.now())
            .withBody(tamper.apply(w.body()))), "The provided 'x-amz-content-sha256' header does not match");
        assertThat(aws.metricData()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void aTimeOutsideTheSkewOrChangedAfterSigningIsRefused(Wire w) {
        boolean ec2 = w.shape() == Shape.EC2_XML;
        Duration beyond = ec2 ? Duration.ofMinutes(16) : Duration.ofMinutes(6);
        for (Instant at : List.of(Instant.now().minus(beyond), Instant.now().plus(beyond))) {
            Answer a = send(w, botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, REGION,
                w.service(), at));
            if (ec2) {
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.code()).isEqualTo("RequestExpired");
            } else {
                assertBadSignature(w, a, at.isBefore(Instant.now()) ? "Signature expired: " : "Signature not yet "
                    + "current: ");
                assertThat(a.message()).endsWith(" 5 min.)");
            }
        }
        // inside the limit: accepted (EC2's is 15 minutes)
        Duration inside = ec2 ? Duration.ofMinutes(14) : Duration.ofMinutes(4);
        assertAccepted(w, send(w, botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, REGION,
            w.service(), Instant.now().minus(inside))));

        // X-Amz-Date moved by a second after signing
        Instant at = Instant.now().minusSeconds(30);
        Signed s = botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, REGION, w.service(), at);
        assertBadSignature(w, send(w, s.withHeader("X-Amz-Date", d -> SigV4Verifier.AMZ_DATE.format(at.plusSeconds(1)))),
            "The request signature we calculated does not match");
        // a credential scope date other than the request's
        assertBadSignature(w, send(w, s.withHeader("Authorization", h -> h.replaceFirst("/(\\d{8})/",
                "/" + SigV4Verifier.AMZ_DATE.format(at.minus(Duration.ofDays(1))).substring(0, 8) + "/"))),
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void anotherRegionOrServiceIsRefused(Wire w) {
        assertBadSignature(w, send(w, botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY,
            "us-east-1", w.service(), Instant.now())), "Credential should be scoped to a valid region.");
        String other = w.service().equals("ssm") ? "secretsmanager" : "ssm";
        assertBadSignature(w, send(w, botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, REGION,
            other, Instant.now())), "Credential should be scoped to correct service: '" + w.service() + "'.");
        assertThat(aws.requests()).noneMatch(LocalAws.RecordedRequest::signatureValid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void anotherKeyIsRefused(Wire w) {
        assertBadSignature(w, send(w, botocoreStyle(w, LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY + "x",
            REGION, w.service(), Instant.now())), "The request signature we calculated does not match");
        Answer unknown = send(w, botocoreStyle(w, "AKIAUNKNOWNKEY000000", LocalAws.SECRET_ACCESS_KEY, REGION,
            w.service(), Instant.now()));
        switch (w.shape()) {
            case AWS_JSON -> assertThat(unknown).extracting(Answer::status, Answer::code)
                .containsExactly(400, "UnrecognizedClientException");
            case EC2_XML -> assertThat(unknown).extracting(Answer::status, Answer::code)
                .containsExactly(401, "AuthFailure");
            case CLOUDWATCH_JSON -> assertThat(unknown).extracting(Answer::status, Answer::code)
                .containsExactly(403, "UnrecognizedClientException|InvalidClientTokenId");
            default -> assertThat(unknown).extracting(Answer::status, Answer::code)
                .containsExactly(403, "InvalidClientTokenId");
        }
        // the access key id swapped in the Authorization header of a correctly signed request
        aws.createSecretString("unused", "x");
        Answer swapped = send(w, signed(w).withHeader("Authorization",
            h -> h.replace(LocalAws.ACCESS_KEY_ID, "AKIAUNKNOWNKEY000000")));
        assertThat(swapped.status()).isIn(400, 401, 403);
        assertThat(aws.requests()).noneMatch(LocalAws.RecordedRequest::signatureValid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wires")
    void signedHeadersMustIncludeHostAndCoverWhatTheyName(Wire w) {
        Answer noHost = send(w, signed(w).withHeader("Authorization",
            h -> h.replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;")));
        assertThat(noHost.status()).isEqualTo(400);
        assertThat(noHost.code()).startsWith(w.shape() == Shape.AWS_JSON ? "IncompleteSignatureException"
            : w.shape() == Shape.CLOUDWATCH_JSON ? "IncompleteSignatureException|IncompleteSignature"
            : "IncompleteSignature");
        assertThat(noHost.message()).isEqualTo("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        // a signed header changed after signing
        assertBadSignature(w, send(w, signed(w).withHeader("Content-Type", ct -> ct + " ")
                .withHeader("Content-Type", ct -> ct.replace("utf-8", "UTF-8").replace("1.", "1 ."))),
            "The request signature we calculated does not match");
    }

    @Test
    void headerValuesAreTrimmedAndSpacesCollapsedAsTheSignersDo() {
        Wire w = wires().findFirst().orElseThrow();
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(aws.endpoint().resolve("/"))
            .putHeader("Content-Type", w.contentType())
            .putHeader("X-Amz-Target", w.target())
            .putHeader("X-Amz-Meta-Note", "  two   spaces  and  more   ")
            .contentStreamProvider(ContentStreamProvider.fromUtf8String(w.body()))
            .build();
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
            .awsCredentials(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
            .signingName(w.service()).signingRegion(Region.of(REGION)).build());
        Signed s = toWire(signed, w.body());
        assertThat(s.headers().get("Authorization")).contains("x-amz-meta-note");
        assertAccepted(w, send(w, s));
        assertAccepted(w, send(w, s.withHeader("X-Amz-Meta-Note", v -> "two spaces and more")));
        assertBadSignature(w, send(w, s.withHeader("X-Amz-Meta-Note", v -> "two spaces and less")),
            "The request signature we calculated does not match");
    }

    @Test
    void queryParametersAreCanonicalisedAsTheSignersDo() {
        // STS over Query with its parameters in the URL (unsorted, with characters that must be encoded), empty body
        Wire w = wires().filter(x -> x.shape() == Shape.STS_XML).findFirst().orElseThrow();
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(aws.endpoint().resolve("/"))
            .putRawQueryParameter("Version", "2011-06-15")
            .putRawQueryParameter("Action", "GetCallerIdentity")
            .putRawQueryParameter("Z-note", "a b/c~d*é")
            .putRawQueryParameter("A-empty", "")
            .putHeader("Content-Type", w.contentType())
            .contentStreamProvider(ContentStreamProvider.fromUtf8String(""))
            .build();
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
            .awsCredentials(AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY))
            .signingName("sts").signingRegion(Region.of(REGION)).build());
        Signed s = toWire(signed, "");
        assertThat(s.pathAndQuery()).contains("%20").contains("%2F");
        assertAccepted(w, send(w, s));
        Signed changed = new Signed(s.pathAndQuery().replace("Z-note=a", "Z-note=b"), s.headers(), "");
        assertBadSignature(w, send(w, changed), "The request signature we calculated does not match");
    }

    @Test
    void canonicalFormsFollowTheSigV4Rules() {
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=%7e&a=1&c&d=x%2By+z&e=%c3%a9"))
            .isEqualTo("a=1&a=~&b=2&c=&d=x%2By%2Bz&e=%C3%A9");
        assertThat(SigV4Verifier.canonicalUri("")).isEqualTo("/");
        assertThat(SigV4Verifier.canonicalUri("/a//b/./c/../d%20e/")).isEqualTo("/a/b/d%2520e/");
        assertThat(SigV4Verifier.parseDate("Mon, 09 Sep 2011 23:36:00 GMT"))
            .isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
        assertThat(SigV4Verifier.parseDate("20110909T233600Z")).isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    }
}
