package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

class HealthMetricsTest {
    @Test
    void perConnectorRestartCountsAreMBeansBeforeAndAfterRegistration() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        HealthMetrics metrics = new HealthMetrics();
        metrics.restarted("orders:sink"); // before the MBeans are registered
        metrics.registerAll();
        try {
            metrics.restarted("orders:sink");
            metrics.restarted("inventory");
            assertThat(server.getAttribute(new ObjectName("io.connectaws:type=self-healing,connector="
                    + ObjectName.quote("orders:sink")), "Restarts")).isEqualTo(2L);
            assertThat(server.getAttribute(new ObjectName("io.connectaws:type=self-healing,connector="
                    + ObjectName.quote("inventory")), "Restarts")).isEqualTo(1L);
            assertThat(server.getAttribute(new ObjectName(HealthMetrics.NAME), "SelfHealingRestarts")).isEqualTo(3L);
        } finally {
            metrics.unregisterAll();
        }
        assertThat(server.queryNames(new ObjectName("io.connectaws:*"), null)).isEmpty();
    }
}
