package io.connectaws.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.connectaws.it.aws.LocalAws;

class SecretsManagerConfigProviderTest extends LocalAwsFixture {
    private SecretsManagerConfigProvider provider;

    private SecretsManagerConfigProvider provider(String... extra) {
        provider = new SecretsManagerConfigProvider();
        provider.configure(params(extra), Map.of());
        return provider;
    }

    @AfterEach
    void close() {
        if (provider != null) provider.close();
    }

    /** Resolves {@code config} the way the worker does, with this provider named "secretsmanager". */
    private Map<String, String> resolve(Map<String, String> config) {
        return new ConfigTransformer(Map.of("secretsmanager", provider)).transform(config).data();
    }

    @Test
    void resolvesWholeValuesAndJsonKeysByNameAndByArn() {
        String arn = aws.createSecretString("prod/orders-db", "{\"username\":\"cdc\",\"password\":\"s3cr3t-1\",\"port\":5432,\"ssl\":true}");
        aws.createSecretString("plain-token", "t0ken-value");
        provider();
        Map<String, String> resolved = resolve(Map.of(
                "database.user", "${secretsmanager:prod/orders-db:username}",
                "database.password", "${secretsmanager:prod/orders-db:password}",
                "database.port", "${secretsmanager:prod/orders-db:port}",
                "ssl", "${secretsmanager:prod/orders-db:ssl}",
                "token", "${secretsmanager:plain-token}",
                "by.arn", "${secretsmanager:" + arn + ":password}",
                "whole.by.arn", "${secretsmanager:" + arn + "}",
                "embedded", "jdbc:postgresql://db/${secretsmanager:prod/orders-db:username}?x=1"));
        assertThat(resolved).containsEntry("database.user", "cdc")
                .containsEntry("database.password", "s3cr3t-1")
                .containsEntry("database.port", "5432")
                .containsEntry("ssl", "true")
                .containsEntry("token", "t0ken-value")
                .containsEntry("by.arn", "s3cr3t-1")
                .containsEntry("embedded", "jdbc:postgresql://db/cdc?x=1");
        assertThat(resolved.get("whole.by.arn")).startsWith("{\"username\":\"cdc\"");
        // one read per secret version, whatever the number of keys and forms (name and ARN are cached separately)
        assertThat(aws.count("secretsmanager.GetSecretValue")).isLessThanOrEqualTo(3);
    }

