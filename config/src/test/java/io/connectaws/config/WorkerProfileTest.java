package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

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
        assertThat(profile().stringPropertyNames()).allSatisfy(key -> assertThat(known).contains(key));
    }

    private static Map<String, String> withBootstrap() throws Exception {
        Map<String, String> props = new HashMap<>();
        profile().forEach((k, v) -> props.put((String) k, (String) v));
        props.put("bootstrap.servers", "localhost:9092");
        return props;
    }

    @Test
    void profileParsesAsDistributedConfigOnceBootstrapServersIsGiven() throws Exception {
        DistributedConfig config = new DistributedConfig(withBootstrap());
        assertThat(config.getString("plugin.discovery")).isEqualTo("service_load");
        assertThat(config.getList("plugin.path")).containsExactly("/opt/connect/plugins");
        assertThat(config.getShort("offset.storage.replication.factor")).isEqualTo((short) 3);
        assertThat(profile().getProperty("bootstrap.servers")).as("no default brokers").isNull();
    }
}
