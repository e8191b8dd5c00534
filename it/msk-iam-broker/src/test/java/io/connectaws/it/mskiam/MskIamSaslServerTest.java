package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.connectaws.it.aws.LocalAws;
import io.connectaws.it.aws.MskIamApi;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.internals.SecurityManagerCompatibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.msk.auth.iam.IAMClientCallbackHandler;
import software.amazon.msk.auth.iam.IAMLoginModule;

/**
 * The SASL exchange between the real aws-msk-iam-auth client (IAMLoginModule, IAMClientCallbackHandler, IAMSaslClient,
 * created the way Kafka's SaslClientAuthenticator creates them) and {@link MskIamSaslServer} (created the way Kafka's
 * SaslServerAuthenticator does: inside callAs of the listener login's Subject), verified by an in-process
 * {@link LocalAws}. The client resolves credentials and region through its default chains, set per test with the
 * SDK's system properties.
 */
class MskIamSaslServerTest {
    private static final String REGION = "eu-west-1";
    private static final String ROLE = "arn:aws:iam::123456789012:role/msk-client";
    private static final List<String> PROPERTIES = List.of("aws.region", "aws.accessKeyId", "aws.secretAccessKey",
        "aws.sessionToken", "aws.sharedCredentialsFile", "aws.configFile", "aws.containerCredentialsFullUri");

    private LocalAws aws;

    @BeforeEach
    void start(@TempDir Path empty) {
        aws = LocalAws.start(0, REGION);
        // no profile files: the client's chain must take what each test sets
        System.setProperty("aws.sharedCredentialsFile", empty.resolve("credentials").toString());
        System.setProperty("aws.configFile", empty.resolve("config").toString());
        System.setProperty("aws.region", REGION);
    }

    @AfterEach
    void stop() {
        aws.close();
        PROPERTIES.forEach(System::clearProperty);
    }

