package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigurationTest {

    private static Properties profile(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void environmentOverlaysTheProfile() {
        WorkerConfiguration c = WorkerConfiguration.build(
                profile("group.id", "connect-cluster", "plugin.discovery", "service_load", "bootstrap.servers", "a:9092"),
                Map.of("CONNECT_GROUP_ID", "orders", "BOOTSTRAP_SERVERS", "b:9092"),
                () -> "10.1.2.3");
        assertThat(c.properties())
                .containsEntry("group.id", "orders")
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("plugin.discovery", "service_load")
                .containsEntry("rest.advertised.host.name", "10.1.2.3");
    }

    @Test
    void anAdvertisedHostFromTheEnvironmentIsKept() {
        WorkerConfiguration c = WorkerConfiguration.build(profile(),
                Map.of("BOOTSTRAP_SERVERS", "b:9092", "CONNECT_REST_ADVERTISED_HOST_NAME", "worker-1"),
                () -> { throw new AssertionError("must not look up the local address"); });
        assertThat(c.properties()).containsEntry("rest.advertised.host.name", "worker-1");
    }

    @Test
    void missingBootstrapServersNamesTheVariableToSet() {
        assertThatThrownBy(() -> WorkerConfiguration.build(profile("group.id", "g"), Map.of("BOOTSTRAP_SERVERS", "  "), () -> "h"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("BOOTSTRAP_SERVERS")
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void missingProfileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> WorkerConfiguration.loadProfile(missing))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("CONNECT_AWS_WORKER_PROFILE");
    }

    @Test
    void profileIsReadFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.properties");
        Files.writeString(file, "# comment\ngroup.id = g1\n");
        assertThat(WorkerConfiguration.loadProfile(file).getProperty("group.id")).isEqualTo("g1");
    }

    @Test
    void describeMasksSecretLikeValuesOnly() {
        WorkerConfiguration c = WorkerConfiguration.build(profile(),
                Map.of("BOOTSTRAP_SERVERS", "b:9092",
                        "CONNECT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";",
                        "CONNECT_PRODUCER_SSL_KEY_PASSWORD", "hunter3",
                        "CONNECT_SSL_TRUSTSTORE_PASSWORD", "hunter4",
                        "CONNECT_KEY_CONVERTER", "org.apache.kafka.connect.json.JsonConverter",
                        "CONNECT_CONFIG_PROVIDERS_SECRETSMANAGER_PARAM_ENDPOINT", "http://vpce",
                        "CONNECT_CONFIG_PROVIDERS_VAULT_PARAM_TOKEN", "hunter5"),
                () -> "h");
        String described = c.describe();
        assertThat(described)
                .doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("hunter4").doesNotContain("hunter5")
                .contains("config.providers.secretsmanager.param.endpoint=http://vpce")
                .contains("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=********;")
                .contains("key.converter=org.apache.kafka.connect.json.JsonConverter")
                .contains("bootstrap.servers=b:9092");
    }

    @Test
    void builtInFileAndEnvProvidersNeedTheirRestriction() {
        Map<String, String> env = Map.of("BOOTSTRAP_SERVERS", "b:9092",
                "CONNECT_CONFIG_PROVIDERS", "file,env",
                "CONNECT_CONFIG_PROVIDERS_FILE_CLASS", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN", "^DB_.*");
        assertThatThrownBy(() -> WorkerConfiguration.build(profile(), env, () -> "h"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("config provider 'file'")
                .hasMessageContaining("CONNECT_CONFIG_PROVIDERS_FILE_PARAM_ALLOWED_PATHS");

        Map<String, String> restricted = new java.util.HashMap<>(env);
        restricted.put("CONNECT_CONFIG_PROVIDERS_FILE_PARAM_ALLOWED_PATHS", "/run/secrets");
        assertThat(WorkerConfiguration.build(profile(), restricted, () -> "h").properties())
                .containsEntry("config.providers.file.param.allowed.paths", "/run/secrets");

        Map<String, String> envOnly = new java.util.HashMap<>(restricted);
        envOnly.remove("CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN");
        assertThatThrownBy(() -> WorkerConfiguration.build(profile(), envOnly, () -> "h"))
                .hasMessageContaining("CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN");
    }

    @Test
    void variableForInvertsTheMapping() {
        for (String property : new String[] {"config.providers.file.param.allowed.paths", "some_odd-key.name", "group.id"}) {
            assertThat(EnvironmentMapping.propertyName(EnvironmentMapping.variableFor(property))).contains(property);
        }
    }

    @Test
    void declarationsSettingsAreCheckedBeforeConnectStarts() {
        assertThatThrownBy(() -> WorkerConfiguration.build(profile(), Map.of("BOOTSTRAP_SERVERS", "k:9092",
                "CONNECT_DECLARATIONS_SSM_PATH", "connect/tenants"), () -> "h"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("declarations.ssm.path").hasMessageContaining("starts with '/'")
                .hasMessageContaining("(CONNECT_DECLARATIONS_SSM_PATH)");
        assertThatThrownBy(() -> WorkerConfiguration.build(profile(), Map.of("BOOTSTRAP_SERVERS", "k:9092",
                "CONNECT_DECLARATIONS_PURGE", "maybe"), () -> "h"))
                .isInstanceOf(LauncherException.class).hasMessageContaining("(CONNECT_DECLARATIONS_PURGE)");
    }

    private static final Properties IMAGE = profile("group.id", "connect-cluster", "plugin.path", "/opt/connect/plugins",
            "config.providers", "secretsmanager,ssm",
            "config.providers.secretsmanager.class", "io.connectaws.secrets.SecretsManagerConfigProvider",
            "config.providers.ssm.class", "io.connectaws.secrets.SsmParameterConfigProvider");

    private static WorkerConfiguration image(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("BOOTSTRAP_SERVERS", "b:9092");
        return WorkerConfiguration.build(IMAGE, all, new WorkerConfiguration.Surroundings() {
            @Override
            public String localAddress() {
                return "10.0.0.1";
            }

            @Override
            public boolean isDirectory(String path) {
                return path.startsWith("/opt/");
            }
        });
    }

    @Test
    void storageTopicsAreNamedAfterTheGroupUnlessSet() {
        assertThat(image(Map.of("GROUP_ID", "orders")).properties())
                .containsEntry("config.storage.topic", "orders-configs")
                .containsEntry("offset.storage.topic", "orders-offsets")
                .containsEntry("status.storage.topic", "orders-status");
        assertThat(image(Map.of()).properties()).containsEntry("config.storage.topic", "connect-cluster-configs");
        WorkerConfiguration explicit = image(Map.of("GROUP_ID", "1", "CONFIG_STORAGE_TOPIC", "my_connect_configs",
                "CONNECT_OFFSET_STORAGE_TOPIC", "my_connect_offsets"));
        assertThat(explicit.properties())
                .containsEntry("config.storage.topic", "my_connect_configs")
                .containsEntry("offset.storage.topic", "my_connect_offsets")
                .containsEntry("status.storage.topic", "1-status");
        assertThat(explicit.origin("status.storage.topic")).contains("GROUP_ID");
    }

    @Test
    void oneTopicForTwoStoresIsRefused() {
        assertThatThrownBy(() -> image(Map.of("CONFIG_STORAGE_TOPIC", "t", "STATUS_STORAGE_TOPIC", "t")))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("CONFIG_STORAGE_TOPIC and STATUS_STORAGE_TOPIC both name topic t");
    }

    @Test
    void theImagesPluginDirectoryStaysAndAMissingOneIsAWarning() {
        WorkerConfiguration debezium = image(Map.of("CONNECT_PLUGIN_PATH", "/kafka/connect"));
        assertThat(debezium.properties()).containsEntry("plugin.path", "/opt/connect/plugins");
        assertThat(debezium.warnings()).singleElement().asString()
                .contains("CONNECT_PLUGIN_PATH names /kafka/connect")
                .contains("Debezium's image")
                .contains("/opt/connect/plugins");
        WorkerConfiguration own = image(Map.of("CONNECT_PLUGIN_PATH", "/opt/extra, /opt/connect/plugins"));
        assertThat(own.properties()).containsEntry("plugin.path", "/opt/connect/plugins,/opt/extra");
        assertThat(own.warnings()).isEmpty();
    }

    @Test
    void providersAVariableNamesAreAddedToTheImagesOwn() {
        WorkerConfiguration c = image(Map.of("CONNECT_CONFIG_PROVIDERS", "file",
                "CONNECT_CONFIG_PROVIDERS_FILE_CLASS", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "CONNECT_CONFIG_PROVIDERS_FILE_PARAM_ALLOWED_PATHS", "/run/secrets"));
        assertThat(c.properties()).containsEntry("config.providers", "secretsmanager,ssm,file");
    }

    @Test
    void envSecretsEnableTheEnvProviderForExactlyTheNamedVariables() {
        WorkerConfiguration c = image(Map.of(WorkerConfiguration.ENV_SECRETS, "DATABASE_PASSWORD, API.KEY_x".replace(".", "")));
        assertThat(c.properties())
                .containsEntry("config.providers", "secretsmanager,ssm,env")
                .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
                .containsEntry("config.providers.env.param.allowlist.pattern", "^(\\QDATABASE_PASSWORD\\E|\\QAPIKEY_x\\E)$");
        java.util.regex.Pattern allow = java.util.regex.Pattern.compile(
                c.properties().get("config.providers.env.param.allowlist.pattern"));
        assertThat(allow.matcher("DATABASE_PASSWORD").matches()).isTrue();
        assertThat(allow.matcher("DATABASE_PASSWORD2").matches()).isFalse();
        assertThat(allow.matcher("AWS_CONTAINER_CREDENTIALS_FULL_URI").matches()).isFalse();
    }

    @Test
    void envSecretsRefuseTheTasksOwnVariablesAndNonNames() {
        assertThatThrownBy(() -> image(Map.of(WorkerConfiguration.ENV_SECRETS, "DB_PASSWORD,AWS_SECRET_ACCESS_KEY")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> image(Map.of(WorkerConfiguration.ENV_SECRETS, "DB_.*")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("entry (number 1)");
        assertThatThrownBy(() -> image(Map.of(WorkerConfiguration.ENV_SECRETS, "DB_USER,DB_PASSWORD=hunter2")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("entry (number 2)")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> image(Map.of(WorkerConfiguration.ENV_SECRETS, "DB_PASSWORD",
                "CONNECT_CONFIG_PROVIDERS", "env",
                "CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("keep " + WorkerConfiguration.ENV_SECRETS);
    }

    @Test
    void aGroupIdThatCannotNameTopicsIsRefusedNamingIt() {
        assertThatThrownBy(() -> image(Map.of("GROUP_ID", "orders cdc")))
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("GROUP_ID=orders cdc cannot name the storage topics")
                .hasMessageContaining("CONFIG_STORAGE_TOPIC");
        assertThat(image(Map.of("GROUP_ID", "orders cdc", "CONFIG_STORAGE_TOPIC", "a", "OFFSET_STORAGE_TOPIC", "b",
                "STATUS_STORAGE_TOPIC", "c")).properties()).containsEntry("config.storage.topic", "a");
    }
}
