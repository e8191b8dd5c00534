package io.connectaws.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.connectaws.declarations.DeclarationSettings;
import io.connectaws.metrics.MetricsExtension;
import io.connectaws.metrics.MetricsSettings;
import java.util.stream.Collectors;

/**
 * Builds the effective worker configuration: the image's worker profile, overlaid by the environment
 * ({@link EnvironmentMapping}), the Kafka auth mode ({@link KafkaAuth}) and what ECS says about the task, checked
 * before the worker starts. Every property remembers where it came from, for the start-up log.
 */
public final class WorkerConfiguration {

    /** Switches: {@code az-id} (what MSK brokers use as broker.rack), {@code az-name}, or {@code none}. */
    public static final String CLIENT_RACK = "CONNECT_AWS_CLIENT_RACK";

    /** Client properties that make up "how to reach and authenticate to Kafka". */
    private static final Pattern CONNECTION_KEY = Pattern.compile("security\\.protocol|sasl\\..+|ssl\\..+");
    /** Client prefixes Connect reads separately from the top level. */
    static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.");
    private static final Pattern PROVIDER_CLASS = Pattern.compile("config\\.providers\\.([^.]+)\\.class");
    /** The origin of a setting that comes from the worker profile. */
    static final String PROFILE = "profile";
    /** Names the environment variables {@code ${env:NAME}} may read; unset, the env provider is off. */
    public static final String ENV_SECRETS = "CONNECT_AWS_ENV_SECRETS";
    private static final String ENV_PROVIDER = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";
    /** The storage topics and the suffix each gets after the group id when it is not named. */
    static final Map<String, String> STORAGE_TOPICS;

    static {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("config.storage.topic", "-configs");
        topics.put("offset.storage.topic", "-offsets");
        topics.put("status.storage.topic", "-status");
        STORAGE_TOPICS = java.util.Collections.unmodifiableMap(topics);
    }

    /** Debezium image switches for add-ons this image does not ship, with what to do instead. */
    private static final Map<String, String> UNSHIPPED = Map.of(
            "ENABLE_DEBEZIUM_SCRIPTING", "Debezium scripting (Groovy/GraalJS)",
            "ENABLE_OTEL", "OpenTelemetry instrumentation",
            "ENABLE_JOLOKIA", "the Jolokia agent",
            "ENABLE_DEBEZIUM_KC_REST_EXTENSION", "Debezium's REST extension");

    /** Where the launcher is running, as far as the configuration cares; a lambda gives the local address off ECS. */
    @FunctionalInterface
    public interface Surroundings {
        /** This host's address, the way other workers in the group can reach it. */
        String localAddress();

        /** The ECS task this container belongs to, when it runs on ECS. */
        default Optional<EcsTask> ecsTask() {
            return Optional.empty();
        }

        /** Whether {@code path} is a directory in this container (plugin.path entries are checked with it). */
        default boolean isDirectory(String path) {
            return Files.isDirectory(Path.of(path));
        }

        /** The Availability Zone ID (use1-az2) of a zone name (us-east-1a). */
        default String availabilityZoneId(String zoneName) {
            throw new LauncherException(CLIENT_RACK + "=az-id needs ECS task metadata");
        }
    }

    /**
     * What the launcher uses of ECS task metadata.
     *
     * @param privateIpv4 the task's address in awsvpc mode, else null
     * @param taskArn the task's ARN, or null
     */
    public record EcsTask(String taskId, String networkMode, String privateIpv4, String availabilityZone, String taskArn) {
        /** A task whose ARN is not known. */
        public EcsTask(String taskId, String networkMode, String privateIpv4, String availabilityZone) {
            this(taskId, networkMode, privateIpv4, availabilityZone, null);
        }
    }

    private final Map<String, String> properties;
    private final Map<String, String> origins;
    private final Map<String, String> connection;
    private final Optional<EcsTask> ecsTask;
    private final List<String> warnings;
    private final MetricsSettings metrics;

    private WorkerConfiguration(Map<String, String> properties, Map<String, String> origins,
                                Map<String, String> connection, Optional<EcsTask> ecsTask, List<String> warnings,
                                MetricsSettings metrics) {
        this.properties = properties;
        this.origins = origins;
        this.connection = connection;
        this.ecsTask = ecsTask;
        this.warnings = warnings;
        this.metrics = metrics;
    }

