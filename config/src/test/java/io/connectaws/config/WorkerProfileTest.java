package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.connect.connector.policy.AllowlistConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;

/** The shipped worker profile must be a valid distributed worker config with only known keys. */
class WorkerProfileTest {

    static Properties profile() throws Exception {
        Properties p = new Properties();
        try (InputStream in = WorkerProfileTest.class.getResourceAsStream("/connect-aws/config/connect-distributed.properties")) {
            assertThat(in).as("profile packaged").isNotNull();
            p.load(in);
        }
        return p;
    }

    @Test
    void everyKeyIsADistributedWorkerSetting() throws Exception {
        Set<String> known = new DistributedConfig(withBootstrap()).values().keySet();
        assertThat(profile().stringPropertyNames())
                // provider classes and parameters are keyed by provider name, outside the ConfigDef
                .filteredOn(key -> !key.matches("config\\.providers\\.[^.]+\\.(class|param\\..+)"))
                // the source tasks' producer settings are checked against the producer's own definitions below
                .filteredOn(key -> !key.startsWith("producer."))
                // the client override policy's own setting, checked by configuring the policy below
                .filteredOn(key -> !key.equals(AllowlistConnectorClientConfigOverridePolicy.ALLOWLIST_CONFIG))
                .allSatisfy(key -> assertThat(known).contains(key));
        AllowlistConnectorClientConfigOverridePolicy policy = new AllowlistConnectorClientConfigOverridePolicy();
        Map<String, Object> policySettings = new HashMap<>();
        Properties p = profile();
        p.stringPropertyNames().forEach(k -> policySettings.put(k, p.getProperty(k)));
        policy.configure(policySettings);
        assertThat(profile().getProperty("connector.client.config.override.policy")).isEqualTo("Allowlist");
        // every allowed override is a setting of a client a connector has (producer, consumer or admin)
        java.util.Set<String> clientSettings = new java.util.HashSet<>(org.apache.kafka.clients.producer.ProducerConfig.configNames());
        clientSettings.addAll(org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
        clientSettings.addAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        assertThat(profile().getProperty(AllowlistConnectorClientConfigOverridePolicy.ALLOWLIST_CONFIG).split("\\s*,\\s*"))
                .allSatisfy(key -> assertThat(clientSettings).contains(key))
                .doesNotContain("bootstrap.servers", "security.protocol", "sasl.jaas.config", "sasl.mechanism");
        assertThat(profile().stringPropertyNames()).filteredOn(key -> key.startsWith("producer."))
                .allSatisfy(key -> assertThat(org.apache.kafka.clients.producer.ProducerConfig.configNames())
                        .contains(key.substring("producer.".length())));
    }

    @Test
    void configProvidersAndRestExtensionLoadWithoutAnyAwsSetting() throws Exception {
        // A laptop without AWS_REGION or credentials must still start the worker: providers fail at first use only.
        Map<String, String> props = withBootstrap();
        DistributedConfig config = new DistributedConfig(props);
        assertThat(config.getList("config.providers")).containsExactly("secretsmanager", "ssm");
        for (String name : config.getList("config.providers")) {
            Class<?> c = Class.forName(props.get("config.providers." + name + ".class"));
            var provider = (org.apache.kafka.common.config.provider.ConfigProvider) c.getDeclaredConstructor().newInstance();
            provider.configure(Map.of("ttl", props.get("config.providers." + name + ".param.ttl")));
            provider.close();
        }
        for (String extension : config.getList("rest.extension.classes")) {
            // configure() is where the health extension validates its health.* settings (defaults here)
            var instance = (org.apache.kafka.connect.rest.ConnectRestExtension) Class.forName(extension)
                    .getDeclaredConstructor().newInstance();
            instance.configure(props);
            instance.close();
        }
        assertThat(config.getList("rest.extension.classes")).contains("io.connectaws.health.HealthExtension");
    }

    private static Map<String, String> withBootstrap() throws Exception {
        Map<String, String> props = new HashMap<>();
        profile().forEach((k, v) -> props.put((String) k, (String) v));
        props.put("bootstrap.servers", "localhost:9092");
        // the launcher names the storage topics after the group id when nothing names them (WorkerConfiguration)
        for (String store : new String[] {"config", "offset", "status"}) {
            assertThat(props).as("the profile names no " + store + " topic").doesNotContainKey(store + ".storage.topic");
            props.put(store + ".storage.topic", props.get("group.id") + "-" + (store.equals("config") ? "configs"
                    : store.equals("offset") ? "offsets" : "status"));
        }
        return props;
    }

    @Test
    void profileParsesAsDistributedConfigOnceBootstrapServersIsGiven() throws Exception {
        DistributedConfig config = new DistributedConfig(withBootstrap());
        assertThat(config.getString("plugin.discovery")).isEqualTo("service_load");
        assertThat(config.getList("plugin.path")).containsExactly("/opt/connect/plugins");
        assertThat(config.getShort("offset.storage.replication.factor")).as("the brokers' default").isEqualTo((short) -1);
        assertThat(profile().getProperty("bootstrap.servers")).as("no default brokers").isNull();
        assertThat(config.getClass("key.converter")).isEqualTo(io.connectaws.json.SchemaCachingJsonConverter.class);
        assertThat(config.getClass("value.converter")).isEqualTo(io.connectaws.json.SchemaCachingJsonConverter.class);
    }
}
