package io.connectaws.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.connectaws.rest.RecordingRestContext;

/** The extension's lifecycle as Connect drives it: configure with the worker's settings, register, close. */
class HealthExtensionTest {

    @Test
    void registersTheResourcesAsClassesWithTheMonitorAsAJerseyProperty() throws Exception {
        HealthExtension extension = new HealthExtension();
        // a listener nobody serves: the monitor's calls fail, which the lifecycle does not depend on
        extension.configure(Map.of("listeners", "http://127.0.0.1:9", HealthSettings.RESTART_ENABLED, "false"));
        RecordingRestContext context = new RecordingRestContext().register(extension);
        try {
            // classes, not instances: Jersey warns about instances that implement no provider interface (9b7cac4)
            assertThat(context.registered()).extracting(RecordingRestContext.Registered::component)
                    .containsExactly(HealthResources.Liveness.class, HealthResources.Readiness.class);
            assertThat(context.properties()).containsOnlyKeys(HealthResources.MONITOR);
            assertThat(context.properties().get(HealthResources.MONITOR)).isInstanceOf(HealthMonitor.class);
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(HealthMetrics.NAME))).isTrue();
        } finally {
            extension.close();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(HealthMetrics.NAME))).isFalse();
        assertThat(extension.version()).isNotBlank();
    }
}
