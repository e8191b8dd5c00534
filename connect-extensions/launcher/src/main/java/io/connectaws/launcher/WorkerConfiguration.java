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
import java.util.regex.Matcher;
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
    private static final Pattern PROVIDER_CLASS = Pattern.compile("config\\.providers\\.([^.]+)\\.class");

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
        requireRestrictedBuiltInProviders(merged);
        if (!merged.containsKey("rest.advertised.host.name")) {
            // Without it Connect advertises the listener's host (often 0.0.0.0), which breaks
            // request forwarding between workers.
            merged.put("rest.advertised.host.name", localAddress.get());
        }
        return new WorkerConfiguration(merged);
    }

    /**
     * Kafka's file, directory and environment-variable providers read anything the worker process can unless told
     * otherwise; any connector config could then pull files or variables (task credentials included) into a config.
     * They may be enabled only with their restriction parameter.
     */
    static void requireRestrictedBuiltInProviders(Map<String, String> config) {
        Map<String, String> restrictions = Map.of(
                "org.apache.kafka.common.config.provider.FileConfigProvider", "allowed.paths",
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider", "allowed.paths",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider", "allowlist.pattern");
        for (Map.Entry<String, String> e : config.entrySet()) {
            Matcher m = PROVIDER_CLASS.matcher(e.getKey());
            String param = restrictions.get(e.getValue().trim());
            if (!m.matches() || param == null) continue;
            String key = "config.providers." + m.group(1) + ".param." + param;
            String value = config.get(key);
            if (value == null || value.isBlank()) {
                throw new LauncherException("config provider '" + m.group(1) + "' (" + e.getValue().trim()
                        + ") is enabled without " + key + ": set " + EnvironmentMapping.variableFor(key)
                        + (param.equals("allowed.paths") ? " to the directories it may read, e.g. /run/secrets"
                        : " to a regular expression of the variables it may read, e.g. ^DB_.*"));
            }
        }
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
        // a provider's name (config.providers.secretsmanager.*) says nothing about its parameters' values
        String significant = key.replaceFirst("^config\\.providers\\.[^.]+\\.", "config.providers.");
        return SECRET_KEY.matcher(significant).matches() ? MASK : value;
    }
}