    @Test
    void everyRequestIsSignedForTheRegionAndServiceWithTheContainerCredentials() {
        aws.createSecretString("signed", "v");
        provider();
        resolve(Map.of("k", "${secretsmanager:signed}"));
        assertThat(aws.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.service()).isEqualTo("secretsmanager");
            assertThat(r.region()).isEqualTo(REGION);
            // the temporary key served by the container credentials endpoint, with its session token
            assertThat(r.accessKeyId()).isNotEqualTo(LocalAws.ACCESS_KEY_ID);
            assertThat(r.sessionToken()).isNotBlank();
        });
    }

    @Test
    void versionStagesAndVersionIds() {
        aws.createSecretString("rotating", "{\"password\":\"old-pw\"}");
        String newVersion = aws.putSecretString("rotating", "{\"password\":\"new-pw\"}");
        provider();
        assertThat(resolve(Map.of(
                "current", "${secretsmanager:rotating:password}",
                "previous", "${secretsmanager:rotating?versionStage=AWSPREVIOUS:password}",
                "option.on.key", "${secretsmanager:rotating:password?versionStage=AWSPREVIOUS}",
                "by.id", "${secretsmanager:rotating?versionId=" + newVersion + ":password}")))
                .containsEntry("current", "new-pw")
                .containsEntry("previous", "old-pw")
                .containsEntry("option.on.key", "old-pw")
                .containsEntry("by.id", "new-pw");
    }

    @Test
    void binarySecretsWholeAsBase64OrByKeyWhenJson() {
        byte[] keystore = {0, 1, 2, (byte) 0xff, 42};
        aws.createSecretBinary("keystore", keystore);
        aws.createSecretBinary("binary-json", "{\"password\":\"bin-pw\"}".getBytes(StandardCharsets.UTF_8));
        provider();
        Map<String, String> resolved = resolve(Map.of("ks", "${secretsmanager:keystore}", "pw", "${secretsmanager:binary-json:password}"));
        assertThat(Base64.getDecoder().decode(resolved.get("ks"))).isEqualTo(keystore);
        assertThat(resolved.get("pw")).isEqualTo("bin-pw");
    }

    @Test
    void twoHundredConnectorsReadOneSecretOncePerCachePeriod() throws Exception {
        aws.createSecretString("shared", "{\"password\":\"shared-pw\"}");
        provider("cache.ttl", "300ms");
        for (int connector = 0; connector < 200; connector++) {
            assertThat(resolve(Map.of("database.password", "${secretsmanager:shared:password}")))
                    .containsEntry("database.password", "shared-pw");
        }
        assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(1);
        Thread.sleep(400);
        resolve(Map.of("database.password", "${secretsmanager:shared:password}"));
        assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(2);
    }

    @Test
    void aSecondProviderConfiguredAlikeSharesTheCache() {
        aws.createSecretString("shared2", "x");
        provider();
        resolve(Map.of("a", "${secretsmanager:shared2}"));
        SecretsManagerConfigProvider other = new SecretsManagerConfigProvider();
        other.configure(params(), Map.of());
        try {
            assertThat(other.get("", Set.of("shared2")).data()).containsEntry("shared2", "x");
        } finally {
            other.close();
        }
        assertThat(aws.count("secretsmanager.GetSecretValue")).isEqualTo(1);
    }

    @Test
    void getWithoutKeysListsTheJsonKeys() {
        aws.createSecretString("all-keys", "{\"a\":\"1\",\"b\":\"2\"}");
        ConfigData data = provider().get("all-keys");
        assertThat(data.data()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    }

    @Test
    void assumesTheConfiguredRoleWithExternalIdAndSessionName() {
        String role = "arn:aws:iam::123456789012:role/cdc-secrets";
        aws.requireExternalId(role, "ext-123");
        aws.createSecretString("assumed", "via-role");
        provider("role.arn", role, "role.external.id", "ext-123", "role.session.name", "orders-cdc",
                "sts.endpoint", aws.endpoint().toString());
        assertThat(resolve(Map.of("k", "${secretsmanager:assumed}"))).containsEntry("k", "via-role");
        assertThat(aws.assumeRoleCalls()).hasSize(1).first().satisfies(call -> {
            assertThat(call).containsEntry("RoleArn", role).containsEntry("ExternalId", "ext-123")
                    .containsEntry("RoleSessionName", "orders-cdc");
        });
        LocalAws.RecordedRequest get = aws.requests().stream()
                .filter(r -> r.action().equals("secretsmanager.GetSecretValue")).findFirst().orElseThrow();
        assertThat(get.signatureValid()).isTrue();
        // signed with the assumed role's key, not the container's
        assertThat(aws.requests().stream().filter(r -> r.action().equals("sts.AssumeRole")).findFirst().orElseThrow().accessKeyId())
                .isNotEqualTo(get.accessKeyId());
    }

    @Test
    void aWrongExternalIdIsAnAccessDeniedNamingTheSecret() {
        String role = "arn:aws:iam::123456789012:role/strict";
        aws.requireExternalId(role, "right");
        aws.createSecretString("strict-secret", "v");
        provider("role.arn", role, "role.external.id", "wrong", "sts.endpoint", aws.endpoint().toString());
        assertThatThrownBy(() -> resolve(Map.of("k", "${secretsmanager:strict-secret}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("strict-secret");
    }

    @Test
    void anArnInAnotherRegionIsRefusedBeforeAnyCall() {
        provider();
        assertThatThrownBy(() -> resolve(Map.of("k", "${secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf:password}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("us-east-1").hasMessageContaining("param.region=us-east-1");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void withoutARegionTheWorkerStartsAndTheFirstLookupSaysWhatToSet() {
        SecretsManagerConfigProvider p = new SecretsManagerConfigProvider();
        Map<String, Object> noRegion = params();
        noRegion.remove("region");
        p.configure(noRegion, Map.of()); // no AWS_REGION in this environment map: must not throw
        try {
            assertThatThrownBy(() -> p.get("", Set.of("anything")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("AWS_REGION");
        } finally {
            p.close();
        }
        SecretsManagerConfigProvider fromEnv = new SecretsManagerConfigProvider();
        aws.createSecretString("env-region", "ok");
        fromEnv.configure(noRegion, Map.of("AWS_REGION", REGION));
        try {
            assertThat(fromEnv.get("", Set.of("env-region")).data()).containsEntry("env-region", "ok");
        } finally {
            fromEnv.close();
        }
    }

    @Test
    void badParametersAreNamed() {
        SecretsManagerConfigProvider p = new SecretsManagerConfigProvider();
        assertThatThrownBy(() -> p.configure(params("ttl", "five minutes"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter ttl").hasMessageContaining("5m");
        assertThatThrownBy(() -> p.configure(params("endpoint", "not a url"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("parameter endpoint");
        assertThatThrownBy(() -> p.configure(params("role.external.id", "x"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("role.arn");
    }
}