    /**
     * Profile overlaid by the environment, the auth mode applied to every client, an advertised REST host filled in
     * when none is set.
     *
     * @throws LauncherException naming the variable to set when the result cannot run a worker
     */
    public static WorkerConfiguration build(Properties profile, Map<String, String> environment, Surroundings surroundings) {
        Map<String, String> merged = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        profile.stringPropertyNames().forEach(name -> {
            merged.put(name, profile.getProperty(name).trim());
            origins.put(name, PROFILE);
        });
        EnvironmentMapping.settings(environment).forEach((name, setting) -> {
            merged.put(name, setting.value());
            origins.put(name, setting.variable());
        });
        refuseUnshippedAddOns(environment);
        restListener(environment, merged, origins);
        List<String> warnings = new java.util.ArrayList<>();
        String restWarning = RestSecurity.apply(environment, merged, origins,
                Path.of(System.getProperty("java.io.tmpdir"), "connect-aws-rest"));
        if (restWarning != null) {
            warnings.add(restWarning);
        }
        storageTopics(merged, origins);
        ExactlyOnce.apply(environment, merged, origins);
        ApicurioVariables.apply(environment, merged, origins);
        pluginPath(profile, merged, origins, surroundings, warnings);
        configProviders(profile, environment, merged, origins);

        String bootstrap = merged.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new LauncherException("bootstrap.servers is not set: set BOOTSTRAP_SERVERS (or "
                    + "CONNECT_BOOTSTRAP_SERVERS) to the Kafka brokers, e.g. BOOTSTRAP_SERVERS=kafka:9092");
        }
        requireRestrictedBuiltInProviders(merged);

        KafkaAuth auth = KafkaAuth.fromEnvironment(environment, bootstrap, merged.get("group.id"));
        applyAuth(auth, merged, origins);
        Map<String, String> connection = new LinkedHashMap<>();
        merged.forEach((key, value) -> {
            if (CONNECTION_KEY.matcher(key).matches()) {
                connection.put(key, value);
            }
        });
        // Connect gives producers (source tasks) and consumers (sink tasks) only their prefixed settings: a
        // top-level-only security setting leaves them talking plaintext to a SASL port, RUNNING and writing nothing.
        connection.forEach((key, value) -> {
            for (String prefix : CLIENT_PREFIXES) {
                if (merged.putIfAbsent(prefix + key, value) == null) {
                    origins.put(prefix + key, "same as " + key);
                }
            }
        });

