package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.connectaws.it.aws.AwsCliProcess;
import io.connectaws.it.aws.LocalAws;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * {@link IamCallerIdentity} against an in-process aws-local, whose STS verifies presigned GetCallerIdentity URLs by
 * AWS's query-string SigV4 rules. Tokens are presigned by the SDK for Java's signer in query-string mode (what botocore
 * signs too: the parameters, host and x-k8s-aws-id, the empty body's hash) and, when {@code aws} is on the PATH, by the
 * real {@code aws eks get-token}.
 */
class IamCallerIdentityTest {
    private static final String REGION = "eu-west-1";
    private static final String CLUSTER = "connect-prod";
    private static final String ACCOUNT = "123456789012";
    private static final String USER = "arn:aws:iam::" + ACCOUNT + ":user/local-test";
    private static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/ops/connect-admin";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The system clock moved by an offset the test sets. */
    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private LocalAws aws;
    private URI sts;
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, REGION);
        sts = URI.create("http://127.0.0.1:" + aws.port());
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    // ---- tokens ----

    private static String token(String url) {
        return IamCallerIdentity.TOKEN_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String url) {
        return "Bearer " + token(url);
    }

    /** A presigned GetCallerIdentity URL for {@code endpoint}, signing x-k8s-aws-id: {@code cluster}. */
    private static String presign(URI endpoint, AwsCredentialsIdentity credentials, String cluster, Instant at,
                                  Duration expires) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(endpoint.resolve("/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", cluster)
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request().getUri().toString();
    }

    private static AwsCredentialsIdentity base() {
        return AwsCredentialsIdentity.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY);
    }

    private String presign(AwsCredentialsIdentity credentials) {
        return presign(sts, credentials, CLUSTER, Instant.now(), Duration.ofSeconds(60));
    }

    /** Temporary credentials of a role session, from aws-local's AssumeRole (a GET signed in the header). */
    private AwsSessionCredentialsIdentity assumeRole(String roleArn, String session) throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(sts.resolve("/"))
                .putRawQueryParameter("Action", "AssumeRole")
                .putRawQueryParameter("Version", "2011-06-15")
                .putRawQueryParameter("RoleArn", roleArn)
                .putRawQueryParameter("RoleSessionName", session)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(base())
                .request(request)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")).request();
        HttpRequest.Builder get = HttpRequest.newBuilder(signed.getUri()).GET();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                get.header(name, String.join(",", values));
            }
        });
        String body = HTTP.send(get.build(), HttpResponse.BodyHandlers.ofString()).body();
        return AwsSessionCredentialsIdentity.create(xml(body, "AccessKeyId"), xml(body, "SecretAccessKey"),
                xml(body, "SessionToken"));
    }

    private static String xml(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(body);
        assertThat(m.find()).as(element + " in " + body).isTrue();
        return m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'");
    }

    private IamCallerIdentity iam(String... allowed) {
        return new IamCallerIdentity(CLUSTER, List.of(allowed), Optional.of(sts), clock);
    }

    private long stsCalls() {
        return aws.count("sts.GetCallerIdentity");
    }

    private static void assertRefused(IamCallerIdentity.Result r, int status, String reasonPart) {
        assertThat(r.allowed()).as(r.reason()).isFalse();
        assertThat(r.status()).as(r.reason()).isEqualTo(status);
        assertThat(r.reason()).contains(reasonPart);
        assertThat(r.arn()).isEmpty();
    }

    // ---- principals ----

    @Test
    void anAllowedUserPassesWithItsArn() {
        IamCallerIdentity.Result r = iam(USER).authenticate(bearer(presign(base())));
        assertThat(r.allowed()).as(r.reason()).isTrue();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.arn()).hasValue(USER);
        assertThat(r).isEqualTo(new IamCallerIdentity.Allowed(USER));
        assertThat(stsCalls()).isEqualTo(1);
        // the scheme is case-insensitive
        assertThat(iam(USER).authenticate("bearer " + token(presign(base()))).allowed()).isTrue();
    }

    @Test
    void aSessionOfAnAllowedRolePassesAndTheRoleArnItself() throws Exception {
        AwsSessionCredentialsIdentity alice = assumeRole(ADMIN_ROLE, "alice");
        String aliceToken = bearer(presign(alice));
        IamCallerIdentity.Result r = iam(ADMIN_ROLE).authenticate(aliceToken);
        assertThat(r.allowed()).as(r.reason()).isTrue();
        assertThat(r.arn()).hasValue("arn:aws:sts::" + ACCOUNT + ":assumed-role/connect-admin/alice");
        // the role entry without its path, too: the assumed-role ARN has none
        assertThat(iam("arn:aws:iam::" + ACCOUNT + ":role/connect-admin").authenticate(aliceToken).allowed()).isTrue();
        // another role's session, or the same role name in another account, is not allowed
        AwsSessionCredentialsIdentity bob = assumeRole("arn:aws:iam::" + ACCOUNT + ":role/connect-reader", "bob");
        assertRefused(iam(ADMIN_ROLE).authenticate(bearer(presign(bob))), 403,
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/connect-reader/bob is not allowed");
        assertRefused(iam("arn:aws:iam::210987654321:role/ops/connect-admin").authenticate(aliceToken), 403,
                "is not allowed");
        assertRefused(iam("arn:aws-cn:iam::" + ACCOUNT + ":role/connect-admin").authenticate(aliceToken), 403,
                "is not allowed");
        // a role entry is not its users, nor a user entry its role sessions
        assertRefused(iam(ADMIN_ROLE).authenticate(bearer(presign(base()))), 403, USER + " is not allowed");
        assertRefused(iam("arn:aws:iam::" + ACCOUNT + ":user/connect-admin").authenticate(aliceToken), 403,
                "is not allowed");
    }

    @Test
    void aRootEntryPassesEveryPrincipalOfItsAccountOnly() throws Exception {
        String userToken = bearer(presign(base()));
        String roleToken = bearer(presign(assumeRole(ADMIN_ROLE, "ci")));
        IamCallerIdentity account = iam("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(account.authenticate(userToken).arn()).hasValue(USER);
        assertThat(account.authenticate(roleToken).arn())
                .hasValue("arn:aws:sts::" + ACCOUNT + ":assumed-role/connect-admin/ci");
        IamCallerIdentity other = iam("arn:aws:iam::210987654321:root", "arn:aws-us-gov:iam::" + ACCOUNT + ":root");
        assertRefused(other.authenticate(userToken), 403, "is not allowed");
        assertRefused(other.authenticate(roleToken), 403, "is not allowed");
    }

    @Test
    void anotherPrincipalIsForbidden() {
        IamCallerIdentity.Result r = iam("arn:aws:iam::" + ACCOUNT + ":user/someone-else").authenticate(
                bearer(presign(base())));
        assertRefused(r, 403, "the IAM principal " + USER + " is not allowed to call this REST API");
    }

    // ---- tokens STS refuses ----

    @Test
    void aTokenMadeForAnotherClusterIdIsRefusedBySts() {
        String other = bearer(presign(sts, base(), "connect-staging", Instant.now(), Duration.ofSeconds(60)));
        assertRefused(iam(USER).authenticate(other), 401, "STS refused the token: SignatureDoesNotMatch");
        assertThat(stsCalls()).isEqualTo(1);
        // while the cluster it was made for accepts it
        assertThat(new IamCallerIdentity("connect-staging", List.of(USER), Optional.of(sts), clock)
                .authenticate(other).allowed()).isTrue();
    }

    @Test
    void aTamperedSignatureIsRefusedBySts() {
        String url = presign(base());
        Matcher m = Pattern.compile("X-Amz-Signature=([0-9a-f]{64})").matcher(url);
        assertThat(m.find()).isTrue();
        String signature = m.group(1);
        String tampered = url.replace(signature, (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1));
        IamCallerIdentity.Result r = iam(USER).authenticate(bearer(tampered));
        assertRefused(r, 401, "STS refused the token: SignatureDoesNotMatch");
        assertThat(r.reason()).doesNotContain(signature.substring(1)).doesNotContain(token(tampered).substring(11, 40));
        // so is a key STS does not know
        String unknownKey = presign(AwsCredentialsIdentity.create("AKIAUNKNOWNKEY000000", "x"));
        assertRefused(iam(USER).authenticate(bearer(unknownKey)), 401, "STS refused the token: InvalidClientTokenId");
    }

    @Test
    void anExpiredTokenIsRefused() {
        IamCallerIdentity iam = iam(USER);
        // older than 15 minutes: refused without asking STS
        String old = bearer(presign(sts, base(), CLUSTER, Instant.now().minus(Duration.ofMinutes(16)),
                Duration.ofSeconds(60)));
        assertRefused(iam.authenticate(old), 401, "the token has expired");
        // dated more than 5 minutes ahead
        String ahead = bearer(presign(sts, base(), CLUSTER, Instant.now().plus(Duration.ofMinutes(6)),
                Duration.ofSeconds(60)));
        assertRefused(iam.authenticate(ahead), 401, "dated more than 5 minutes ahead");
        assertThat(stsCalls()).isZero();
        // young enough here, but past its X-Amz-Expires for aws-local's STS
        String lapsed = bearer(presign(sts, base(), CLUSTER, Instant.now().minusSeconds(5), Duration.ofSeconds(1)));
        assertRefused(iam.authenticate(lapsed), 401, "STS refused the token: AccessDenied");
        // a verified token is not taken once 15 minutes old, though remembered
        String fresh = bearer(presign(base()));
        assertThat(iam.authenticate(fresh).allowed()).isTrue();
        clock.offset = Duration.ofMinutes(16);
        assertRefused(iam.authenticate(fresh), 401, "the token has expired");
        assertThat(stsCalls()).isEqualTo(2);
    }

    // ---- tokens refused before any network call ----

    @Test
    void aUrlOfAnotherHostIsRefusedWithoutAnyNetworkCall() {
        IamCallerIdentity local = iam(USER);
        Instant now = Instant.now();
        Duration minute = Duration.ofSeconds(60);
        List<String> foreign = List.of(
                presign(URI.create("https://evil.example.com"), base(), CLUSTER, now, minute),
                presign(URI.create("http://localhost:" + aws.port()), base(), CLUSTER, now, minute),
                presign(URI.create("http://127.0.0.1:" + (aws.port() == 65535 ? 1 : aws.port() + 1)), base(), CLUSTER,
                        now, minute),
                presign(URI.create("https://127.0.0.1:" + aws.port()), base(), CLUSTER, now, minute),
                presign(URI.create("https://sts.eu-west-1.amazonaws.com"), base(), CLUSTER, now, minute));
        for (String url : foreign) {
            assertRefused(local.authenticate(bearer(url)), 401, "not this worker's STS endpoint");
        }
        // without an endpoint set, only https and the STS hosts, on the default port
        IamCallerIdentity standard = new IamCallerIdentity(CLUSTER, List.of(USER), Optional.empty(), clock);
        List<String> notSts = List.of(
                presign(sts, base(), CLUSTER, now, minute),
                presign(URI.create("https://evil.example.com"), base(), CLUSTER, now, minute),
                presign(URI.create("https://sts.eu-west-1.amazonaws.com.evil.example.com"), base(), CLUSTER, now,
                        minute),
                presign(URI.create("https://evil-sts.eu-west-1.amazonaws.com"), base(), CLUSTER, now, minute),
                presign(URI.create("https://sts.eu-west-1.amazonaws.com:8443"), base(), CLUSTER, now, minute),
                presign(URI.create("https://sts.notaregion.amazonaws.com"), base(), CLUSTER, now, minute),
                presign(URI.create("https://sts.amazonaws.com@evil.example.com"), base(), CLUSTER, now, minute),
                "https://sts.amazonaws.com/?" + presign(base()).split("\\?", 2)[1] + "#x");
        for (String url : notSts) {
            IamCallerIdentity.Result r = standard.authenticate(bearer(url));
            assertThat(r.status()).as(url + ": " + r.reason()).isEqualTo(401);
            assertThat(r.reason()).containsAnyOf("not https", "not an STS endpoint", "user info or a fragment");
        }
        assertThat(local.stsCalls() + standard.stsCalls()).isZero();
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void theStandardStsHostsAreRecognised() throws Exception {
        // checked up to the network call, which a client that refuses to connect stands in for
        HttpClient refusing = HttpClient.newBuilder().proxy(new java.net.ProxySelector() {
            @Override
            public List<java.net.Proxy> select(URI uri) {
                return List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP,
                        new InetSocketAddress("127.0.0.1", closedPort())));
            }

            @Override
            public void connectFailed(URI uri, java.net.SocketAddress sa, IOException ioe) {
            }
        }).build();
        IamCallerIdentity standard = new IamCallerIdentity(CLUSTER, List.of(USER), Optional.empty(), clock, refusing);
        for (String host : List.of("sts.amazonaws.com", "sts.eu-west-1.amazonaws.com", "sts.us-gov-west-1.amazonaws.com",
                "sts-fips.us-east-2.amazonaws.com", "sts.cn-north-1.amazonaws.com.cn", "STS.EU-WEST-1.AMAZONAWS.COM")) {
            String url = presign(URI.create("https://" + host), base(), CLUSTER, Instant.now(), Duration.ofSeconds(60));
            assertRefused(standard.authenticate(bearer(url)), 503, "STS could not be asked");
        }
        assertThat(standard.stsCalls()).isEqualTo(6);
    }

    @Test
    void missingOrMalformedTokensAreRefusedWithoutAnyNetworkCall() {
        IamCallerIdentity iam = iam(USER);
        String url = presign(base());
        String query = url.split("\\?", 2)[1];
        String root = sts + "/?";
        List<String> headers = new ArrayList<>(List.of("", "   ", "Basic b3BzOnMzY3JldA==", "Bearer", "Bearer ",
                "Bearer abc", "Bearer k8s-aws-v1.", "Bearer k8s-aws-v1.!!!***", "Bearer k8s-aws-v2." + token(url).substring(11),
                "Token " + token(url), bearer("not a url"), bearer("\u00e9" + url), bearer(url.replace("/?", "/x?")),
                bearer(root), bearer(url + "&Extra=1"), bearer(url + "&X-Amz-Date=20200101T000000Z"),
                bearer(url + "&x-amz-date=20200101T000000Z"), bearer(url.replace("Action=GetCallerIdentity", "Action=AssumeRole")),
                bearer(url.replace("Version=2011-06-15", "Version=2011-06-16")),
                bearer(url.replace("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", "X-Amz-SignedHeaders=host")),
                bearer(url.replace("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", "X-Amz-SignedHeaders=x-k8s-aws-id")),
                bearer(url.replace("X-Amz-Expires=60", "X-Amz-Expires=901")),
                bearer(url.replace("X-Amz-Expires=60", "X-Amz-Expires=-1")),
                bearer(url.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1")),
                bearer(url.replaceFirst("X-Amz-Date=\\d{8}T\\d{6}Z", "X-Amz-Date=yesterday")),
                bearer(url.replaceFirst("%2Fsts%2F", "%2Fiam%2F")),
                bearer(url.replaceFirst("&X-Amz-Signature=[0-9a-f]+", "")),
                bearer(url.replaceFirst("X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=zz")),
                bearer(url.replaceFirst("&X-Amz-Expires=\\d+", "")),
                bearer(url + "&"), bearer(url.replace("Action=", "Action%")),
                bearer(root + query.replace("X-Amz-Date", "X-Amz-Date%ZZ")),
                "Bearer " + IamCallerIdentity.TOKEN_PREFIX + "A".repeat(5000)));
        for (String h : headers) {
            IamCallerIdentity.Result r = iam.authenticate(h);
            assertThat(r.status()).as(h + ": " + r.reason()).isEqualTo(401);
            assertThat(r.allowed()).isFalse();
            if (h.length() > 30) {
                assertThat(r.reason()).doesNotContain(h.substring(h.length() - 20));
            }
        }
        assertRefused(iam.authenticate(null), 401, "no Authorization header");
        assertThat(iam.stsCalls()).isZero();
        assertThat(aws.requests()).isEmpty();
    }

    // ---- the cache ----

    @Test
    void aBurstOfCallsWithOneTokenCostsOneStsCall() throws Exception {
        IamCallerIdentity iam = iam(USER);
        Instant start = Instant.now();
        String token = bearer(presign(sts, base(), CLUSTER, start, Duration.ofSeconds(60)));
        assertThat(iam.authenticate(token).allowed()).isTrue();
        assertThat(iam.authenticate(token).allowed()).isTrue();
        assertThat(stsCalls()).isEqualTo(1);

        // concurrently, a new token: the calls wait for the one that asks
        String another = bearer(presign(sts, base(), CLUSTER, start.minusSeconds(1), Duration.ofSeconds(60)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<IamCallerIdentity.Result>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> iam.authenticate(another));
            }
            for (Future<IamCallerIdentity.Result> f : pool.invokeAll(calls)) {
                assertThat(f.get().allowed()).isTrue();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(stsCalls()).isEqualTo(2);
        assertThat(iam.stsCalls()).isEqualTo(2);
    }

    @Test
    void refusalsAreRememberedForSecondsOnly() {
        IamCallerIdentity iam = iam(USER);
        String other = bearer(presign(sts, base(), "connect-staging", Instant.now(), Duration.ofSeconds(60)));
        assertRefused(iam.authenticate(other), 401, "SignatureDoesNotMatch");
        assertRefused(iam.authenticate(other), 401, "SignatureDoesNotMatch");
        assertThat(stsCalls()).isEqualTo(1);
        clock.offset = IamCallerIdentity.REFUSAL_MEMORY.plusSeconds(1);
        assertRefused(iam.authenticate(other), 401, "SignatureDoesNotMatch");
        assertThat(stsCalls()).isEqualTo(2);
        // a 403 is decided on the remembered ARN, no refusal is stored for it
        IamCallerIdentity forbidden = iam("arn:aws:iam::" + ACCOUNT + ":user/someone-else");
        String mine = bearer(presign(base()));
        assertRefused(forbidden.authenticate(mine), 403, "is not allowed");
        assertRefused(forbidden.authenticate(mine), 403, "is not allowed");
        assertThat(stsCalls()).isEqualTo(3);
    }

    @Test
    void anUnreachableStsIsA503AndNotRemembered() {
        URI closed = URI.create("http://127.0.0.1:" + closedPort());
        IamCallerIdentity iam = new IamCallerIdentity(CLUSTER, List.of(USER), Optional.of(closed), clock);
        String token = bearer(presign(closed, base(), CLUSTER, Instant.now(), Duration.ofSeconds(60)));
        assertRefused(iam.authenticate(token), 503, "STS could not be asked to verify the token");
        assertRefused(iam.authenticate(token), 503, "STS could not be asked");
        assertThat(iam.stsCalls()).isEqualTo(2);
    }

    // ---- what STS answers ----

    @Test
    void theAnswerIsParsedSafelyAndRedirectsAreNotFollowed() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        String[] body = {""};
        AtomicInteger requests = new AtomicInteger();
        String[] clusterHeader = {null};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            clusterHeader[0] = exchange.getRequestHeaders().getFirst("x-k8s-aws-id");
            byte[] bytes = body[0].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Location", sts + "/");
            exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            URI fake = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            Instant start = Instant.now();
            AtomicInteger n = new AtomicInteger(); // a new date, so a new token, each time
            IamCallerIdentity iam = new IamCallerIdentity(CLUSTER, List.of("arn:aws:iam::" + ACCOUNT + ":root"),
                    Optional.of(fake), clock);
            Path secret = Files.createTempFile("iam-test", ".txt");
            Files.writeString(secret, "arn:aws:iam::" + ACCOUNT + ":user/from-a-file");
            try {
                body[0] = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"" + secret.toUri() + "\">]>"
                        + "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&e;</Arn>"
                        + "</GetCallerIdentityResult></GetCallerIdentityResponse>";
                assertRefused(iam.authenticate(bearer(presign(fake, base(), CLUSTER,
                        start.minusSeconds(n.incrementAndGet()), Duration.ofSeconds(60)))), 401, "STS answered no caller ARN");
            } finally {
                Files.delete(secret);
            }
            assertThat(clusterHeader[0]).isEqualTo(CLUSTER);
            body[0] = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT + ":user/x</Arn>"
                    + "</GetCallerIdentityResult></GetCallerIdentityResponse>";
            IamCallerIdentity.Result valid = iam.authenticate(bearer(presign(fake, base(), CLUSTER,
                    start.minusSeconds(n.incrementAndGet()), Duration.ofSeconds(60))));
            assertThat(valid.arn()).as(valid.reason()).hasValue("arn:aws:iam::" + ACCOUNT + ":user/x");
            body[0] = "not xml";
            assertRefused(iam.authenticate(bearer(presign(fake, base(), CLUSTER,
                    start.minusSeconds(n.incrementAndGet()), Duration.ofSeconds(60)))), 401, "STS answered no caller ARN");
            // a redirect to a "real" STS is not followed
            status.set(302);
            body[0] = "";
            assertRefused(iam.authenticate(bearer(presign(fake, base(), CLUSTER,
                    start.minusSeconds(n.incrementAndGet()), Duration.ofSeconds(60)))), 401, "STS refused the token: HTTP 302");
            assertThat(aws.requests()).isEmpty();
            // an error code that is not a code is not repeated
            status.set(403);
            body[0] = "<ErrorResponse><Error><Code>&lt;script&gt;</Code></Error></ErrorResponse>";
            assertRefused(iam.authenticate(bearer(presign(fake, base(), CLUSTER,
                    start.minusSeconds(n.incrementAndGet()), Duration.ofSeconds(60)))), 401, "STS refused the token: HTTP 403");
            assertThat(requests.get()).isEqualTo(5);
        } finally {
            server.stop(0);
        }
    }

    // ---- the allowed list ----

    @Test
    void invalidEntriesAreRefusedNamingTheEntryAndTheForms() {
        for (String entry : List.of("arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:root", "connect-admin",
                "arn:aws:sts::123456789012:assumed-role/connect-admin/alice", "arn:aws:iam::12345:root",
                "arn:aws-iso:iam::123456789012:root", "arn:aws:iam::123456789012:group/ops",
                "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:user/a*b", "")) {
            assertThatThrownBy(() -> iam(USER, entry)).as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + entry + "' is not an allowed IAM principal")
                    .hasMessageContaining("arn:aws:iam::ACCOUNT:role/NAME")
                    .hasMessageContaining("arn:aws:iam::ACCOUNT:user/NAME")
                    .hasMessageContaining("arn:aws:iam::ACCOUNT:root");
        }
        assertThatThrownBy(() -> iam()).hasMessageContaining("no IAM principal is allowed");
        assertThatThrownBy(() -> new IamCallerIdentity(" ", List.of(USER), Optional.empty(), clock))
                .hasMessageContaining("cluster id is empty");
        for (String endpoint : List.of("ftp://sts", "http://user@127.0.0.1:1", "http://127.0.0.1:1/path",
                "http://127.0.0.1:1/?q", "sts.amazonaws.com")) {
            assertThatThrownBy(() -> new IamCallerIdentity(CLUSTER, List.of(USER), Optional.of(URI.create(endpoint)),
                    clock)).as(endpoint).hasMessageContaining("is not https://HOST[:PORT]");
        }
        // valid forms, partitions and paths
        new IamCallerIdentity(CLUSTER, List.of("arn:aws-cn:iam::123456789012:role/a/b/c/name+=,.@-_",
                "arn:aws-us-gov:iam::123456789012:user/path/u", " arn:aws:iam::123456789012:root "), Optional.empty(),
                clock);
    }

    // ---- the real AWS CLI ----

    @Test
    void aTokenFromTheRealAwsEksGetTokenIsAccepted() throws Exception {
        Path aws = AwsCliProcess.executable().orElse(null);
        if (aws == null) {
            String reason = "the AWS CLI ('aws') is not on the PATH and AWS_CLI is not set";
            System.out.println("IamCallerIdentityTest: skipped: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
        AwsCliProcess.Run run = AwsCliProcess.run(aws, List.of("eks", "get-token", "--cluster-name", CLUSTER,
                "--output", "json"), Map.of("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY, "AWS_DEFAULT_REGION", REGION, "AWS_REGION", REGION,
                "AWS_ENDPOINT_URL_STS", sts.toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"(k8s-aws-v1\\.[A-Za-z0-9_-]+)\"").matcher(run.out());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        String url = new String(Base64.getUrlDecoder().decode(token.substring(11)), StandardCharsets.UTF_8);
        assertThat(url).startsWith(sts + "/?Action=GetCallerIdentity&Version=2011-06-15&")
                .contains("&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&");
        IamCallerIdentity.Result r = iam(USER).authenticate("Bearer " + token);
        assertThat(r.allowed()).as(r.reason()).isTrue();
        assertThat(r.arn()).hasValue(USER);
        assertRefused(new IamCallerIdentity("connect-staging", List.of(USER), Optional.of(sts), clock)
                .authenticate("Bearer " + token), 401, "STS refused the token: SignatureDoesNotMatch");
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
