package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.connectaws.rest.RecordingRestContext;

/** The declarations and collision guard extensions' lifecycle as Connect drives it: configure, register, close. */
class DeclarationsExtensionTest {

    @Test
    void registersTheResourceAsAClassWithTheReportAsAJerseyProperty(@TempDir Path dir) throws Exception {
        DeclarationsExtension extension = new DeclarationsExtension();
        extension.configure(Map.of(DeclarationSettings.DIR, dir.toString(), "listeners", "http://127.0.0.1:9"));
        RecordingRestContext context = new RecordingRestContext().register(extension);
        try {
            // a class, not an instance: Jersey warns about instances that implement no provider interface (9b7cac4)
            assertThat(context.registered()).extracting(RecordingRestContext.Registered::component)
                    .containsExactly(DeclarationsResource.class);
            assertThat(context.properties()).containsOnlyKeys(DeclarationsResource.REPORT);
            assertThat(context.properties().get(DeclarationsResource.REPORT)).isInstanceOf(Supplier.class);
            assertThat(((Supplier<?>) context.properties().get(DeclarationsResource.REPORT)).get())
                    .isInstanceOf(DeclarationLoop.Report.class);
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(DeclarationsMetrics.NAME)))
                    .isTrue();
        } finally {
            extension.close();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(DeclarationsMetrics.NAME)))
                .isFalse();
        assertThat(extension.version()).isNotBlank();
    }

    @Test
    void theCollisionGuardRegistersItsFilter() {
        CollisionGuardExtension extension = new CollisionGuardExtension();
        extension.configure(Map.of());
        RecordingRestContext context = new RecordingRestContext().register(extension);
        assertThat(context.registered()).extracting(r -> (Object) r.component().getClass())
                .containsExactly(CollisionGuard.class);
        assertThat(context.properties()).isEmpty();
        extension.close();
        assertThat(extension.version()).isNotBlank();
    }
}
