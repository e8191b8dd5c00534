package io.connectaws.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JVM options that Debezium's and Kafka's images take from variables ({@code HEAP_OPTS}, {@code KAFKA_HEAP_OPTS},
 * {@code KAFKA_OPTS}, {@code KAFKA_JVM_PERFORMANCE_OPTS}, {@code KAFKA_JMX_OPTS}, {@code JMXPORT}/{@code JMXHOST},
 * {@code ENABLE_JFR} with {@code JFR_RECORDING_*}/{@code JFR_OPT_*}). The image has no shell to put them on a
 * command line, so when any is set the launcher starts the worker in a child JVM with them ({@link Relaunch}).
 * {@code JDK_JAVA_OPTIONS} needs none of this: the JVM reads it itself.
 */
public final class JvmOptions {

    private final List<String> options;
    private final List<String> variables;

    private JvmOptions(List<String> options, List<String> variables) {
        this.options = List.copyOf(options);
        this.variables = List.copyOf(variables);
    }

    /**
     * The options the environment asks for, in the order Kafka's start script puts them.
     *
     * @throws LauncherException when two variables for the same thing disagree or a value cannot be split safely
     */
    public static JvmOptions fromEnvironment(Map<String, String> env) {
        List<String> options = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        String heap = KafkaAuth.value(env, "HEAP_OPTS");
        String kafkaHeap = KafkaAuth.value(env, "KAFKA_HEAP_OPTS");
        if (heap != null && kafkaHeap != null && !heap.equals(kafkaHeap)) {
            throw new LauncherException("HEAP_OPTS=" + heap + " and KAFKA_HEAP_OPTS=" + kafkaHeap
                    + " both set the heap: keep one of them");
        }
        add(options, variables, heap != null ? "HEAP_OPTS" : "KAFKA_HEAP_OPTS", heap != null ? heap : kafkaHeap);
        add(options, variables, "KAFKA_JVM_PERFORMANCE_OPTS", KafkaAuth.value(env, "KAFKA_JVM_PERFORMANCE_OPTS"));
        add(options, variables, "KAFKA_JMX_OPTS", KafkaAuth.value(env, "KAFKA_JMX_OPTS"));
        String jmxPort = KafkaAuth.value(env, "JMXPORT");
        if (jmxPort != null) {
            if (!jmxPort.matches("\\d{1,5}")) {
                throw new LauncherException("JMXPORT=" + jmxPort + " is not a port number, e.g. 1976");
            }
            String host = KafkaAuth.value(env, "JMXHOST");
            if (host == null) {
                throw new LauncherException("JMXPORT is set without JMXHOST: set JMXHOST to the address JMX clients use "
                        + "to reach this container (RMI hands it out), or remove JMXPORT");
            }
            String auth = env.getOrDefault("JMXAUTH", "false").trim();
            String ssl = env.getOrDefault("JMXSSL", "false").trim();
            options.addAll(List.of("-Djava.rmi.server.hostname=" + host, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote",
                    "-Dcom.sun.management.jmxremote.authenticate=" + auth, "-Dcom.sun.management.jmxremote.ssl=" + ssl));
            variables.add("JMXPORT");
        }
        if ("true".equalsIgnoreCase(KafkaAuth.value(env, "ENABLE_JFR"))) {
            options.addAll(flightRecorder(env));
            variables.add("ENABLE_JFR");
        }
        add(options, variables, "KAFKA_OPTS", KafkaAuth.value(env, "KAFKA_OPTS"));
        return new JvmOptions(options, variables);
    }

    /** The options, empty when no variable asks for any. */
    public List<String> options() {
        return options;
    }

    /** The variables the options came from. */
    public List<String> variables() {
        return variables;
    }

    /** The options for the start-up log: a {@code -Dname=value} whose name looks secret has its value masked. */
    public String printable() {
        StringBuilder out = new StringBuilder();
        for (String option : options) {
            int equals = option.indexOf('=');
            if (option.startsWith("-D") && equals > 2) {
                String name = option.substring(2, equals);
                option = "-D" + name + "=" + Masking.printable(name, option.substring(equals + 1));
            }
            out.append(out.length() == 0 ? "" : " ").append(option);
        }
        return out.toString();
    }

    public boolean isEmpty() {
        return options.isEmpty();
    }

    /** Debezium's JFR switch: JFR_RECORDING_NAME=x becomes -XX:StartFlightRecording=name=x, JFR_OPT_* FlightRecorderOptions. */
    private static List<String> flightRecorder(Map<String, String> env) {
        Map<String, String> recording = new TreeMap<>();
        Map<String, String> recorder = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("JFR_RECORDING_")) {
                recording.put(k.substring("JFR_RECORDING_".length()).toLowerCase(Locale.ROOT).replace('_', '-'), v.trim());
            } else if (k.startsWith("JFR_OPT_")) {
                recorder.put(k.substring("JFR_OPT_".length()).toLowerCase(Locale.ROOT).replace('_', '-'), v.trim());
            }
        });
        List<String> options = new ArrayList<>();
        options.add(joined("-XX:StartFlightRecording", recording));
        if (!recorder.isEmpty()) {
            options.add(joined("-XX:FlightRecorderOptions", recorder));
        }
        return options;
    }

    private static String joined(String option, Map<String, String> values) {
        StringBuilder s = new StringBuilder(option);
        char separator = '=';
        for (Map.Entry<String, String> e : values.entrySet()) {
            s.append(separator).append(e.getKey()).append('=').append(e.getValue());
            separator = ',';
        }
        return s.toString();
    }

    private static void add(List<String> options, List<String> variables, String variable, String value) {
        if (value == null) {
            return;
        }
        if (value.contains("\"") || value.contains("'") || value.contains("$")) {
            throw new LauncherException(variable + " contains quotes or $: the image has no shell to interpret them; "
                    + "write plain options separated by spaces, e.g. " + variable + "=-Xms512m -Xmx2g");
        }
        for (String option : value.split("\\s+")) {
            if (option.isEmpty()) {
                continue;
            }
            if (!option.startsWith("-")) {
                throw new LauncherException(variable + " holds '" + option + "', which is not a JVM option (they start "
                        + "with -), e.g. " + variable + "=-Xms512m -Xmx2g");
            }
            options.add(option);
        }
        variables.add(variable);
    }
}