    private static void clientCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
        if (sessionToken != null) {
            System.setProperty("aws.sessionToken", sessionToken);
        }
    }

    private String verifierUrl() {
        return aws.endpoint() + MskIamApi.AUTHENTICATE_PATH;
    }

    /** The broker's SASL server for a listener whose JAAS options are {@code options}. */
    private static SaslServer brokerSaslServer(Map<String, String> options) {
        Subject subject = new Subject();
        new MskIamLoginModule().initialize(subject, null, Map.of(), options);
        return SecurityManagerCompatibility.get().callAs(subject,
            () -> Sasl.createSaslServer(MskIamSaslServer.MECHANISM, "kafka", "172.17.0.2", Map.of(), null));
    }

    /**
     * One authentication of the real client connecting to {@code clientHost} against a listener known as
     * {@code serverName}: returns the broker's authorization id; the server's rejection propagates.
     */
    private String authenticate(String clientHost, String serverName) throws SaslException {
        return authenticate(clientHost, Map.of("verifierUrl", verifierUrl(), "serverName", serverName));
    }

    private String authenticate(String clientHost, Map<String, String> brokerOptions) throws SaslException {
        new IAMLoginModule(); // its class initialisation registers the client's SASL provider, as in a Kafka client
        IAMClientCallbackHandler callbacks = new IAMClientCallbackHandler();
        callbacks.configure(Map.of(), IAMLoginModule.MECHANISM, List.of(new AppConfigurationEntry(
            IAMLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())));
        SaslClient client = Sasl.createSaslClient(new String[] {IAMLoginModule.MECHANISM}, null, "kafka", clientHost,
            Map.of(), callbacks);
        SaslServer server = brokerSaslServer(brokerOptions);

        byte[] first = client.evaluateChallenge(new byte[0]);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("\"action\":\"kafka-cluster:Connect\"");
        byte[] answer = server.evaluateResponse(first);
        assertThat(server.isComplete()).isTrue();
        assertThat(new String(answer, StandardCharsets.UTF_8)).contains("\"version\":\"2020_10_22\"");
        assertThat(client.evaluateChallenge(answer)).isNull();
        assertThat(client.isComplete()).isTrue();
        return server.getAuthorizationID();
    }

    private Credentials assumeRole(String sessionName) {
        try (StsClient sts = StsClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
            return sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName(sessionName)).credentials();
        }
    }

    @Test
    void baseCredentialsAreAcceptedAsTheirPrincipal() throws Exception {
        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
        assertThat(authenticate("msk", "msk")).isEqualTo("arn:aws:iam::123456789012:user/local-test");
        assertThat(aws.mskIam().authentications()).singleElement().satisfies(a -> {
            assertThat(a.accepted()).isTrue();
            assertThat(a.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(a.serverName()).isEqualTo("msk");
        });
    }

    @Test
    void assumedRoleCredentialsAreAcceptedAsTheRoleSession() throws Exception {
        Credentials role = assumeRole("connect-task-1");
        clientCredentials(role.accessKeyId(), role.secretAccessKey(), role.sessionToken());
        assertThat(authenticate("msk", "msk"))
            .isEqualTo("arn:aws:sts::123456789012:assumed-role/msk-client/connect-task-1");
        assertThat(aws.mskIam().authentications()).singleElement().satisfies(a -> {
            assertThat(a.accessKeyId()).isEqualTo(role.accessKeyId());
            assertThat(a.sessionName()).isEqualTo("connect-task-1");
        });
    }

    @Test
    void ecsContainerCredentialsAreAcceptedAsTheTaskRole() throws Exception {
        // what a worker on ECS does: no keys configured, the client's chain reaches the container credentials endpoint
        System.setProperty("aws.containerCredentialsFullUri", aws.endpoint() + aws.containerCredentialsPath());
        assertThat(authenticate("msk", "msk")).startsWith("arn:aws:sts::123456789012:assumed-role/local-task-role/");
    }

    @Test
    void wrongSecretKeyIsRejectedWithTheReason() {
        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY.replace('0', '9'), null);
        assertThatThrownBy(() -> authenticate("msk", "msk"))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessage("Access denied: The request signature we calculated does not match the signature you "
                + "provided. Check your AWS Secret Access Key and signing method. (test MSK IAM)");
        assertThat(aws.mskIam().authentications()).singleElement().satisfies(a -> {
            assertThat(a.accepted()).isFalse();
            assertThat(a.principal()).isNull();
        });
    }

    @Test
    void forgedSessionTokenIsRejected() {
        Credentials role = assumeRole("connect-task-2");
        clientCredentials(role.accessKeyId(), role.secretAccessKey(), role.sessionToken() + "x");
        assertThatThrownBy(() -> authenticate("msk", "msk"))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessageStartingWith("Access denied: The security token included in the request is invalid");
    }

    @Test
    void otherRegionIsRejected() {
        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
        System.setProperty("aws.region", "us-east-1");
        assertThatThrownBy(() -> authenticate("msk", "msk"))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessage("Access denied: Credential should be scoped to the cluster's region 'eu-west-1', not "
                + "'us-east-1' (test MSK IAM)");
    }

    @Test
    void signatureForAnotherHostIsRejected() {
        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
        assertThatThrownBy(() -> authenticate("localhost", "msk"))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessage("Access denied: Signed host 'localhost' is not the broker's host name 'msk' (test MSK IAM)");
    }

    @Test
    void deniedPrincipalIsRejectedOthersAreNot() throws Exception {
        aws.mskIam().denyPrincipals(".*:assumed-role/msk-client/.*");
        Credentials role = assumeRole("connect-task-3");
        clientCredentials(role.accessKeyId(), role.secretAccessKey(), role.sessionToken());
        assertThatThrownBy(() -> authenticate("msk", "msk"))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessageContaining("is not authorized to perform: kafka-cluster:Connect");
        assertThat(aws.mskIam().authentications()).singleElement().satisfies(a -> {
            assertThat(a.accepted()).isFalse();
            assertThat(a.sessionName()).isEqualTo("connect-task-3");
        });

        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
        System.clearProperty("aws.sessionToken");
        assertThat(authenticate("msk", "msk")).isEqualTo("arn:aws:iam::123456789012:user/local-test");

        aws.mskIam().allowAllPrincipals();
        clientCredentials(role.accessKeyId(), role.secretAccessKey(), role.sessionToken());
        assertThat(authenticate("msk", "msk")).endsWith("/connect-task-3");
    }

    @Test
    void unreachableVerifierFailsAuthentication() {
        clientCredentials(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, null);
        String closed = "http://localhost:" + aws.port() + "/";
        aws.close();
        assertThatThrownBy(() -> authenticate("msk", Map.of("verifierUrl", closed + "_local/msk-iam/authenticate",
            "serverName", "msk")))
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessageStartingWith("Authentication failed: the IAM verifier is unreachable");
    }

    @Test
    void serverNeedsTheLoginModuleOptions() {
        MskIamSaslServerProvider.initialize();
        assertThatThrownBy(() -> Sasl.createSaslServer(MskIamSaslServer.MECHANISM, "kafka", "h", Map.of(), null))
            .isInstanceOf(SaslException.class)
            .hasMessageContaining("MskIamLoginModule options");
        assertThatThrownBy(() -> new MskIamLoginModule().initialize(new Subject(), null, Map.of(), Map.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("verifierUrl");
        assertThat(URI.create(verifierUrl()).getPath()).isEqualTo("/_local/msk-iam/authenticate");
    }
}
