package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * STS GetCallerIdentity as a presigned GET URL (query-string SigV4), the way aws eks get-token and aws-iam-authenticator
 * make it: presigned with the SDK for Java's signer in query-string mode (it signs what botocore's SigV4QueryAuth
 * signs: the parameters, host and x-k8s-aws-id, the empty body's hash), sent as signed (accepted), then tampered with
 * on the wire: signature, date, expiry, the x-k8s-aws-id value, the host, the session token (refused).
 */
class PresignedGetCallerIdentityTest {
    private static final String REGION = "eu-west-1";
    private static final String CLUSTER = "connect-prod";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, String code, String message, String body) {
    }

    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /** A presigned GetCallerIdentity URL for {@code endpoint}, signing x-k8s-aws-id when {@code cluster} is set. */
    static String presign(URI endpoint, AwsCredentialsIdentity credentials, String region, String cluster,
                          Instant at, Duration expires) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(endpoint.resolve("/"))
            .putRawQueryParameter("Action", "GetCallerIdentity")
            .putRawQueryParameter("Version", "2011-06-15");
        if (cluster != null) {
            request.putHeader("x-k8s-aws-id", cluster);
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
            .identity(credentials)
            .request(request.build())
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
            .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        return signed.getUri().toString();
    }

    private String presign(String cluster, Instant at, Duration expires) {
        return presign(aws.endpoint(), base(), REGION, cluster, at, expires);
    }

    private String presign() {
        return presign(CLUSTER, Instant.now(), Duration.ofSeconds(60));
    }

    private static AwsCredentialsIdentity base() {
        return AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
    }

    static Answer get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), xml(body, "Code"), xml(body, "Message"), body);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Answer get(String url) {
        return get(url, Map.of("x-k8s-aws-id", CLUSTER));
    }

    static String xml(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(body);
        return m.find() ? m.group(1).replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&") : null;
    }

    /** The URL with one query parameter's raw value replaced (it must be present). */
    private static String withParam(String url, String name, String rawValue) {
        Matcher m = Pattern.compile("([?&]" + Pattern.quote(name) + "=)([^&]*)").matcher(url);
        assertThat(m.find()).as(name + " in " + url).isTrue();
        return url.substring(0, m.start(2)) + rawValue + url.substring(m.end(2));
    }

    private static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(url);
        assertThat(m.find()).as(name + " in " + url).isTrue();
        return m.group(1);
    }

    private static void assertRefused(Answer a, int status, String code, String messageStart) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.code()).isEqualTo(code);
        assertThat(a.message()).startsWith(messageStart);
        assertThat(a.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">");
    }

    private static void assertMismatch(Answer a) {
        assertRefused(a, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
    }

    // ---- the cases ----

    @Test
    void aPresignedUrlAnswersTheKeysIdentityAsThePostDoes() {
        String url = presign();
        assertThat(url).contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", "X-Amz-Expires=60",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256", "%2F" + REGION + "%2Fsts%2Faws4_request");
        Answer a = get(url);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">",
            "<Arn>arn:aws:iam::123456789012:user/local-test</Arn>", "<UserId>" + LocalAws.ACCESS_KEY_ID + "</UserId>",
            "<Account>123456789012</Account>");
        assertThat(aws.requests()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("sts.GetCallerIdentity");
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(r.service()).isEqualTo("sts");
        });
        // the same URL may be used again while it lives; one signing only host, without x-k8s-aws-id, works too
        assertThat(get(url).status()).isEqualTo(200);
        assertThat(get(presign(null, Instant.now(), Duration.ofSeconds(60)), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void assumedRoleCredentialsAnswerTheAssumedRoleArn() {
        StsClient sts = Sdk.sts(aws, Sdk.base());
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/ops/connect-admin")
            .roleSessionName("alice")).credentials();
        AwsSessionCredentialsIdentity session = AwsSessionCredentialsIdentity.create(c.accessKeyId(),
            c.secretAccessKey(), c.sessionToken());
        String url = presign(aws.endpoint(), session, REGION, CLUSTER, Instant.now(), Duration.ofSeconds(60));
        assertThat(url).contains("X-Amz-Security-Token=");
        Answer a = get(url);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(xml(a.body(), "Arn")).isEqualTo("arn:aws:sts::123456789012:assumed-role/connect-admin/alice");
        assertThat(aws.requests()).last().satisfies(r -> assertThat(r.sessionToken()).isEqualTo(c.sessionToken()));

        // the session token is signed: another token (or none) is refused
        String token = param(url, "X-Amz-Security-Token");
        assertRefused(get(withParam(url, "X-Amz-Security-Token", token.substring(0, token.length() - 4) + "AAAA")),
            403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        assertRefused(get(url.replaceFirst("&X-Amz-Security-Token=[^&]*", "")), 403, "InvalidClientTokenId",
            "The security token included in the request is invalid.");
    }

    @Test
    void aTamperedSignatureOrParameterIsRefused() {
        String url = presign();
        String signature = param(url, "X-Amz-Signature");
        String flipped = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        assertMismatch(get(withParam(url, "X-Amz-Signature", flipped)));
        // X-Amz-Date moved by a second, still within the scope's day and the URL's life
        String date = param(url, "X-Amz-Date");
        Instant signedAt = SigV4Verifier.parseDate(date);
        Instant moved = signedAt.plusSeconds(signedAt.getEpochSecond() % 86_400 == 0 ? 1 : -1);
        assertMismatch(get(withParam(url, "X-Amz-Date", SigV4Verifier.AMZ_DATE.format(moved))));
        // a longer X-Amz-Expires
        assertMismatch(get(withParam(url, "X-Amz-Expires", "900")));
        // a parameter added after signing
        assertMismatch(get(url + "&RoleArn=x"));
        assertThat(aws.requests()).noneMatch(LocalAws.RecordedRequest::signatureValid);
    }

    @Test
    void theSignedClusterHeaderMustBeSentWithItsSignedValue() {
        String url = presign();
        assertMismatch(get(url, Map.of("x-k8s-aws-id", "connect-staging")));
        assertMismatch(get(url, Map.of()));
        // a token made for another cluster, sent by this cluster's worker with its own id
        assertMismatch(get(presign("connect-staging", Instant.now(), Duration.ofSeconds(60))));
        assertThat(get(url).status()).isEqualTo(200);
    }

    @Test
    void theHostIsSigned() {
        // presigned for 127.0.0.1:<port>, sent to localhost:<port>: same server, another Host header
        URI numeric = URI.create("http://127.0.0.1:" + aws.port());
        String url = presign(numeric, base(), REGION, CLUSTER, Instant.now(), Duration.ofSeconds(60));
        assertThat(get(url).status()).isEqualTo(200);
        assertMismatch(get(url.replace("http://127.0.0.1:", "http://localhost:")));
        // X-Amz-SignedHeaders without host
        Answer noHost = get(withParam(url, "X-Amz-SignedHeaders", "x-k8s-aws-id"));
        assertRefused(noHost, 400, "IncompleteSignature", "'Host' must be a 'SignedHeader'");
    }

    @Test
    void anExpiredUrlIsRefused() {
        // X-Amz-Expires passed
        String url = presign(CLUSTER, Instant.now().minusSeconds(3), Duration.ofSeconds(1));
        assertRefused(get(url), 403, "AccessDenied", "Request has expired");
        assertThat(get(presign(CLUSTER, Instant.now().minusSeconds(61), Duration.ofSeconds(60))).status())
            .isEqualTo(403);
        assertThat(get(presign(CLUSTER, Instant.now().minusSeconds(50), Duration.ofSeconds(60))).status())
            .isEqualTo(200);
        // STS URLs live at most 15 minutes, whatever X-Amz-Expires says
        assertRefused(get(presign(CLUSTER, Instant.now().minus(16, ChronoUnit.MINUTES), Duration.ofHours(1))), 403,
            "AccessDenied", "Request has expired");
        assertThat(get(presign(CLUSTER, Instant.now().minus(14, ChronoUnit.MINUTES), Duration.ofHours(1))).status())
            .isEqualTo(200);
        // dated more than 5 minutes ahead
        assertRefused(get(presign(CLUSTER, Instant.now().plus(6, ChronoUnit.MINUTES), Duration.ofSeconds(60))), 403,
            "SignatureDoesNotMatch", "Signature not yet current: ");
    }

    @Test
    void malformedQueryAuthenticationIsIncomplete() {
        String url = presign();
        assertRefused(get(url.replaceFirst("&X-Amz-Signature=[^&]*", "")), 400, "IncompleteSignature",
            "AWS query-string parameters must include");
        assertRefused(get(url.replaceFirst("&X-Amz-Expires=[^&]*", "")), 400, "IncompleteSignature",
            "X-Amz-Expires must be a number of seconds from 1 to 604800.");
        assertRefused(get(withParam(url, "X-Amz-Expires", "604801")), 400, "IncompleteSignature",
            "X-Amz-Expires must be less than a week");
        assertRefused(get(withParam(url, "X-Amz-Expires", "0")), 400, "IncompleteSignature",
            "X-Amz-Expires must be a number");
        assertRefused(get(withParam(url, "X-Amz-Algorithm", "AWS4-HMAC-SHA1")), 400, "IncompleteSignature",
            "X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256'.");
        assertRefused(get(url + "&X-Amz-Date=" + param(url, "X-Amz-Date")), 400, "IncompleteSignature",
            "Query parameter X-Amz-Date is given more than once.");
        Map<String, String> both = new LinkedHashMap<>();
        both.put("x-k8s-aws-id", CLUSTER);
        both.put("Authorization", "AWS4-HMAC-SHA256 Credential=x/20200101/eu-west-1/sts/aws4_request, "
            + "SignedHeaders=host, Signature=00");
        assertRefused(get(url, both), 400, "IncompleteSignature", "Only one auth mechanism allowed");
        // scope: another region or service
        assertRefused(get(presign(aws.endpoint(), base(), "us-east-1", CLUSTER, Instant.now(),
            Duration.ofSeconds(60))), 403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region.");
        String credential = param(url, "X-Amz-Credential");
        assertRefused(get(withParam(url, "X-Amz-Credential", credential.replace("%2Fsts%2F", "%2Fiam%2F"))), 403,
            "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.");
        // an unknown key, or the right key id with another secret
        assertRefused(get(presign(aws.endpoint(), AwsCredentialsIdentity.create("AKIAUNKNOWNKEY000000",
            LocalAws.SECRET_ACCESS_KEY), REGION, CLUSTER, Instant.now(), Duration.ofSeconds(60))), 403,
            "InvalidClientTokenId", "The security token included in the request is invalid.");
        assertMismatch(get(presign(aws.endpoint(), AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID,
            LocalAws.SECRET_ACCESS_KEY + "x"), REGION, CLUSTER, Instant.now(), Duration.ofSeconds(60))));
        assertThat(aws.requests()).noneMatch(LocalAws.RecordedRequest::signatureValid);
    }

    @Test
    void theCanonicalQueryLeavesOutTheSignature() {
        assertThat(SigV4Verifier.canonicalQuery("X-Amz-Signature=ab&Version=2011-06-15&Action=GetCallerIdentity"
            + "&X-Amz-Credential=K%2F20200101%2Feu-west-1%2Fsts%2Faws4_request", "X-Amz-Signature"))
            .isEqualTo("Action=GetCallerIdentity&Version=2011-06-15"
                + "&X-Amz-Credential=K%2F20200101%2Feu-west-1%2Fsts%2Faws4_request");
    }
}
