package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.HealthCheck;

import io.connectaws.it.aws.AwsCliProcess;
import io.connectaws.it.aws.LocalAws;

/**
 * REST API authentication against the built image, one mode per test, each on fresh workers: {@code basic} (two
 * workers of one group, users hashed by the image's own {@code hash-password}), {@code iam} (tokens of the real
 * {@code aws eks get-token}, verified by the worker against it/aws-local's STS) and {@code mtls} (two workers on https
 * with certificates keytool makes here). Every refusal is checked for its status, and no reply body may repeat a
 * credential. A create sent to the follower proves that Connect's forwarding to the leader carries the caller's
 * credentials (basic) or the worker's own client certificate (mtls). The health endpoints stay open, and the image's
 * probe (Docker's HEALTHCHECK every 2 s here, the ECS task definition's command) keeps passing in every mode.
 */
class RestAuthIT {
    static final String PG_HOST = "restauth-pg";
    static final String ALLOWED_ROLE = "arn:aws:iam::123456789012:role/connect-admin";
    static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/other-team";
    static final String[] PROBE = {"/opt/java/bin/java", "@/opt/connect/config/probe.args"};
    static final int HTTPS_PORT = 8443;
    private static final Pattern LEADER_URL = Pattern.compile("leaderUrl='([^']+)'");
    private static final Pattern ADVERTISED = Pattern.compile("Advertised URI: (\\S+)");

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static Path certDir;

    /** Every reply body of the class, checked for credentials at the end of each test. */
    private final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(PG_HOST);
        aws = new LocalAwsContainer();
        Startables.deepStart(postgres, aws).join();
        PostgresOutage.psql(postgres, "CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
        certDir = Files.createTempDirectory("restauth-certs");
    }

