package io.connectaws.metrics;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.connectaws.health.HealthMetrics;

/**
 * The health extension's MBeans, registered by the real {@link HealthMetrics} (its package-private
 * {@code registerAll}/{@code restarted}/{@code connection}/{@code unregisterAll}, reached by reflection), so the
 * ObjectNames and values are the extension's: {@code io.connectaws:type=health},
 * {@code io.connectaws:type=self-healing,connector="NAME"} and
 * {@code io.connectaws:type=database-connection,connector="NAME",task=N} (connector always quoted, {@code ObjectName.quote}).
 */
final class HealthMBeans implements AutoCloseable {

    static final String RESTARTED = "orders:sink";
    static final String RESTARTED_PLAIN = "inventory-source";
    /** Database connection gauges: {@link #RESTARTED} task 1 disconnected for 75 s, {@link #RESTARTED_PLAIN} task 0 connected. */
    static final int DISCONNECTED_TASK = 1;
    static final long DISCONNECTED_SECONDS = 75;

    /** Counters per HealthMetricsMBean / ConnectorRestartsMBean javadoc ("a counter"). */
    static final Set<String> CUMULATIVE = Set.of("SelfHealingRestarts", "SelfHealingRefused", "Restarts");

    private final HealthMetrics metrics = new HealthMetrics();
    /** Whether HealthMetrics itself managed to register the per-connector MBeans (see the constructor). */
    final boolean selfHealingRegisteredByExtension;

    HealthMBeans() throws Exception {
        call("registerAll");
        call("restarted", RESTARTED);
        call("restarted", RESTARTED);
        call("restarted", RESTARTED_PLAIN);
        call("refused");
        call("connection", RESTARTED_PLAIN, 0, true, 0L);
        call("connection", RESTARTED, DISCONNECTED_TASK, false, DISCONNECTED_SECONDS);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        boolean all = true;
        for (String connector : List.of(RESTARTED, RESTARTED_PLAIN)) {
            all &= server.isRegistered(new ObjectName("io.connectaws:type=self-healing,connector=" + ObjectName.quote(connector)));
        }
        selfHealingRegisteredByExtension = all;
    }

    private void call(String name, Object... args) throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) types[i] = args[i].getClass();
        Method m = HealthMetrics.class.getDeclaredMethod(name, types);
        m.setAccessible(true);
        m.invoke(metrics, args);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        call("unregisterAll");
    }
}
