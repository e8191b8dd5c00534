package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ProviderReferenceExtensionTest {

    private static final Set<String> IMAGE = Set.of("secretsmanager", "ssm");

    @Test
    void anEnvReferenceOnAWorkerWithoutTheEnvProviderIsRefusedNamingBothFixes() {
        String refusal = ProviderReferenceExtension.refusal(Map.of("connector.class", "x",
                "database.password", "${env:DATABASE_PASSWORD}"), IMAGE);
        assertThat(refusal)
                .startsWith("database.password references config provider 'env', which this worker does not configure "
                        + "(it has secretsmanager, ssm)")
                .contains("${secretsmanager:NAME:KEY}")
                .contains("CONNECT_AWS_ENV_SECRETS=DATABASE_PASSWORD");
    }

    @Test
    void anyOtherUnknownProviderIsRefusedNamingHowToConfigureIt() {
        assertThat(ProviderReferenceExtension.refusal(Map.of("database.user", "${vault:secret/db:user}"), IMAGE))
                .contains("'vault'").contains("CONNECT_CONFIG_PROVIDERS").contains("CONNECT_CONFIG_PROVIDERS_VAULT_CLASS");
        assertThat(ProviderReferenceExtension.refusal(Map.of("x", "${file:/run/secrets/db.properties:password}"), Set.of()))
                .contains("(it has none)");
    }

    @Test
    void referencesToConfiguredProvidersAndPlainTextPass() {
        assertThat(ProviderReferenceExtension.refusal(Map.of(
                "database.password", "${secretsmanager:rds/pg:password}",
                "database.user", "${ssm:/shop/db-user}",
                "transforms.route.replacement", "$1-${topic}",
                "plain", "dollar $ and {braces}"), IMAGE)).isNull();
        assertThat(ProviderReferenceExtension.refusal(Map.of("database.password", "${env:DB_PASSWORD}"),
                Set.of("secretsmanager", "ssm", "env"))).isNull();
    }

    @Test
    void theProvidersAreReadFromWhatConnectHandsRestExtensions() {
        // Connect configures REST extensions with WorkerConfig.originals(), which drops config.providers (every
        // ${secretsmanager:...} connector was refused with "it has none" before)
        Map<String, String> worker = new java.util.HashMap<>(Map.of("bootstrap.servers", "kafka:9092", "group.id", "g",
                "config.storage.topic", "g-configs", "offset.storage.topic", "g-offsets", "status.storage.topic", "g-status",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter"));
        worker.put("config.providers", "secretsmanager,env");
        worker.put("config.providers.secretsmanager.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        worker.put("config.providers.secretsmanager.param.ttl", "5m");
        worker.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        Map<String, Object> originals = new org.apache.kafka.connect.runtime.distributed.DistributedConfig(worker).originals();
        ProviderReferenceExtension extension = new ProviderReferenceExtension();
        extension.configure(originals);
        assertThat(extension.providers()).containsExactlyInAnyOrder("secretsmanager", "env");
    }

    @Test
    void theProvidersAreTheWorkersOwn() {
        ProviderReferenceExtension extension = new ProviderReferenceExtension();
        extension.configure(Map.of("config.providers", "secretsmanager, ssm,env"));
        assertThat(extension.providers()).containsExactlyInAnyOrder("secretsmanager", "ssm", "env");
    }
}
