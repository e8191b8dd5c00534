package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaAuthTest {

    private static final String MSK = "b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,"
            + "b-2.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098";

    private static KafkaAuth auth(String bootstrap, String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return KafkaAuth.fromEnvironment(env, bootstrap, "orders-cdc");
    }

    @Test
    void iamWithTheTaskRoleNeedsNoOptions() {
        KafkaAuth auth = auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam");
        assertThat(auth.clientSettings()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }

    @Test
    void iamWithARoleGetsAStableSessionName() {
        KafkaAuth auth = auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "IAM",
                "CONNECT_AWS_KAFKA_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/msk-writer",
                "CONNECT_AWS_KAFKA_IAM_STS_REGION", "eu-west-1");
        assertThat(auth.clientSettings().get("sasl.jaas.config")).isEqualTo(
                "software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn=\"arn:aws:iam::123456789012:role/msk-writer\""
                        + " awsRoleSessionName=\"connect-orders-cdc\" awsStsRegion=\"eu-west-1\";");
        assertThat(auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam",
                "CONNECT_AWS_KAFKA_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/msk-writer",
                "CONNECT_AWS_KAFKA_IAM_SESSION_NAME", "blue").clientSettings().get("sasl.jaas.config"))
                .contains("awsRoleSessionName=\"blue\"");
        assertThat(KafkaAuth.defaultSessionName("a group/with spaces" + "x".repeat(80))).hasSize(64).matches("[\\w+=,.@-]+");
    }

    @Test
    void iamOffMskNeedsARegionAndMayDropTlsForALocalBroker() {
        assertThatThrownBy(() -> auth("kafka:9098", "CONNECT_AWS_KAFKA_AUTH", "iam"))
                .isInstanceOf(LauncherException.class).hasMessageContaining("set AWS_REGION");
        KafkaAuth local = auth("kafka:9098", "CONNECT_AWS_KAFKA_AUTH", "iam", "AWS_REGION", "eu-west-1",
                "CONNECT_AWS_KAFKA_TLS", "false");
        assertThat(local.clientSettings()).containsEntry("security.protocol", "SASL_PLAINTEXT");
    }

    @Test
    void scramTakesThePasswordOnlyAsAReference() {
        KafkaAuth scram = auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "scram", "CONNECT_AWS_KAFKA_SCRAM_USERNAME", "connect",
                "CONNECT_AWS_KAFKA_SCRAM_PASSWORD", "${secretsmanager:AmazonMSK_connect:password}");
        assertThat(scram.clientSettings())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"connect\" password=\"${secretsmanager:AmazonMSK_connect:password}\";");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "scram", "CONNECT_AWS_KAFKA_SCRAM_USERNAME", "connect",
                "CONNECT_AWS_KAFKA_SCRAM_PASSWORD", "hunter2"))
                .hasMessageContaining("CONNECT_AWS_KAFKA_SCRAM_PASSWORD must be a config provider reference")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "scram", "CONNECT_AWS_KAFKA_SCRAM_USERNAME", "connect"))
                .hasMessageContaining("CONNECT_AWS_KAFKA_SCRAM_PASSWORD is not set");
    }

    @Test
    void plaintextAndTls() {
        assertThat(auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "tls").clientSettings()).isEqualTo(Map.of("security.protocol", "SSL"));
        assertThat(auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "plaintext").clientSettings()).isEqualTo(Map.of("security.protocol", "PLAINTEXT"));
        assertThat(auth(MSK).clientSettings()).isEmpty();
        assertThat(auth(MSK).mode()).isNull();
    }

    @Test
    void mistakesNameTheVariable() {
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "sasl"))
                .hasMessage("CONNECT_AWS_KAFKA_AUTH=sasl is not a Kafka auth mode: use plaintext, tls, scram "
                        + "(SASL/SCRAM, password from a config provider) or iam (Amazon MSK IAM)");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/x"))
                .hasMessageStartingWith("CONNECT_AWS_KAFKA_IAM_ROLE_ARN is set but CONNECT_AWS_KAFKA_AUTH is not: set CONNECT_AWS_KAFKA_AUTH=iam");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_AWS_KAFKA_IAM_ROLE_ARN", "msk-writer"))
                .hasMessageContaining("is not an IAM role ARN");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_AWS_KAFKA_IAM_SESSION_NAME", "s1"))
                .hasMessageContaining("applies only together with CONNECT_AWS_KAFKA_IAM_ROLE_ARN");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_AWS_KAFKA_SCRAM_USERNAME", "u"))
                .hasMessageContaining("CONNECT_AWS_KAFKA_SCRAM_USERNAME does not apply to CONNECT_AWS_KAFKA_AUTH=iam");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "tls", "CONNECT_AWS_KAFKA_TLS", "false"))
                .hasMessageContaining("CONNECT_AWS_KAFKA_TLS applies to scram and iam only");
        assertThatThrownBy(() -> auth(MSK, "CONNECT_AWS_KAFKA_AUTH", "iam", "CONNECT_AWS_KAFKA_TLS", "no"))
                .hasMessageContaining("CONNECT_AWS_KAFKA_TLS=no is not true or false");
    }
}
