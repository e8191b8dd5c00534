package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class SecretsManagerTest {
    private LocalAws aws;
    private SecretsManagerClient client;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "eu-west-1");
        client = Sdk.secretsManager(aws);
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    @Test
    void getsByNameFullArnPartialArnStageAndVersionId() {
        String arn = aws.createSecretString("db/password", "first");
        String second = aws.putSecretString("db/password", "second");
        assertThat(arn).matches("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db/password-[A-Za-z0-9]{6}");
        assertThat(aws.secretArn("db/password")).isEqualTo(arn);

        GetSecretValueResponse byName = client.getSecretValue(r -> r.secretId("db/password"));
        assertThat(byName.secretString()).isEqualTo("second");
        assertThat(byName.arn()).isEqualTo(arn);
        assertThat(byName.name()).isEqualTo("db/password");
        assertThat(byName.versionId()).isEqualTo(second);
        assertThat(byName.versionStages()).containsExactly("AWSCURRENT");
        assertThat(byName.createdDate()).isNotNull();

        assertThat(client.getSecretValue(r -> r.secretId(arn)).secretString()).isEqualTo("second");
        String partialArn = arn.substring(0, arn.length() - 7);
        assertThat(client.getSecretValue(r -> r.secretId(partialArn)).secretString()).isEqualTo("second");

        GetSecretValueResponse previous = client.getSecretValue(r -> r.secretId("db/password")
            .versionStage("AWSPREVIOUS"));
        assertThat(previous.secretString()).isEqualTo("first");
        assertThat(previous.versionStages()).containsExactly("AWSPREVIOUS");
        assertThat(client.getSecretValue(r -> r.secretId("db/password").versionId(previous.versionId()))
            .secretString()).isEqualTo("first");
        assertThat(client.getSecretValue(r -> r.secretId("db/password").versionId(second)).secretString())
            .isEqualTo("second");

        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("db/password").versionStage("AWSPENDING")))
            .isInstanceOf(ResourceNotFoundException.class);
        assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(7);
        assertThat(aws.requests()).allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.service()).isEqualTo("secretsmanager");
            assertThat(r.region()).isEqualTo("eu-west-1");
            assertThat(r.accessKeyId()).isEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(r.sessionToken()).isNull();
        });
    }

    @Test
    void unknownSecretIsResourceNotFound() {
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("nope")))
            .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Secrets Manager can't find the specified secret.");
            });
    }

    @Test
    void binarySecret() {
        byte[] value = {0, 1, 2, (byte) 0xff, 'x'};
        aws.createSecretBinary("tls/key", value);
        GetSecretValueResponse response = client.getSecretValue(r -> r.secretId("tls/key"));
        assertThat(response.secretString()).isNull();
        assertThat(response.secretBinary().asByteArray()).isEqualTo(value);
    }

    @Test
    void rotatesThroughTheSdk() {
        CreateSecretResponse created = client.createSecret(r -> r.name("app/token").secretString("one"));
        assertThat(created.arn()).startsWith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/token-");
        assertThatThrownBy(() -> client.createSecret(r -> r.name("app/token").secretString("x")))
            .isInstanceOf(ResourceExistsException.class);

        PutSecretValueResponse pending = client.putSecretValue(r -> r.secretId("app/token").secretString("two")
            .versionStages("AWSPENDING"));
        assertThat(pending.versionStages()).containsExactly("AWSPENDING");
        assertThat(client.getSecretValue(r -> r.secretId("app/token")).secretString()).isEqualTo("one");

        client.updateSecretVersionStage(r -> r.secretId("app/token").versionStage("AWSCURRENT")
            .moveToVersionId(pending.versionId()).removeFromVersionId(created.versionId()));
        assertThat(client.getSecretValue(r -> r.secretId("app/token")).secretString()).isEqualTo("two");
        assertThat(client.getSecretValue(r -> r.secretId("app/token").versionStage("AWSPREVIOUS")).secretString())
            .isEqualTo("one");

        client.putSecretValue(r -> r.secretId(created.arn())
            .secretBinary(SdkBytes.fromString("three", StandardCharsets.UTF_8)));
        GetSecretValueResponse current = client.getSecretValue(r -> r.secretId("app/token"));
        assertThat(current.secretBinary().asUtf8String()).isEqualTo("three");
        assertThat(client.getSecretValue(r -> r.secretId("app/token").versionStage("AWSPREVIOUS")).secretString())
            .isEqualTo("two");
    }

    @Test
    void deniedSecretIsAccessDenied() {
        aws.createSecretString("locked", "x");
        aws.denyAccess("locked");
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId(aws.secretArn("locked"))))
            .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.getMessage()).contains("not authorized to perform: secretsmanager:GetSecretValue");
            });
        aws.allowAccess("locked");
        assertThat(client.getSecretValue(r -> r.secretId("locked")).secretString()).isEqualTo("x");
    }
}
