package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void debeziumAndKafkaVariablesBecomeOptions() {
        JvmOptions o = JvmOptions.fromEnvironment(Map.of("HEAP_OPTS", "-Xms256M  -Xmx2G", "KAFKA_OPTS", "-Dfoo=bar",
                "JMXPORT", "1976", "JMXHOST", "10.0.0.5", "ENABLE_JFR", "true", "JFR_RECORDING_NAME", "cdc",
                "JFR_OPT_REPOSITORY", "/tmp/jfr"));
        assertThat(o.options()).containsExactly("-Xms256M", "-Xmx2G",
                "-Djava.rmi.server.hostname=10.0.0.5", "-Dcom.sun.management.jmxremote.rmi.port=1976",
                "-Dcom.sun.management.jmxremote.port=1976", "-Dcom.sun.management.jmxremote",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-XX:StartFlightRecording=name=cdc", "-XX:FlightRecorderOptions=repository=/tmp/jfr", "-Dfoo=bar");
        assertThat(o.variables()).containsExactly("HEAP_OPTS", "JMXPORT", "ENABLE_JFR", "KAFKA_OPTS");
        assertThat(JvmOptions.fromEnvironment(Map.of("JDK_JAVA_OPTIONS", "-Xmx1g")).isEmpty()).isTrue();
    }

    @Test
    void secretLookingSystemPropertiesAreMaskedInTheLog() {
        JvmOptions o = JvmOptions.fromEnvironment(Map.of("KAFKA_OPTS",
                "-Djavax.net.ssl.keyStorePassword=hunter2 -Dfoo=bar -Xmx1g"));
        assertThat(o.printable()).isEqualTo("-Djavax.net.ssl.keyStorePassword=******** -Dfoo=bar -Xmx1g");
        assertThat(o.options()).contains("-Djavax.net.ssl.keyStorePassword=hunter2");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> JvmOptions.fromEnvironment(Map.of("HEAP_OPTS", "-Xmx1g", "KAFKA_HEAP_OPTS", "-Xmx2g")))
                .hasMessageContaining("HEAP_OPTS=-Xmx1g and KAFKA_HEAP_OPTS=-Xmx2g both set the heap");
        assertThatThrownBy(() -> JvmOptions.fromEnvironment(Map.of("KAFKA_OPTS", "-Da=\"b c\"")))
                .hasMessageContaining("KAFKA_OPTS contains quotes");
        assertThatThrownBy(() -> JvmOptions.fromEnvironment(Map.of("HEAP_OPTS", "2g")))
                .hasMessageContaining("HEAP_OPTS holds '2g', which is not a JVM option");
        assertThatThrownBy(() -> JvmOptions.fromEnvironment(Map.of("JMXPORT", "1976")))
                .hasMessageContaining("JMXPORT is set without JMXHOST");
    }

    @Test
    void theChildKeepsThisJvmsOptionsAndAddsItsOwnLast() {
        List<String> command = Relaunch.command("/opt/java/bin/java",
                List.of("-XX:MaxRAMPercentage=70", "-Djava.class.path=/x.jar", "-Dlog4j2.configurationFile=/c"),
                List.of("-Xmx2g"), "/a.jar:/b.jar", "io.connectaws.launcher.ConnectLauncher", new String[] {"/p"});
        assertThat(command).containsExactly("/opt/java/bin/java", "-XX:MaxRAMPercentage=70", "-Dlog4j2.configurationFile=/c",
                "-Xmx2g", "-Dconnect.aws.relaunched=true", "-cp", "/a.jar:/b.jar", "io.connectaws.launcher.ConnectLauncher", "/p");
    }
}
