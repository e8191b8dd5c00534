package io.connectaws.launcher;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The shipped jmx_prometheus_javaagent, serving the metrics rules on a port. {@code CONNECT_AWS_PROMETHEUS_PORT}
 * or Debezium's {@code ENABLE_JMX_EXPORTER=true} (its port, 9404) turns it on. The launcher calls the agent's
 * own entry point in this JVM (the agent uses no instrumentation), in a class loader of its own since the agent
 * jar carries shaded copies of its libraries; so no {@code -javaagent} flag, no second JVM, and the health probe,
 * which shares JDK_JAVA_OPTIONS, never tries to bind the port too.
 */
final class PrometheusAgent {
    static final String PORT = "CONNECT_AWS_PROMETHEUS_PORT";
    static final String DEBEZIUM_SWITCH = "ENABLE_JMX_EXPORTER";
    static final int DEBEZIUM_PORT = 9404;
    static final Path DEFAULT_JAR = Path.of("/opt/connect/agents/jmx_prometheus_javaagent.jar");

    private PrometheusAgent() {
    }

    /** The port asked for, if any; a malformed one stops the start. */
    static OptionalInt port(Map<String, String> env) {
        String port = KafkaAuth.value(env, PORT);
        String debezium = KafkaAuth.value(env, DEBEZIUM_SWITCH);
        if (debezium != null && !debezium.equalsIgnoreCase("true") && !debezium.equalsIgnoreCase("false")) {
            throw new LauncherException(DEBEZIUM_SWITCH + " is '" + debezium + "'; set true or false");
        }
        if (port == null) {
            return "true".equalsIgnoreCase(debezium) ? OptionalInt.of(DEBEZIUM_PORT) : OptionalInt.empty();
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65535) {
            throw new LauncherException(PORT + " is '" + port + "'; set a TCP port (9404 is the usual one)");
        }
        return OptionalInt.of(number);
    }

    /** Starts the agent on {@code port} with {@code rules}; the port must be free. */
    static void start(Path jar, int port, Path rules) {
        if (!Files.isReadable(jar)) {
            throw new LauncherException("the Prometheus agent " + jar + " is missing from the image");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new LauncherException(PORT + ": port " + port + " is already in use in this container; choose another");
        }
        try {
            URLClassLoader loader = new URLClassLoader("prometheus-agent", new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            loader.loadClass("io.prometheus.jmx.JavaAgent")
                    .getMethod("premain", String.class, Instrumentation.class)
                    .invoke(null, port + ":" + rules, null);
        } catch (InvocationTargetException e) {
            throw new LauncherException("the Prometheus agent did not start: " + e.getCause());
        } catch (ReflectiveOperationException | IOException e) {
            throw new LauncherException("the Prometheus agent " + jar + " cannot be loaded: " + e);
        }
    }
}
