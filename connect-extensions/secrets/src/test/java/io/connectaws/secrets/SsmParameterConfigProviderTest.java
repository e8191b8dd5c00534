package io.connectaws.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.config.ConfigTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SsmParameterConfigProviderTest extends LocalAwsFixture {
    private SsmParameterConfigProvider provider;

    private Map<String, String> resolve(Map<String, String> config) {
        provider = new SsmParameterConfigProvider();
        provider.configure(params(), Map.of());
        return new ConfigTransformer(Map.of("ssm", provider)).transform(config).data();
    }

    @AfterEach
    void close() {
        if (provider != null) provider.close();
    }

    @Test
    void plainAndSecureStringsByNamePathAndArn() {
        aws.putParameter("/prod/orders/db-user", "cdc", false);
        aws.putParameter("/prod/orders/db-password", "ssm-pw-1", true);
        aws.putParameter("flat-name", "flat", false);
        Map<String, String> resolved = resolve(Map.of(
                "user", "${ssm:/prod/orders/db-user}",
                "password", "${ssm:/prod/orders/db-password}",
                "by.path", "${ssm:/prod/orders:db-password}",
                "by.arn", "${ssm:arn:aws:ssm:" + REGION + ":123456789012:parameter/prod/orders/db-password}",
                "flat", "${ssm:flat-name}"));
        assertThat(resolved).containsEntry("user", "cdc")
                .containsEntry("password", "ssm-pw-1") // decrypted
                .containsEntry("by.path", "ssm-pw-1")
                .containsEntry("by.arn", "ssm-pw-1")
                .containsEntry("flat", "flat");
        assertThat(aws.requests()).allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.service()).isEqualTo("ssm");
            assertThat(r.region()).isEqualTo(REGION);
        });
    }

    @Test
    void versionsAndLabels() {
        aws.putParameter("/app/token", "v1", true);
        aws.putParameter("/app/token", "v2", true);
        aws.labelParameterVersion("/app/token", 1, "stable");
        assertThat(resolve(Map.of(
                "latest", "${ssm:/app/token}",
                "v1", "${ssm:/app/token?version=1}",
                "stable", "${ssm:/app:token?label=stable}")))
                .containsEntry("latest", "v2").containsEntry("v1", "v1").containsEntry("stable", "v1");
    }

    @Test
    void getByPathReturnsTheLeaves() {
        aws.putParameter("/tenants/acme/host", "db.acme", false);
        aws.putParameter("/tenants/acme/password", "acme-pw", true);
        aws.putParameter("/tenants/acme/deeper/ignored", "x", false);
        provider = new SsmParameterConfigProvider();
        provider.configure(params(), Map.of());
        assertThat(provider.get("/tenants/acme").data())
                .containsExactlyInAnyOrderEntriesOf(Map.of("host", "db.acme", "password", "acme-pw"));
    }
}
