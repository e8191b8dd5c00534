package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusAgentTest {
    /** An MBean for the rules to find. */
    public interface ProbeMBean {
        long getRecordsTotal();
    }

    @TempDir
    Path dir;

    @Test
    void thePortComesFromOurVariableOrDebeziumsSwitch() {
        assertThat(PrometheusAgent.port(Map.of())).isEmpty();
        assertThat(PrometheusAgent.port(Map.of("CONNECT_AWS_PROMETHEUS_PORT", "9500"))).isEqualTo(OptionalInt.of(9500));
        assertThat(PrometheusAgent.port(Map.of("ENABLE_JMX_EXPORTER", "true"))).isEqualTo(OptionalInt.of(9404));
        assertThat(PrometheusAgent.port(Map.of("ENABLE_JMX_EXPORTER", "false"))).isEmpty();
        assertThat(PrometheusAgent.port(Map.of("ENABLE_JMX_EXPORTER", "true", "CONNECT_AWS_PROMETHEUS_PORT", "9500")))
                .isEqualTo(OptionalInt.of(9500));
        assertThatThrownBy(() -> PrometheusAgent.port(Map.of("CONNECT_AWS_PROMETHEUS_PORT", "metrics")))
                .hasMessage("CONNECT_AWS_PROMETHEUS_PORT is 'metrics'; set a TCP port (9404 is the usual one)");
        assertThatThrownBy(() -> PrometheusAgent.port(Map.of("ENABLE_JMX_EXPORTER", "yes")))
                .hasMessage("ENABLE_JMX_EXPORTER is 'yes'; set true or false");
    }

    @Test
    void theShippedAgentServesTheRulesInThisJvm() throws Exception {
        ObjectName name = new ObjectName("io.connectaws.test:type=probe,connector=orders");
        ManagementFactory.getPlatformMBeanServer().registerMBean(
                new StandardMBean((ProbeMBean) () -> 1234L, ProbeMBean.class), name);
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                includeObjectNames: ["io.connectaws.test:*"]
                rules:
                  - pattern: 'io.connectaws.test<type=probe, connector=(.+)><>RecordsTotal'
                    name: probe_records_total
                    type: COUNTER
                    labels: {connector: "$1"}
                """);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            PrometheusAgent.start(Path.of(System.getProperty("prometheus.agent.jar")), port, rules);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("probe_records_total{connector=\"orders\"} 1234.0")
                    .contains("jvm_memory_used_bytes");
            // the agent's classes stay in their own loader
            assertThatThrownBy(() -> Class.forName("io.prometheus.jmx.JavaAgent")).isInstanceOf(ClassNotFoundException.class);
            // a second start on the same port is refused before the agent could exit the JVM
            assertThatThrownBy(() -> PrometheusAgent.start(Path.of(System.getProperty("prometheus.agent.jar")), port, rules))
                    .hasMessage("CONNECT_AWS_PROMETHEUS_PORT: port " + port + " is already in use in this container; choose another");
        } finally {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    @Test
    void aMissingAgentJarIsNamed() {
        assertThatThrownBy(() -> PrometheusAgent.start(dir.resolve("none.jar"), 9404, dir.resolve("rules.yml")))
                .hasMessage("the Prometheus agent " + dir.resolve("none.jar") + " is missing from the image");
    }
}
