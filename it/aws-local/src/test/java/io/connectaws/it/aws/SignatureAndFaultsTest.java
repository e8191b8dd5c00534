package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ThrottlingException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

class SignatureAndFaultsTest {
    private LocalAws aws;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "us-east-1");
        aws.createSecretString("db/password", "s3cret");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private SecretsManagerClient client(String accessKey, String secretKey, String region) {
        return Sdk.secretsManager(aws,
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), region,
            UrlConnectionHttpClient.create());
    }

    @Test
    void wrongSecretKeyIsInvalidSignature() {
        try (SecretsManagerClient sm = client(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY + "x", "us-east-1")) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("The request signature we calculated does not match");
                });
        }
        // not retried: the answer's Date header shows no clock skew, so the SDK takes it as final
        assertThat(aws.requests()).singleElement().satisfies(r -> {
            assertThat(r.signatureValid()).isFalse();
            assertThat(r.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
        });
    }

    @Test
    void anotherRegionIsRejected() {
        try (SecretsManagerClient sm = client(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY, "eu-west-1")) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Credential should be scoped to a valid region.");
                });
        }
        assertThat(aws.requests()).first().satisfies(r -> {
            assertThat(r.region()).isEqualTo("eu-west-1");
            assertThat(r.signatureValid()).isFalse();
        });
    }

    @Test
    void unknownKeyAndUnsignedRequestsAreRejected() {
        try (SecretsManagerClient sm = client("AKIAUNKNOWNKEY000000", "whatever", "us-east-1")) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(
                    e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
        try (SecretsManagerClient sm = Sdk.secretsManager(aws, AnonymousCredentialsProvider.create(), "us-east-1",
            UrlConnectionHttpClient.create())) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(
                    e.awsErrorDetails().errorCode()).isEqualTo("MissingAuthenticationTokenException"));
        }
        try (StsClient sts = Sdk.sts(aws, StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, "wrong")))) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/r")
                .roleSessionName("s1")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                });
        }
        assertThat(aws.assumeRoleCalls()).isEmpty();
    }

    @Test
    void bodyChangedAfterSigningIsRejected() {
        // Same length, so only the payload hash can tell: without verification this would be ResourceNotFound.
        try (SecretsManagerClient sm = Sdk.secretsManager(aws, Sdk.base(), "us-east-1",
            Sdk.tamperingBody(body -> body.replace("db/passwore", "db/password")))) {
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/passwore")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(
                    e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
        try (SecretsManagerClient sm = Sdk.secretsManager(aws, Sdk.base(), "us-east-1",
            Sdk.tamperingBody(body -> body))) {
            assertThat(sm.getSecretValue(r -> r.secretId("db/password")).secretString()).isEqualTo("s3cret");
        }
    }

    @Test
    void throttlingIsRetriedThenSurfaces() {
        try (SecretsManagerClient sm = Sdk.secretsManager(aws)) {
            aws.throttleNext(Sdk.MAX_ATTEMPTS - 1);
            assertThat(sm.getSecretValue(r -> r.secretId("db/password")).secretString()).isEqualTo("s3cret");
            assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(Sdk.MAX_ATTEMPTS);

            aws.clearRequests();
            aws.throttleNext(100);
            assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("db/password")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
            assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(Sdk.MAX_ATTEMPTS);
        }
        aws.putParameter("/p", "v", false);
        try (SsmClient ssm = Sdk.ssm(aws)) {
            assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/p"))).isInstanceOf(ThrottlingException.class);
            assertThat(aws.count("AmazonSSM.GetParameter")).isEqualTo(Sdk.MAX_ATTEMPTS);
        }
        try (StsClient sts = Sdk.sts(aws, Sdk.base())) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            });
            aws.throttleNext(0);
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/local-test");
        }
    }
}
