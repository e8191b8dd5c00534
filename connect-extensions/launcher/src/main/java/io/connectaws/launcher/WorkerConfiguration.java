package io.connectaws.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the effective worker configuration: the image's worker profile, overlaid by the
 * environment ({@link EnvironmentMapping}), checked before the worker starts.
 */
public final class WorkerConfiguration {

    /** Keys whose values are never printed. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|secret|token|credential|jaas\\.config|\\.key$|apikey|api\\.key|private).*");
    private static final String MASK = "********";

    private final Map<String, String> properties;

    private WorkerConfiguration(Map<String, String> properties) {
        this.properties = properties;
    }

    /**
     * Profile overlaid by the environment, with an advertised REST host filled in when none is set.
     *
     * @throws LauncherException naming the variable to set when the result cannot run a worker
     */
    public static WorkerConfiguration build(Properties profile, Map<String, String> environment,
                                            Supplier<String> localAddress) {
        Map<String, String> merged = new TreeMap<>();
        profile.stringPropertyNames().forEach(name -> merged.put(name, profile.getProperty(name).trim()));
        merged.putAll(EnvironmentMapping.workerProperties(environment));

        String bootstrap = merged.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new LauncherException("bootstrap.servers is not set: set BOOTSTRAP_SERVERS (or "
                    + "CONNECT_BOOTSTRAP_SERVERS) to the Kafka brokers, e.g. BOOTSTRAP_SERVERS=kafka:9092");
        }
        if (!merged.containsKey("rest.advertised.host.name")) {
            // Without it Connect advertises the listener's host (often 0.0.0.0), which breaks
            // request forwarding between workers.
            merged.put("rest.advertised.host.name", localAddress.get());
        }
        return new WorkerConfiguration(merged);
    }

    /** Reads a worker profile (a properties file); a missing file is reported by name. */
    public static Properties loadProfile(Path path) {
        Properties profile = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            profile.load(reader);
        } catch (NoSuchFileException e) {
            throw new LauncherException("worker profile " + path + " does not exist: set "
                    + "CONNECT_AWS_WORKER_PROFILE to a properties file, or leave it unset for the image's default");
        } catch (IOException e) {
            throw new LauncherException("worker profile " + path + " cannot be read: " + e.getMessage());
        }
        return profile;
    }

    /** This host's address, the way other workers in the group can reach it. */
    public static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            String hostname = System.getenv("HOSTNAME");
            return hostname != null ? hostname : "localhost";
        }
    }

    /** The properties to start the worker with. */
    public Map<String, String> properties() {
        return properties;
    }

    /** One {@code key=value} line per property, secret-like values masked, for the start-up log. */
    public String describe() {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + masked(e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n  ", "  ", ""));
    }

    static String masked(String key, String value) {
        return SECRET_KEY.matcher(key).matches() ? MASK : value;
    }
}