    @AfterAll
    static void stop() throws IOException {
        Stack.stop(aws, postgres);
        if (certDir != null) {
            try (var files = Files.walk(certDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    // ---------------------------------------------------------------- basic

    @Test
    void basicTwoWorkersRefuseWithoutTheRightPasswordAndForwardACreateFromTheFollower() throws Exception {
        String alicePw = "alice-pw-" + random();
        String bobPw = "bob-pw-" + random();
        String alice = hashWithTheImage("alice", alicePw);
        String bob = hashHere("bob", bobPw);
        assertThat(alice).startsWith("alice:pbkdf2-sha256:").doesNotContain(alicePw);
        Map<String, String> env = Map.of("CONNECT_AWS_REST_AUTH", "basic",
                "CONNECT_AWS_REST_BASIC_CREDENTIALS", alice + "\n" + bob);
        ConnectWorker a = worker("restauth-basic", "restauth-basic-a", env);
        ConnectWorker b = worker("restauth-basic", "restauth-basic-b", env);
        try {
            Startables.deepStart(a, b).join();
            HttpClient http = client(null);
            String aliceAuth = basic("alice", alicePw);
            String bobAuth = basic("bob", bobPw);
            for (ConnectWorker w : List.of(a, b)) {
                String base = "http://" + w.getHost() + ":" + w.getMappedPort(ConnectWorker.REST_PORT);
                Answer none = send(http, "GET", base + "/connectors", null, null);
                assertThat(none.status()).as(none.body()).isEqualTo(401);
                assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
                assertThat(none.body()).contains("CONNECT_AWS_REST_BASIC_CREDENTIALS");
                for (String wrong : List.of(basic("alice", "wrong-" + alicePw), basic("alice", bobPw),
                        basic("mallory", alicePw), "Basic not-base64!", "Bearer " + alicePw, aliceAuth + "x")) {
                    Answer refused = send(http, "GET", base + "/connectors", wrong, null);
                    assertThat(refused.status()).as(wrong + ": " + refused.body()).isEqualTo(401);
                    assertThat(refused.header("WWW-Authenticate")).startsWith("Basic");
                }
                assertThat(send(http, "GET", base + "/connectors", aliceAuth, null).status()).isEqualTo(200);
                assertThat(send(http, "GET", base + "/connectors", bobAuth, null).status()).isEqualTo(200);
                Answer unauthenticatedCreate = send(http, "POST", base + "/connectors", null,
                        createBody("never-made", connector("never_made")));
                assertThat(unauthenticatedCreate.status()).isEqualTo(401);
                assertHealthOpen(http, base);
            }

            ConnectWorker[] roles = leaderAndFollower(a, b);
            ConnectWorker follower = roles[1];
            String followerBase = "http://" + follower.getHost() + ":" + follower.getMappedPort(ConnectWorker.REST_PORT);
            Answer created = send(http, "POST", followerBase + "/connectors", aliceAuth,
                    createBody("basic-orders", connector("restauth_basic")));
            assertThat(created.status()).as("create sent to the follower %s: %s", follower.getNetworkAliases(),
                    created.body()).isEqualTo(201);
            assertForwarded(roles[0], follower);
            for (ConnectWorker w : List.of(a, b)) {
                String base = "http://" + w.getHost() + ":" + w.getMappedPort(ConnectWorker.REST_PORT);
                Answer list = send(http, "GET", base + "/connectors", bobAuth, null);
                assertThat(list.json().toString()).contains("basic-orders").doesNotContain("never-made");
                assertThat(send(http, "GET", base + "/connectors/basic-orders/status", null, null).status())
                        .isEqualTo(401);
                Answer status = awaitStatus(http, base + "/connectors/basic-orders/status", aliceAuth);
                assertThat(status.status()).as(status.body()).isEqualTo(200);
                assertProbesPass(w, List.of(alicePw, bobPw));
            }
            assertNoCredentialIn(bodies, alicePw, bobPw, aliceAuth.substring(6), bobAuth.substring(6),
                    alice.split(":")[4], bob.split(":")[4]);
        } finally {
            Stack.stop(a, b);
        }
    }

    // ---------------------------------------------------------------- iam

    @Test
    void iamTokensOfTheAwsCliAreCheckedWithStsForPrincipalAndCluster() throws Exception {
        Path cli = awsCli();
        String cluster = "restauth-iam";
        Map<String, String> env = Map.of("CONNECT_AWS_REST_AUTH", "iam",
                "CONNECT_AWS_REST_IAM_PRINCIPALS", ALLOWED_ROLE,
                "CONNECT_AWS_REST_IAM_STS_ENDPOINT", LocalAwsContainer.ENDPOINT_ON_STACK);
        ConnectWorker w = worker(cluster, cluster + "-worker", env);
        ConnectWorker w2 = worker(cluster, cluster + "-worker-2", env);
        try {
            Startables.deepStart(w, w2).join();
            String base = "http://" + w.getHost() + ":" + w.getMappedPort(ConnectWorker.REST_PORT);
            HttpClient http = client(null);
            Credentials admin = assumeRole(cli, ALLOWED_ROLE, "alice");
            Credentials other = assumeRole(cli, OTHER_ROLE, "mallory");
            Credentials baseUser = new Credentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
            List<String> secrets = new ArrayList<>(List.of(admin.secretAccessKey(), admin.sessionToken(),
                    other.secretAccessKey(), other.sessionToken(), LocalAws.SECRET_ACCESS_KEY));

            String allowed = eksToken(cli, admin, cluster);
            secrets.add(allowed);
            secrets.add(signature(allowed));
            Answer ok = send(http, "GET", base + "/connectors", "Bearer " + allowed, null);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(send(http, "GET", base + "/connectors", "Bearer " + allowed, null).status())
                    .as("the same token again (remembered)").isEqualTo(200);
            assertThat(send(http, "GET", base + "/connector-plugins", "bearer " + allowed, null).status())
                    .as("scheme in any case").isEqualTo(200);

            for (Credentials notListed : List.of(other, baseUser)) {
                String token = eksToken(cli, notListed, cluster);
                secrets.add(token);
                Answer forbidden = send(http, "GET", base + "/connectors", "Bearer " + token, null);
                assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
                assertThat(forbidden.body()).contains("is not allowed");
            }

            String otherCluster = eksToken(cli, admin, "another-cluster");
            secrets.add(otherCluster);
            Answer wrongCluster = send(http, "GET", base + "/connectors", "Bearer " + otherCluster, null);
            assertThat(wrongCluster.status()).as(wrongCluster.body()).isEqualTo(401);
            assertThat(wrongCluster.header("WWW-Authenticate")).startsWith("Bearer");

            Answer none = send(http, "GET", base + "/connectors", null, null);
            assertThat(none.status()).as(none.body()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(none.body()).contains("aws eks get-token");
            String tampered = allowed.substring(0, allowed.length() - 8) + "AAAAAAAA";
            for (String garbage : List.of("Bearer garbage", "Bearer k8s-aws-v1.", "Bearer k8s-aws-v1.!!!not-base64!!!",
                    "Bearer k8s-aws-v1." + Base64.getUrlEncoder().withoutPadding()
                            .encodeToString("https://evil.example.com/?Action=GetCallerIdentity".getBytes()),
                    "Bearer " + tampered, basic("alice", "pw"), allowed)) {
                Answer refused = send(http, "GET", base + "/connectors", garbage, null);
                assertThat(refused.status()).as(garbage.length() > 40 ? garbage.substring(0, 40) : garbage)
                        .isEqualTo(401);
            }
            Answer write = send(http, "POST", base + "/connectors", null, createBody("iam-none", connector("iam_none")));
            assertThat(write.status()).isEqualTo(401);

            // a create sent to the follower with a fresh token: forwarded with it, and the leader checks it again
            ConnectWorker[] roles = leaderAndFollower(w, w2);
            String followerBase = "http://" + roles[1].getHost() + ":" + roles[1].getMappedPort(ConnectWorker.REST_PORT);
            String fresh = eksToken(cli, admin, cluster);
            secrets.add(fresh);
            Answer created = send(http, "POST", followerBase + "/connectors", "Bearer " + fresh,
                    createBody("iam-orders", connector("restauth_iam")));
            assertThat(created.status()).as("create sent to the follower: %s", created.body()).isEqualTo(201);
            assertForwarded(roles[0], roles[1]);

            assertHealthOpen(http, base);
            assertProbesPass(w, secrets);
            assertNoCredentialIn(bodies, secrets.toArray(String[]::new));
        } finally {
            Stack.stop(w, w2);
        }
    }

    // ---------------------------------------------------------------- mtls

    @Test
    void mtlsTwoWorkersTakeOnlyTheirCasClientsOnHttpsAndForwardOverHttps() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority(certDir, "restauth-ca");
        TestCertificates.Authority otherCa = TestCertificates.authority(certDir, "restauth-other-ca");
        TestCertificates.Issued workerCert = ca.issue("restauth-worker", "dns:localhost,ip:127.0.0.1");
        TestCertificates.Issued clientCert = ca.issue("restauth-client", null);
        TestCertificates.Issued stranger = otherCa.issue("restauth-stranger", null);
        SSLContext good = TestCertificates.context(ca.certificate(), clientCert);
        Map<String, String> env = Map.of("CONNECT_AWS_REST_AUTH", "mtls",
                "CONNECT_AWS_REST_TLS_CERTIFICATE", workerCert.certificatePem(),
                "CONNECT_AWS_REST_TLS_KEY", workerCert.keyPem(),
                "CONNECT_AWS_REST_TLS_CLIENT_CA", ca.pem());
        ConnectWorker a = worker("restauth-mtls", "restauth-mtls-a", env);
        ConnectWorker b = worker("restauth-mtls", "restauth-mtls-b", env);
        for (ConnectWorker w : List.of(a, b)) {
            w.withExposedPorts(HTTPS_PORT, ConnectWorker.REST_PORT).waitingFor(httpsHealth(good));
        }
        try {
            Startables.deepStart(a, b).join();
            HttpClient mtls = client(good);
            HttpClient noCert = client(TestCertificates.context(ca.certificate(), null));
            HttpClient otherCaCert = client(TestCertificates.context(ca.certificate(), stranger));
            HttpClient plain = client(null);
            for (ConnectWorker w : List.of(a, b)) {
                String base = "https://" + w.getHost() + ":" + w.getMappedPort(HTTPS_PORT);
                Answer ok = send(mtls, "GET", base + "/connectors", null, null);
                assertThat(ok.status()).as(ok.body()).isEqualTo(200);
                assertHealthOpen(mtls, base);
                String withoutCert = attempt(noCert, base + "/connectors");
                String withStranger = attempt(otherCaCert, base + "/connectors");
                System.out.println("RestAuthIT: no client certificate: " + withoutCert + "; another CA's: " + withStranger);
                assertThat(withoutCert).as("no client certificate")
                        .satisfiesAnyOf(r -> assertThat(r).startsWith("refused:"), r -> assertThat(r).isEqualTo("401"));
                assertThat(withStranger).as("a certificate of another CA")
                        .satisfiesAnyOf(r -> assertThat(r).startsWith("refused:"), r -> assertThat(r).isEqualTo("401"));
                assertThat(attempt(noCert, base + "/health/ready")).as("health without a certificate: the "
                        + "handshake itself needs one").startsWith("refused:");
                // plain http is on loopback only: the mapped port reaches nothing, nor does another container
                String plainBase = "http://" + w.getHost() + ":" + w.getMappedPort(ConnectWorker.REST_PORT);
                assertThat(attempt(plain, plainBase + "/health")).as("http on the mapped 8083").startsWith("refused:");
                assertThat(attempt(plain, "http://" + w.getHost() + ":" + w.getMappedPort(HTTPS_PORT) + "/connectors"))
                        .as("plain http to the https port").isNotEqualTo("200");
            }
            ExecResult fromPeer = b.execInContainer(PROBE[0], PROBE[1], "live", "--url=http://restauth-mtls-a:8083",
                    "--startup-grace=0s");
            assertThat(fromPeer.getExitCode()).as("a's http listener from b: %s", fromPeer.getStdout()).isNotZero();
            System.out.println("RestAuthIT: a's plain http from b: " + fromPeer.getStdout().trim());

            // a peer reaches a worker at its task address, which the certificate does not name (and need not: the
            // workers check no host names); the https listener must take such a call as it takes one for localhost
            for (ConnectWorker w : List.of(a, b)) {
                String ip = w.address();
                String[] answer = byAddress(good, "https://" + ip + ":" + HTTPS_PORT + "/connectors");
                System.out.println("RestAuthIT: GET https://" + ip + ":8443/connectors (not in the SAN): " + answer[0]
                        + " " + answer[1]);
                assertThat(answer[0]).as("a call by an address the certificate does not name: %s", answer[1])
                        .isEqualTo("200");
            }

            ConnectWorker[] roles = leaderAndFollower(a, b);
            ConnectWorker follower = roles[1];
            assertThat(follower.getLogs()).containsPattern("Advertised URI: https://\\S+:" + HTTPS_PORT);
            String followerBase = "https://" + follower.getHost() + ":" + follower.getMappedPort(HTTPS_PORT);
            Answer created = send(mtls, "POST", followerBase + "/connectors", null,
                    createBody("mtls-orders", connector("restauth_mtls")));
            assertThat(created.status()).as("create sent to the follower %s: %s", follower.getNetworkAliases(),
                    created.body()).isEqualTo(201);
            assertForwarded(roles[0], follower);
            for (ConnectWorker w : List.of(a, b)) {
                String base = "https://" + w.getHost() + ":" + w.getMappedPort(HTTPS_PORT);
                Answer status = awaitStatus(mtls, base + "/connectors/mtls-orders/status", null);
                assertThat(status.status()).as(status.body()).isEqualTo(200);
                assertProbesPass(w, List.of(workerCert.keyPem().lines().skip(1).findFirst().orElseThrow()));
            }
            assertNoCredentialIn(bodies, clientCert.keyPem().lines().skip(1).findFirst().orElseThrow(),
                    workerCert.keyPem().lines().skip(1).findFirst().orElseThrow());
        } finally {
            Stack.stop(a, b);
        }
    }

    // ---------------------------------------------------------------- workers

    /** A worker of {@code group} named {@code alias}, with Docker's HEALTHCHECK (the image's command) every 2 s. */
    private static ConnectWorker worker(String group, String alias, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults(group));
        env.putAll(extra);
        ConnectWorker w = new ConnectWorker(alias, env);
        // only the interval: Docker keeps the image's HEALTHCHECK command, timeout, retries and start period
        w.withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new HealthCheck().withInterval(2_000_000_000L)));
        return w;
    }

    /** Waits for Kafka's /health on the https port, with a client certificate. */
    private static org.testcontainers.containers.wait.strategy.WaitStrategy httpsHealth(SSLContext ssl) {
        return new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
                HttpClient http = client(ssl);
                Instant deadline = Instant.now().plus(startupTimeout);
                String last = "no answer";
                while (Instant.now().isBefore(deadline)) {
                    String url = "https://" + waitStrategyTarget.getHost() + ":"
                            + waitStrategyTarget.getMappedPort(HTTPS_PORT) + "/health";
                    last = attempt(http, url);
                    if (last.equals("200")) {
                        return;
                    }
                    ConnectRest.sleep(500);
                }
                throw new ContainerLaunchException("https /health never answered 200; last: " + last);
            }
        }.withStartupTimeout(Duration.ofSeconds(120));
    }

    /**
     * The group's leader and follower, from each worker's own log: the URL it advertises and the leader URL of its
     * latest assignment (both workers must name the same leader).
     */
    private static ConnectWorker[] leaderAndFollower(ConnectWorker a, ConnectWorker b) {
        Instant deadline = Instant.now().plusSeconds(60);
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            String la = last(LEADER_URL, a.getLogs());
            String lb = last(LEADER_URL, b.getLogs());
            String ua = last(ADVERTISED, a.getLogs());
            String ub = last(ADVERTISED, b.getLogs());
            seen = "a: advertises " + ua + ", leader " + la + "; b: advertises " + ub + ", leader " + lb;
            if (la != null && la.equals(lb) && ua != null && ub != null && !ua.equals(ub)) {
                if (la.equals(ua)) {
                    System.out.println("RestAuthIT: " + seen + " -> follower b");
                    return new ConnectWorker[] {a, b};
                }
                if (la.equals(ub)) {
                    System.out.println("RestAuthIT: " + seen + " -> follower a");
                    return new ConnectWorker[] {b, a};
                }
            }
            ConnectRest.sleep(500);
        }
        return fail("no leader both workers agree on within 60 s: " + seen);
    }

    /** The leader's access log shows the create that the follower forwarded (Connect's {@code ?forward=true}). */
    private static void assertForwarded(ConnectWorker leader, ConnectWorker follower) {
        List<String> ips = follower.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .map(n -> n.getIpAddress()).filter(ip -> ip != null && !ip.isEmpty()).toList();
        Instant deadline = Instant.now().plusSeconds(10);
        String logs;
        while (true) {
            logs = leader.getLogs();
            for (String ip : ips) {
                if (Pattern.compile(Pattern.quote(ip) + " - - \\[[^]]+\\] \"POST /connectors\\?forward=true HTTP/1.1\" 201 "
                        + ".*\"kafka-connect\"").matcher(logs).find()) {
                    return;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                break;
            }
            ConnectRest.sleep(300);
        }
        fail("the leader's access log shows no POST /connectors?forward=true answered 201 from the follower ("
                + ips + "): " + logs.lines().filter(l -> l.contains("POST /connectors")).toList());
    }

    /** GETs a new connector's status until it is there (200), within 30 s; the last answer. */
    private Answer awaitStatus(HttpClient http, String url, String authorization) throws IOException {
        Instant deadline = Instant.now().plusSeconds(30);
        Answer last;
        while ((last = send(http, "GET", url, authorization, null)).status() == 404 && Instant.now().isBefore(deadline)) {
            ConnectRest.sleep(300);
        }
        return last;
    }

    /**
     * GET {@code url} with {@code ssl} as a peer worker calls (no host name check on the client), straight to the
     * container's address on the Docker network: status and body, or {@code refused} and the exception.
     */
    private static String[] byAddress(SSLContext ssl, String url) {
        try {
            javax.net.ssl.HttpsURLConnection c = (javax.net.ssl.HttpsURLConnection) URI.create(url).toURL().openConnection();
            c.setSSLSocketFactory(ssl.getSocketFactory());
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout(5000);
            c.setReadTimeout(20000);
            c.setRequestProperty("Accept", "application/json");
            int status = c.getResponseCode();
            var in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new String[] {String.valueOf(status), body.replaceAll("\\s+", " ")};
        } catch (IOException e) {
            return new String[] {"refused", e.toString()};
        }
    }

    private static String last(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /** The image's probe (live, ready), the ECS task definition's healthCheck command and Docker's health state. */
    private static void assertProbesPass(ConnectWorker w, List<String> secrets) throws Exception {
        for (String check : List.of("live", "ready")) {
            ExecResult r = w.execInContainer(PROBE[0], PROBE[1], check);
            assertThat(r.getExitCode()).as("probe %s: %s", check, r.getStdout()).isZero();
        }
        JsonNode taskDefinition = ConnectRest.JSON.readTree(Path.of("../../config/ecs/connect-task-definition.json").toFile());
        List<String> command = new ArrayList<>();
        taskDefinition.path("containerDefinitions").path(0).path("healthCheck").path("command")
                .forEach(n -> command.add(n.asText()));
        ExecResult ecs = w.execInContainer(command.subList(1, command.size()).toArray(String[]::new));
        assertThat(ecs.getExitCode()).as("task definition healthCheck: %s", ecs.getStdout()).isZero();
        var docker = DockerClientFactory.instance().client();
        Instant deadline = Instant.now().plusSeconds(30);
        HealthState health = null;
        while (Instant.now().isBefore(deadline)) {
            health = docker.inspectContainerCmd(w.getContainerId()).exec().getState().getHealth();
            if (health != null && "healthy".equals(health.getStatus())) {
                break;
            }
            ConnectRest.sleep(500);
        }
        assertThat(health).isNotNull();
        assertThat(health.getStatus()).as("Docker HEALTHCHECK: %s", health.getLog()).isEqualTo("healthy");
        assertThat(health.getFailingStreak()).isZero();
        String logs = w.getLogs();
        for (String secret : secrets) {
            assertThat(logs).as("the worker's log").doesNotContain(secret);
        }
    }

    private void assertHealthOpen(HttpClient http, String base) throws IOException {
        // the health extension's checks run on their own schedule: a worker that has just begun answering may still
        // be reported "starting" by /health/ready for a check interval; open means reachable without credentials
        Instant deadline = Instant.now().plusSeconds(60);
        Answer ready = send(http, "GET", base + "/health/ready", null, null);
        while (ready.status() == 503 && Instant.now().isBefore(deadline)) {
            ConnectRest.sleep(500);
            ready = send(http, "GET", base + "/health/ready", null, null);
        }
        for (String path : List.of("/health", "/health/live", "/health/ready")) {
            Answer health = send(http, "GET", base + path, null, null);
            assertThat(health.status()).as(path + " without credentials: " + health.body()).isEqualTo(200);
        }
    }

    private static void assertNoCredentialIn(List<String> bodies, String... credentials) {
        assertThat(bodies).isNotEmpty();
        for (String body : bodies) {
            for (String credential : credentials) {
                if (credential != null && !credential.isEmpty()) {
                    assertThat(body).as("a reply body").doesNotContain(credential);
                }
            }
        }
    }

    // ---------------------------------------------------------------- connectors

    /** A Debezium PostgreSQL connector on the class's database (nothing to snapshot). */
    private static Map<String, String> connector(String slot) {
        Map<String, String> c = new HashMap<>(CdcScenario.withJsonAndTopicCreation(
                PostgresCdcIT.postgresConnector(slot, slot, "public.orders")));
        c.put("database.hostname", PG_HOST);
        c.put("snapshot.mode", "no_data");
        return c;
    }

    private static String createBody(String name, Map<String, String> config) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        return ConnectRest.JSON.writeValueAsString(body);
    }

    // ---------------------------------------------------------------- HTTP

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        JsonNode json() throws IOException {
            return ConnectRest.JSON.readTree(body);
        }
    }

    private static HttpClient client(SSLContext ssl) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    private Answer send(HttpClient http, String method, String url, String authorization, String json)
            throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            r.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            bodies.add(response.body());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The status of a GET as text, or {@code refused: <exception>} when no HTTP answer came (handshake, reset). */
    private static String attempt(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return String.valueOf(response.statusCode());
        } catch (IOException e) {
            return "refused: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- credentials

    /** {@code echo -n PW | docker run --rm -i IMAGE hash-password USER}, as docs/security.md tells operators. */
    private static String hashWithTheImage(String user, String password) throws Exception {
        Path docker = onPath("docker").orElse(null);
        if (docker == null) {
            System.out.println("RestAuthIT: no docker CLI here; " + user + "'s entry is hashed by the test instead");
            return hashHere(user, password);
        }
        Process p = new ProcessBuilder(docker.toString(), "run", "--rm", "-i", "--network", "none",
                Images.connect().asCanonicalNameString(), "hash-password", user).redirectErrorStream(false).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(password.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("hash-password: %s %s", out, err).isZero();
        assertThat(out + err).doesNotContain(password);
        return out.lines().filter(l -> l.startsWith(user + ":pbkdf2-sha256:")).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("hash-password printed no entry: " + out));
    }

    /** The documented entry form, {@code USER:pbkdf2-sha256:ITERATIONS:SALT:HASH}, computed here. */
    private static String hashHere(String user, String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        int iterations = 100_000;
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        return user + ":pbkdf2-sha256:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    }

    /** The AWS CLI, or the test is skipped saying why. */
    private static Path awsCli() {
        Optional<Path> cli = AwsCliProcess.executable();
        if (cli.isEmpty()) {
            String reason = "the AWS CLI ('aws') is not on the PATH and AWS_CLI is not set (apt-get install awscli)";
            System.out.println("RestAuthIT: iam skipped: " + reason);
            Assumptions.abort(reason);
        }
        return cli.get();
    }

    /** {@code aws sts assume-role} against aws-local's mapped port, with its base key. */
    private static Credentials assumeRole(Path cli, String role, String session) throws Exception {
        String out = aws(cli, new Credentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null), Map.of(),
                "sts", "assume-role", "--endpoint-url", "http://" + aws.getHost() + ":" + aws.getMappedPort(4566),
                "--role-arn", role, "--role-session-name", session, "--output", "json");
        JsonNode c = ConnectRest.JSON.readTree(out).path("Credentials");
        return new Credentials(c.path("AccessKeyId").asText(), c.path("SecretAccessKey").asText(),
                c.path("SessionToken").asText());
    }

    /**
     * {@code aws eks get-token}: signed on this machine (no call to EKS or STS) for aws-local as the workers reach it,
     * {@code http://aws:4566}, which this host need not resolve; {@code AWS_ENDPOINT_URL_STS} points its STS client
     * there (it ignores --endpoint-url).
     */
    private static String eksToken(Path cli, Credentials credentials, String cluster) throws Exception {
        String token = aws(cli, credentials, Map.of("AWS_ENDPOINT_URL_STS", LocalAwsContainer.ENDPOINT_ON_STACK),
                "eks", "get-token", "--cluster-name", cluster, "--query", "status.token", "--output", "text").trim();
        assertThat(token).startsWith("k8s-aws-v1.");
        String url = new String(Base64.getUrlDecoder().decode(token.substring(11)), StandardCharsets.UTF_8);
        assertThat(url).startsWith(LocalAwsContainer.ENDPOINT_ON_STACK + "/?Action=GetCallerIdentity&");
        return token;
    }

    private static String signature(String token) {
        String url = new String(Base64.getUrlDecoder().decode(token.substring(11)), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("X-Amz-Signature=([0-9a-f]+)").matcher(url);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String aws(Path cli, Credentials c, Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", LocalAwsContainer.REGION,
                "AWS_DEFAULT_REGION", LocalAwsContainer.REGION, "AWS_ACCESS_KEY_ID", c.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", c.secretAccessKey()));
        if (c.sessionToken() != null) {
            env.put("AWS_SESSION_TOKEN", c.sessionToken());
        }
        env.putAll(extra);
        AwsCliProcess.Run run = AwsCliProcess.run(cli, List.of(args), env);
        assertThat(run.exit()).as("aws %s %s: %s", args[0], args[1], run.err()).isZero();
        return run.out();
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
