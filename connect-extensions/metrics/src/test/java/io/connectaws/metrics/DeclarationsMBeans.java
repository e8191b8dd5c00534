package io.connectaws.metrics;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Set;

import javax.management.ObjectName;

/**
 * The declarations' MBean {@code io.connectaws:type=declarations}, registered by the real
 * {@code io.connectaws.declarations.DeclarationsMetrics} (package-private, as are its {@code round}, {@code register}
 * and {@code unregister}: reached by reflection), so the ObjectName, the attributes and their values are the
 * extension's. Two rounds on the group leader are recorded first: 5 declared, 1 failed, 2 orphaned; 3 then 1
 * applied, 0 then 1 deleted.
 */
final class DeclarationsMBeans implements AutoCloseable {

    static final String CLASS = "io.connectaws.declarations.DeclarationsMetrics";
    static final ObjectName NAME = name("io.connectaws:type=declarations");

    /** Counters per DeclarationsMetricsMBean javadoc ("since start"). */
    static final Set<String> CUMULATIVE = Set.of("AppliedTotal", "DeletedTotal");

    private static final Class<?>[] ROUND = {int.class, int.class, int.class, boolean.class, int.class, int.class, long.class};

    private final Object metrics;

    DeclarationsMBeans() throws Exception {
        Constructor<?> constructor = Class.forName(CLASS).getDeclaredConstructor();
        constructor.setAccessible(true);
        metrics = constructor.newInstance();
        call("round", ROUND, 5, 1, 2, true, 3, 0, System.nanoTime());
        call("round", ROUND, 5, 1, 2, true, 1, 1, System.nanoTime());
        call("register", new Class<?>[0]);
    }

    private void call(String name, Class<?>[] types, Object... args) throws ReflectiveOperationException {
        Method m = metrics.getClass().getDeclaredMethod(name, types);
        m.setAccessible(true);
        m.invoke(metrics, args);
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws ReflectiveOperationException {
        call("unregister", new Class<?>[0]);
    }
}
