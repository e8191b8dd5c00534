package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.junit.jupiter.api.Test;

class ConnectAwsLookupTest {

    @Test
    void environmentFirstThenSystemPropertyThenText() {
        assertThat(ConnectAwsLookup.logFormat(Map.of("CONNECT_AWS_LOG_FORMAT", "json"), p -> "text")).isEqualTo("json");
        assertThat(ConnectAwsLookup.logFormat(Map.of("CONNECT_AWS_LOG_FORMAT", "JSON"), p -> null)).isEqualTo("json");
        assertThat(ConnectAwsLookup.logFormat(Map.of("CONNECT_AWS_LOG_FORMAT", ""),
                p -> p.equals("connect.aws.log.format") ? "json" : null)).isEqualTo("json");
        assertThat(ConnectAwsLookup.logFormat(Map.of(), p -> null)).isEqualTo("text");
    }

    @Test
    void anInvalidValueStillLogsAsText() {
        assertThat(ConnectAwsLookup.logFormat(Map.of("CONNECT_AWS_LOG_FORMAT", "xml"), p -> null)).isEqualTo("text");
        assertThat(ConnectAwsLookup.logFormat(Map.of(), p -> "yaml")).isEqualTo("text");
    }

    @Test
    void isFoundAsALog4jPlugin() {
        Configuration configuration = new DefaultConfiguration();
        assertThat(configuration.getStrSubstitutor().replace("${connectaws:logFormat}")).isIn("text", "json");
        assertThat(configuration.getStrSubstitutor().replace("${connectaws:other:-none}")).isEqualTo("none");
    }
}
