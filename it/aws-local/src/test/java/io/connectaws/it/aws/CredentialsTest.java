package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

class CredentialsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/connect-secrets";
    private LocalAws aws;
    private StsClient sts;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "eu-central-1");
        aws.createSecretString("db/password", "s3cret");
        sts = Sdk.sts(aws, Sdk.base());
    }

    @AfterEach
    void stop() {
        sts.close();
        aws.close();
        System.clearProperty("aws.containerCredentialsFullUri");
        System.clearProperty("aws.containerAuthorizationToken");
    }

    @Test
    void assumedRoleCredentialsAreAccepted() {
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("connect-1")
            .externalId("ext-1"));
        Credentials c = assumed.credentials();
        assertThat(c.accessKeyId()).startsWith("ASIA");
        assertThat(c.expiration()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(assumed.assumedRoleUser().arn())
            .isEqualTo("arn:aws:sts::123456789012:assumed-role/connect-secrets/connect-1");
        assertThat(aws.assumeRoleCalls()).singleElement().satisfies(call -> {
            assertThat(call).containsEntry("RoleArn", ROLE).containsEntry("RoleSessionName", "connect-1")
                .containsEntry("ExternalId", "ext-1");
        });

        AwsSessionCredentials session = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
            c.sessionToken());
        try (SecretsManagerClient sm = Sdk.secretsManager(aws, StaticCredentialsProvider.create(session),
            aws.region(), UrlConnectionHttpClient.create())) {
            assertThat(sm.getSecretValue(r -> r.secretId("db/password")).secretString()).isEqualTo("s3cret");
        }
        LocalAws.RecordedRequest last = aws.requests().get(aws.requests().size() - 1);
        assertThat(last.action()).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(last.accessKeyId()).isEqualTo(c.accessKeyId());
        assertThat(last.sessionToken()).isEqualTo(c.sessionToken());
        assertThat(last.signatureValid()).isTrue();
        assertThat(aws.count("sts.AssumeRole")).isEqualTo(1);

        try (StsClient asRole = Sdk.sts(aws, StaticCredentialsProvider.create(session))) {
            assertThat(asRole.getCallerIdentity().arn()).isEqualTo(assumed.assumedRoleUser().arn());
        }

        // the same key with another session token is not accepted
        AwsSessionCredentials forged = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
            c.sessionToken() + "x");
        try (SecretsManagerClient sm = Sdk.secretsManager(aws, StaticCredentialsProvider.create(forged),
            aws.region(), UrlConnectionHttpClient.create())) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e ->
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void stsAssumeRoleCredentialsProviderAndExternalId() {
        aws.requireExternalId(ROLE, "expected");
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("s1").externalId("wrong")))
            .isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
        try (StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(ROLE).roleSessionName("provider").externalId("expected")).build();
             SecretsManagerClient sm = Sdk.secretsManager(aws, provider, aws.region(),
                 UrlConnectionHttpClient.create())) {
            assertThat(sm.getSecretValue(r -> r.secretId("db/password")).secretString()).isEqualTo("s3cret");
        }
        assertThat(aws.assumeRoleCalls()).extracting(m -> m.get("ExternalId")).containsExactly("wrong", "expected");
    }

    @Test
    void containerCredentialsEndpoint() {
        System.setProperty("aws.containerCredentialsFullUri",
            "http://localhost:" + aws.port() + aws.containerCredentialsPath());
        aws.requireContainerAuthorizationToken("task-token");
        System.setProperty("aws.containerAuthorizationToken", "task-token");
        try (ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder().build();
             SecretsManagerClient sm = Sdk.secretsManager(aws, provider, aws.region(),
                 UrlConnectionHttpClient.create())) {
            AwsCredentials credentials = provider.resolveCredentials();
            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(credentials.accessKeyId()).startsWith("ASIA");
            assertThat(credentials.expirationTime()).hasValueSatisfying(
                t -> assertThat(t).isAfter(Instant.now().plus(Duration.ofMinutes(50))));
            assertThat(sm.getSecretValue(r -> r.secretId("db/password")).secretString()).isEqualTo("s3cret");
            assertThat(aws.requests()).singleElement().satisfies(r -> {
                assertThat(r.accessKeyId()).isEqualTo(credentials.accessKeyId());
                assertThat(r.sessionToken()).isEqualTo(((AwsSessionCredentials) credentials).sessionToken());
            });
        }

        System.setProperty("aws.containerAuthorizationToken", "wrong-token");
        try (ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder().build()) {
            assertThatThrownBy(provider::resolveCredentials).isInstanceOf(SdkClientException.class);
        }
    }
}
