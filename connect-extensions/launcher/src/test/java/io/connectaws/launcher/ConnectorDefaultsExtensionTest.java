package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import io.connectaws.rest.RecordingRestContext;

/**
 * The extension's lifecycle as Connect drives it, with no launcher in the JVM: configure with the worker config (as
 * Connect hands it, config provider references resolved), register, close.
 */
class ConnectorDefaultsExtensionTest {
    private static final String JAAS_REFERENCE = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"${env:PATH}\";";

    private static Map<String, String> connection(String jaas) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", "b-1:9096");
        c.put("security.protocol", "SASL_SSL");
        c.put("sasl.mechanism", "SCRAM-SHA-512");
        c.put("sasl.jaas.config", jaas);
        return c;
    }

    /** The worker config as Connect hands it to REST extensions: its originals, with config provider references resolved. */
    private static Map<String, Object> asConnectHandsIt(Map<String, String> connection) {
        Map<String, String> worker = new HashMap<>(connection);
        worker.put("config.providers", "env");
        worker.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        worker.put("client.rack", "euw1-az1");
        worker.put(ConnectorDefaultsExtension.CONNECTION, ConnectorDefaultsExtension.connectionProperty(connection));
        return new AbstractConfig(new ConfigDef(), worker).originals();
    }

    private static Map<String, String> mySql() {
        return Map.of("connector.class", "io.debezium.connector.mysql.MySqlConnector", "topic.prefix", "shop");
    }

    @Test
    void registersItsFilterFromTheWorkerConfigAlone() {
        ConnectorDefaultsExtension extension = new ConnectorDefaultsExtension();
        extension.configure(asConnectHandsIt(connection(JAAS_REFERENCE)));
        RecordingRestContext context = new RecordingRestContext().register(extension);
        assertThat(context.described()).containsExactly("Filter@" + ConnectorDefaultsExtension.FILTER_PRIORITY);
        assertThat(context.properties()).isEmpty();
        extension.close();
        assertThat(extension.version()).isNotBlank();
    }

    @Test
    void referencesReachConnectorsAsWrittenThoughConnectResolvesTheWorkerConfig() {
        Map<String, Object> worker = asConnectHandsIt(connection(JAAS_REFERENCE));
        assertThat(worker.get("sasl.jaas.config")).asString().doesNotContain("${env:PATH}"); // Connect resolved it
        Map<String, String> added = ConnectorDefaultsExtension.defaults(worker).additions(mySql());
        assertThat(added)
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "b-1:9096")
                .containsEntry("schema.history.internal.producer.sasl.jaas.config", JAAS_REFERENCE)
                .containsEntry("schema.history.internal.consumer.security.protocol", "SASL_SSL")
                .containsEntry("schema.history.internal.consumer.client.rack", "euw1-az1");
    }

    @Test
    void aLiteralSecretIsNotInTheWorkerPropertyAndWithholdsTheSecurity() {
        String literal = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";";
        String property = ConnectorDefaultsExtension.connectionProperty(connection(literal));
        assertThat(property).doesNotContain("hunter2").contains("\"sasl.jaas.config\":null");
        ConnectorDefaults defaults = ConnectorDefaultsExtension.defaults(asConnectHandsIt(connection(literal)));
        assertThat(defaults.withheld()).containsExactly("sasl.jaas.config");
        assertThat(defaults.additions(mySql())).doesNotContainKey("schema.history.internal.producer.security.protocol")
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "b-1:9096");
    }

    @Test
    void withoutTheLauncherPropertyItRegistersNothing() {
        ConnectorDefaultsExtension extension = new ConnectorDefaultsExtension();
        extension.configure(Map.of("bootstrap.servers", "b-1:9092"));
        assertThat(new RecordingRestContext().register(extension).registered()).isEmpty();
        extension.close();
    }
}
