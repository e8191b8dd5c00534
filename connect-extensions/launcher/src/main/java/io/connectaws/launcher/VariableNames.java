package io.connectaws.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.connectaws.logging.LogSettings;
import io.connectaws.metrics.ClosestName;

/** Judges the names of the environment's variables: the image's own, JVM look-alikes, and other images' ones. */
final class VariableNames {

    /** Where JVM options go, for messages. */
    static final String JVM_VARIABLES = "KAFKA_HEAP_OPTS (or HEAP_OPTS), KAFKA_OPTS, KAFKA_JVM_PERFORMANCE_OPTS or "
            + "JDK_JAVA_OPTIONS (docs/launcher.md)";
    private static final java.util.Set<String> JVM_LOOKALIKES = java.util.Set.of("CONNECT_HEAP_OPTS", "CONNECT_KAFKA_OPTS",
            "CONNECT_KAFKA_HEAP_OPTS", "CONNECT_OPTS", "CONNECT_JMX_OPTS", "CONNECT_KAFKA_JVM_PERFORMANCE_OPTS");

    private VariableNames() {
    }

    /**
     * Refuses unknown CONNECT_AWS_* names, which are never worker properties and would otherwise do nothing, and
     * CONNECT_JVM_* and the like: CONNECT_ names a worker property, none is about the JVM, so the options asked for
     * would silently not be applied.
     */
    static void check(Map<String, String> environment, List<String> known) {
        for (String variable : new java.util.TreeSet<>(environment.keySet())) {
            if (variable.startsWith("CONNECT_JVM_") || variable.startsWith("CONNECT_JAVA_")
                    || JVM_LOOKALIKES.contains(variable)) {
                throw new LauncherException(variable + " is not read: CONNECT_* variables set worker properties, and "
                        + "JVM options go in " + JVM_VARIABLES);
            }
            if (variable.startsWith("CONNECT_AWS_") && !known.contains(variable)) {
                throw new LauncherException(variable + " is not a variable this image reads"
                        + ClosestName.to(variable, known).map(close -> ": did you mean " + close + "?").orElse("")
                        + " (CONNECT_AWS_* variables: docs/launcher.md)");
            }
        }
    }

    /**
     * Variables other images read and this one does not, one warning each ({@code JAVA_OPTS} is set by many
     * Dockerfiles and read by neither Kafka's scripts nor this image); {@code CONNECT_LOG4J_*} beyond the two levels.
     */
    static List<String> unread(Map<String, String> environment) {
        List<String> warnings = new ArrayList<>();
        if (KafkaAuth.value(environment, "JAVA_OPTS") != null) {
            warnings.add("JAVA_OPTS is set and not read (neither by Kafka nor by this image): JVM options go in "
                    + JVM_VARIABLES);
        }
        environment.keySet().stream().filter(v -> v.startsWith("CONNECT_LOG4J_") && !v.equals(LogSettings.ROOT_LOGLEVEL)
                && !v.equals(LogSettings.LOGGERS)).sorted().forEach(v -> warnings.add(v + " is set and not read: "
                + "the image sets log levels from " + LogSettings.LOG_LEVEL + ", " + LogSettings.ROOT_LOGLEVEL + " and "
                + LogSettings.LOGGERS + ", and the layout from " + LogSettings.LOG_FORMAT + " (docs/launcher.md)"));
        return warnings;
    }
}