        Optional<EcsTask> ecs = surroundings.ecsTask();
        advertisedHost(environment, merged, origins, surroundings, ecs, warnings);
        ecs.ifPresent(task -> {
            if (merged.putIfAbsent("client.id", "ecs-" + task.taskId()) == null) {
                origins.put("client.id", "ECS task id");
            }
        });
        clientRack(environment, merged, origins, surroundings, ecs);
        if (ConnectLauncher.flag(environment, ConnectLauncher.CONNECTOR_DEFAULTS, true)) {
            addExtension(merged, origins, ConnectorDefaultsExtension.class.getName(),
                    ConnectLauncher.CONNECTOR_DEFAULTS + " (default true)");
            Map<String, String> kafkaConnection = new LinkedHashMap<>();
            kafkaConnection.put("bootstrap.servers", bootstrap);
            kafkaConnection.putAll(connection);
            merged.put(ConnectorDefaultsExtension.CONNECTION, ConnectorDefaultsExtension.connectionProperty(kafkaConnection));
            origins.put(ConnectorDefaultsExtension.CONNECTION, "the image (the worker's Kafka settings for connectors)");
        }
        addExtension(merged, origins, ProviderReferenceExtension.class.getName(),
                "the image (refuses references to providers the worker lacks)");
        checkDeclarations(merged, origins);
        MetricsSettings metrics = MetricsSettings.from(merged, environment);
        if (metrics.sink() != MetricsSettings.Sink.OFF) {
            addExtension(merged, origins, MetricsExtension.class.getName(), MetricsSettings.SINK + "="
                    + metrics.sink().name().toLowerCase(java.util.Locale.ROOT)
                    + (merged.containsKey(MetricsSettings.SINK) ? "" : " (the default on ECS)"));
            merged.put(MetricsExtension.WORKER_ID, workerId(merged));
            origins.put(MetricsExtension.WORKER_ID, "the image (for the metrics extension)");
            ecs.filter(task -> task.taskArn() != null).ifPresent(task -> {
                merged.put(MetricsExtension.ECS_TASK_ARN, task.taskArn());
                origins.put(MetricsExtension.ECS_TASK_ARN, "ECS task metadata (for the metrics extension)");
            });
        }
        return new WorkerConfiguration(merged, origins, Map.copyOf(connection), ecs, List.copyOf(warnings), metrics);
    }

    /**
     * The three storage topics default to names derived from the group id, Strimzi's convention
     * ({@code <group.id>-configs}, {@code -offsets}, {@code -status}): two clusters started with different group ids
     * and no topic names never share a config topic, and so never run each other's connectors. Names that are set
     * (the environment or a profile of one's own) are kept.
     */
    private static void storageTopics(Map<String, String> merged, Map<String, String> origins) {
        String group = merged.get("group.id");
        if (group == null || group.isBlank()) {
            return; // Connect refuses the start naming group.id (a profile of one's own without it)
        }
        String groupOrigin = origins.getOrDefault("group.id", PROFILE);
        STORAGE_TOPICS.forEach((key, suffix) -> {
            String value = merged.get(key);
            if (value == null || value.isBlank()) {
                try {
                    org.apache.kafka.common.internals.Topic.validate(group + suffix);
                } catch (org.apache.kafka.common.errors.InvalidTopicException e) {
                    throw new LauncherException(groupOrigin + "=" + group + " cannot name the storage topics ("
                            + e.getMessage() + "): use letters, digits, '.', '_' and '-' in the group id, or set "
                            + "CONFIG_STORAGE_TOPIC, OFFSET_STORAGE_TOPIC and STATUS_STORAGE_TOPIC");
                }
                merged.put(key, group + suffix);
                origins.put(key, "derived from group.id (" + (PROFILE.equals(groupOrigin) ? "the profile's default"
                        : groupOrigin) + ")");
            }
        });
        Map<String, String> byName = new TreeMap<>();
        for (String key : STORAGE_TOPICS.keySet()) {
            String other = byName.putIfAbsent(merged.get(key), key);
            if (other != null) {
                throw new LauncherException(origins.getOrDefault(other, other) + " and " + origins.getOrDefault(key, key)
                        + " both name topic " + merged.get(key) + ": the config, offset and status topics must be three "
                        + "different topics (leave them unset to get " + group + "-configs, -offsets and -status)");
            }
        }
    }

    /**
     * The image's plugin directories (the profile's {@code plugin.path}) always stay on the path, so the image's own
     * config providers and connectors are found; directories a variable names are added after them. One that does not
     * exist is left out with a warning: Connect would only log it at each start, and Debezium's image's
     * {@code /kafka/connect}, copied from its task definitions, is the common case.
     */
    private static void pluginPath(Properties profile, Map<String, String> merged, Map<String, String> origins,
                                   Surroundings surroundings, List<String> warnings) {
        String own = profile.getProperty("plugin.path", "").trim();
        String variable = origins.get("plugin.path");
        if (variable == null || PROFILE.equals(variable)) {
            return;
        }
        List<String> path = new java.util.ArrayList<>(splitList(own));
        for (String dir : splitList(merged.get("plugin.path"))) {
            if (path.contains(dir)) {
                continue;
            }
            if (!surroundings.isDirectory(dir)) {
                warnings.add(variable + " names " + dir + ", which is not a directory in this image"
                        + (dir.replaceAll("/+$", "").equals("/kafka/connect") ? " (/kafka/connect is where Debezium's image "
                        + "keeps its plugins; this image's are in " + own + ")" : "")
                        + ": it is left out of plugin.path. Debezium's connectors are already installed; to add a "
                        + "plugin of your own, build FROM this image and copy it into a directory of its own under "
                        + (own.isEmpty() ? "/opt/connect/plugins" : splitList(own).get(0)) + " (docs/launcher.md)");
                continue;
            }
            path.add(dir);
        }
        merged.put("plugin.path", String.join(",", path));
        origins.put("plugin.path", own.isEmpty() ? variable : PROFILE + " + " + variable);
    }

    /**
     * The image's config providers (the profile's {@code config.providers}) stay enabled when a variable names others;
     * those are added. {@value #ENV_SECRETS} enables Kafka's environment provider for exactly the variables it names:
     * ECS injects a task definition's {@code secrets} as environment variables, referenced as {@code ${env:NAME}}.
     */
    private static void configProviders(Properties profile, Map<String, String> env, Map<String, String> merged,
                                        Map<String, String> origins) {
        List<String> providers = new java.util.ArrayList<>(splitList(profile.getProperty("config.providers", "")));
        String variable = origins.get("config.providers");
        if (variable != null && !PROFILE.equals(variable)) {
            splitList(merged.get("config.providers")).stream().filter(p -> !providers.contains(p)).forEach(providers::add);
            origins.put("config.providers", providers.size() > splitList(merged.get("config.providers")).size()
                    ? PROFILE + " + " + variable : variable);
        }
        String names = KafkaAuth.value(env, ENV_SECRETS);
        if (names != null) {
            if (providers.contains("env") || merged.containsKey("config.providers.env.class")) {
                throw new LauncherException(ENV_SECRETS + " enables the env config provider, and " + origins.getOrDefault(
                        "config.providers.env.class", origins.getOrDefault("config.providers", "config.providers"))
                        + " configures one too: keep " + ENV_SECRETS + " and remove the other");
            }
            List<String> allowed = splitList(names);
            for (String name : allowed) {
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // the entry is not echoed: a value pasted in by mistake may be the secret itself
                    throw new LauncherException(ENV_SECRETS + " holds an entry (number " + (allowed.indexOf(name) + 1)
                            + ") that is not an environment variable name: list the names of the task definition's "
                            + "secrets, e.g. " + ENV_SECRETS + "=DATABASE_PASSWORD,API_KEY");
                }
                if (name.startsWith("AWS_") || name.startsWith("ECS_") || name.startsWith("CONNECT_")) {
                    throw new LauncherException(ENV_SECRETS + " names " + name + ": AWS_*, ECS_* and CONNECT_* variables "
                            + "carry the task's credentials and the worker's own settings and cannot be made readable "
                            + "through connector configs; give the secret a name of its own in the task definition");
                }
            }
            providers.add("env");
            merged.put("config.providers.env.class", ENV_PROVIDER);
            merged.put("config.providers.env.param.allowlist.pattern",
                    "^(" + allowed.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")$");
            origins.put("config.providers.env.class", ENV_SECRETS);
            origins.put("config.providers.env.param.allowlist.pattern", ENV_SECRETS);
            origins.put("config.providers", origins.getOrDefault("config.providers", PROFILE) + " + " + ENV_SECRETS);
        }
        if (!providers.isEmpty()) {
            merged.put("config.providers", String.join(",", providers));
        }
    }

    private static List<String> splitList(String value) {
        return value == null ? List.of() : java.util.Arrays.stream(value.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** The declarations' settings, checked here so a mistake is one line before Connect starts, not a trace after. */
    private static void checkDeclarations(Map<String, String> merged, Map<String, String> origins) {
        try {
            DeclarationSettings.from(merged);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            String key = merged.keySet().stream().filter(k -> k.startsWith("declarations.")
                    && e.getMessage() != null && e.getMessage().contains(k)).findFirst().orElse(null);
            String variable = key == null ? "" : " (" + origins.getOrDefault(key, EnvironmentMapping.variableFor(key))
                    + ")";
            throw new LauncherException(e.getMessage() + variable);
        }
    }

    /** Lists {@code extension} in {@code rest.extension.classes} (once), saying why in its origin. */
    static void addExtension(Map<String, String> merged, Map<String, String> origins, String extension,
                                     String why) {
        String extensions = merged.getOrDefault("rest.extension.classes", "");
        if (!List.of(extensions.split("\\s*,\\s*")).contains(extension)) {
            merged.put("rest.extension.classes", extensions.isBlank() ? extension : extensions + "," + extension);
            origins.put("rest.extension.classes", origins.getOrDefault("rest.extension.classes", PROFILE) + " + " + why);
        }
    }

    private static void refuseUnshippedAddOns(Map<String, String> environment) {
        UNSHIPPED.forEach((variable, what) -> {
            if ("true".equalsIgnoreCase(KafkaAuth.value(environment, variable))) {
                throw new LauncherException(variable + "=true asks for " + what + ", which this image does not ship: "
                        + "remove " + variable + ", or build an image FROM this one that adds it as a plugin directory "
                        + "(docs/launcher.md)");
            }
        });
    }

    /**
     * Kafka 4 removed {@code rest.host.name} and {@code rest.port}; Debezium's and Confluent's images still set them
     * (REST_PORT, REST_HOST_NAME). They become the {@code listeners} they meant.
     */
    private static void restListener(Map<String, String> env, Map<String, String> merged, Map<String, String> origins) {
        String hostVar = KafkaAuth.value(env, "CONNECT_REST_HOST_NAME") != null ? "CONNECT_REST_HOST_NAME" : "REST_HOST_NAME";
        String portVar = KafkaAuth.value(env, "CONNECT_REST_PORT") != null ? "CONNECT_REST_PORT" : "REST_PORT";
        String host = KafkaAuth.value(env, hostVar);
        String port = KafkaAuth.value(env, portVar);
        merged.remove("rest.host.name");
        merged.remove("rest.port");
        origins.remove("rest.host.name");
        origins.remove("rest.port");
        if (host == null && port == null) {
            return;
        }
        if (port != null && !port.matches("\\d{1,5}")) {
            throw new LauncherException(portVar + "=" + port + " is not a port number, e.g. 8083");
        }
        String listeners = "http://" + (host == null ? "0.0.0.0" : host) + ":" + (port == null ? "8083" : port);
        String explicit = KafkaAuth.value(env, "CONNECT_LISTENERS");
        if (explicit != null && !explicit.equals(listeners)) {
            throw new LauncherException("CONNECT_LISTENERS=" + explicit + " and " + (port != null ? portVar : hostVar)
                    + " both set the REST listener: keep CONNECT_LISTENERS and remove " + (port != null ? portVar : hostVar)
                    + (host != null && port != null ? " and " + hostVar : ""));
        }
        merged.put("listeners", listeners);
        origins.put("listeners", String.join(" and ", host != null && port != null ? List.of(hostVar, portVar)
                : List.of(host != null ? hostVar : portVar)));
    }

    private static void applyAuth(KafkaAuth auth, Map<String, String> merged, Map<String, String> origins) {
        auth.clientSettings().forEach((key, value) -> {
            for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
                String existing = merged.get(prefix + key);
                String origin = origins.get(prefix + key);
                if (existing != null && !existing.equals(value) && !PROFILE.equals(origin)) {
                    throw new LauncherException(KafkaAuth.MODE + "=" + auth.mode().name().toLowerCase(Locale.ROOT) + " sets "
                            + prefix + key + ", and " + origin + " sets it differently: remove " + origin
                            + " (the auth mode sets it for every client), or unset " + KafkaAuth.MODE + " and write all "
                            + "security settings yourself");
                }
                merged.put(prefix + key, value);
                origins.put(prefix + key, KafkaAuth.MODE);
            }
        });
    }

    private static void advertisedHost(Map<String, String> env, Map<String, String> merged, Map<String, String> origins,
                                       Surroundings surroundings, Optional<EcsTask> ecs, List<String> warnings) {
        String given = merged.get("rest.advertised.host.name");
        if (given != null) {
            if (!given.equals("0.0.0.0") && !given.equals("::") && !given.equals("[::]")) {
                return;
            }
            // Fargate task definitions often say 0.0.0.0, since a task's IP is known only at run time. Other workers
            // cannot reach it, so every request forwarded to this worker would fail: the real address replaces it.
            warnings.add(origins.get("rest.advertised.host.name") + "=" + given + " is not an address other workers can "
                    + "reach; it is ignored and this worker's own address is advertised instead (remove the variable)");
            merged.remove("rest.advertised.host.name");
        }
        String hostName = KafkaAuth.value(env, "HOST_NAME");
        if (hostName != null) {
            merged.put("rest.advertised.host.name", hostName);
            origins.put("rest.advertised.host.name", "HOST_NAME");
        } else if (ecs.isPresent() && ecs.get().privateIpv4() != null) {
            merged.put("rest.advertised.host.name", ecs.get().privateIpv4());
            origins.put("rest.advertised.host.name", "ECS task metadata (" + ecs.get().networkMode() + ")");
        } else {
            merged.put("rest.advertised.host.name", surroundings.localAddress());
            origins.put("rest.advertised.host.name", ecs.isPresent()
                    ? "this container's address (ECS network mode " + ecs.get().networkMode() + " has no task IP: with "
                      + "several workers set ADVERTISED_HOST_NAME and ADVERTISED_PORT to the host's)"
                    : "this container's address");
        }
    }

    private static void clientRack(Map<String, String> env, Map<String, String> merged, Map<String, String> origins,
                                   Surroundings surroundings, Optional<EcsTask> ecs) {
        String choice = Optional.ofNullable(KafkaAuth.value(env, CLIENT_RACK)).orElse("none").toLowerCase(Locale.ROOT);
        if (!List.of("none", "az-id", "az-name").contains(choice)) {
            throw new LauncherException(CLIENT_RACK + "=" + env.get(CLIENT_RACK) + " is not none, az-id or az-name "
                    + "(MSK brokers use the Availability Zone ID as broker.rack: az-id)");
        }
        if (choice.equals("none")) {
            return;
        }
        if (merged.containsKey("client.rack")) {
            throw new LauncherException(CLIENT_RACK + " and " + origins.get("client.rack") + " both set client.rack: keep one");
        }
        EcsTask task = ecs.orElseThrow(() -> new LauncherException(CLIENT_RACK + "=" + choice + " takes the zone from ECS "
                + "task metadata, and ECS_CONTAINER_METADATA_URI_V4 is not set: set CONNECT_CLIENT_RACK yourself off ECS"));
        if (task.availabilityZone() == null) {
            throw new LauncherException(CLIENT_RACK + "=" + choice + ": ECS task metadata has no AvailabilityZone");
        }
        String rack = choice.equals("az-id") ? surroundings.availabilityZoneId(task.availabilityZone()) : task.availabilityZone();
        // the worker's own consumers read the top level; sink tasks read consumer.*
        for (String key : List.of("client.rack", "consumer.client.rack")) {
            if (merged.putIfAbsent(key, rack) == null) {
                origins.put(key, CLIENT_RACK + "=" + choice + " (" + task.availabilityZone() + ")");
            }
        }
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

    /** The variable (or {@code profile}, or a description) that set worker property {@code key}; null if none did. */
    public String origin(String key) {
        return origins.get(key);
    }

    /** The properties to start the worker with. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * How the worker reaches and authenticates to Kafka: bootstrap servers plus the top-level
     * {@code security.protocol}, {@code sasl.*} and {@code ssl.*} values as written (config provider references
     * unresolved). Connectors' own Kafka clients get these through {@link ConnectorDefaults}.
     */
    public Map<String, String> kafkaConnection() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("bootstrap.servers", properties.get("bootstrap.servers"));
        result.putAll(connection);
        return result;
    }

    /** The metrics exporter's settings, read from the merged worker properties. */
    public MetricsSettings metrics() {
        return metrics;
    }

    /** Settings the launcher corrected rather than refused, one line each for the start-up log. */
    public List<String> warnings() {
        return warnings;
    }

    /** The ECS task, when running on ECS. */
    public Optional<EcsTask> ecsTask() {
        return ecsTask;
    }

    /** This worker's id in the group: advertised host and port, as Connect reports it in statuses. */
    public String workerId() {
        return workerId(properties);
    }

    private static String workerId(Map<String, String> properties) {
        String port = properties.get("rest.advertised.port");
        if (port == null) {
            Matcher m = Pattern.compile(":(\\d+)").matcher(properties.getOrDefault("listeners", "http://:8083")
                    .split(",")[0].replaceFirst("^[a-zA-Z]+://", ""));
            port = m.find() ? m.group(1) : "8083";
        }
        return properties.get("rest.advertised.host.name") + ":" + port;
    }

    /** One {@code key=value} line per property with where it came from, secret values masked, for the start-up log. */
    public String describe() {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + Masking.printable(e.getKey(), e.getValue())
                        + (PROFILE.equals(origins.get(e.getKey())) ? "" : "   <- " + origins.get(e.getKey())))
                .collect(Collectors.joining("\n  ", "  ", ""));
    }
}
