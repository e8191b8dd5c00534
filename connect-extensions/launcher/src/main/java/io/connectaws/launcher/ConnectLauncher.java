package io.connectaws.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.connectaws.logging.ErrorCapture;
import io.connectaws.logging.LogSettings;
import io.connectaws.metrics.MetricsConfigException;
import io.connectaws.metrics.MetricsRules;
import io.connectaws.metrics.MetricsSettings;

/**
 * The image's entrypoint: runs a distributed Connect worker in this JVM (PID 1) from the worker profile and the
 * environment. Stops cleanly on SIGTERM through Connect's own shutdown hook. Nothing is logged before the
 * configuration is known, so the first log line already carries the task and worker ids.
 *
 * <p>Usage: {@code ConnectLauncher [profile.properties]}; the profile defaults to
 * {@code $CONNECT_AWS_WORKER_PROFILE} or {@value #DEFAULT_PROFILE}.
 */
public final class ConnectLauncher {

    /** Worker profile shipped in the image. */
    public static final String DEFAULT_PROFILE = "/opt/connect/config/connect-distributed.properties";
    public static final String WORKER_PROFILE = "CONNECT_AWS_WORKER_PROFILE";
    public static final String CONNECTOR_DEFAULTS = "CONNECT_AWS_CONNECTOR_DEFAULTS";
    public static final String LOG_FORMAT = LogSettings.LOG_FORMAT;

    /** Every CONNECT_AWS_* variable the image reads; any other is a typo and stops the start. */
    static final List<String> VARIABLES;

    static {
        List<String> all = new ArrayList<>(List.of(WORKER_PROFILE, CONNECTOR_DEFAULTS, LOG_FORMAT,
                WorkerConfiguration.CLIENT_RACK, WorkerConfiguration.ENV_SECRETS, PrometheusAgent.PORT,
                ExactlyOnce.VARIABLE, SourcePreflight.VARIABLE));
        all.addAll(KafkaAuth.VARIABLES);
        all.addAll(RestSecurity.VARIABLES);
        VARIABLES = List.copyOf(all);
    }

    static final Duration REPLICATION_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private ConnectLauncher() {
    }

    /** Every CONNECT_AWS_* variable the image reads (the docs check holds the documentation to it). */
    public static List<String> variables() {
        return VARIABLES;
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        if (Arguments.isHelp(args)) {
            System.out.println(Arguments.USAGE);
            Exit.exit(0);
            return;
        }
        try {
            String user = Arguments.hashPasswordUser(args);
            if (user != null) {
                System.out.println(HashPassword.line(user, System.in));
                Exit.exit(0);
                return;
            }
        } catch (LauncherException e) {
            System.err.println("connect-aws: " + e.getMessage());
            Exit.exit(1);
            return;
        }
        Path profile;
        WorkerConfiguration configuration;
        JvmOptions jvmOptions;
        List<String> startWarnings = new ArrayList<>();
        Optional<EcsTaskMetadata> ecs;
        LogSettings logSettings = null;
        MetricsSettings metrics;
        OptionalInt prometheusPort;
        String secretReferenceKeys;
        io.connectaws.sourcedb.Preflight.Mode preflight;
        try {
            profile = Arguments.profilePath(args, Path.of(environment.getOrDefault(WORKER_PROFILE, DEFAULT_PROFILE)));
            VariableNames.check(environment, VARIABLES);
            startWarnings.addAll(VariableNames.unread(environment));
            logSettings = LogSettings.fromEnvironment(environment);
            jvmOptions = JvmOptions.fromEnvironment(environment);
            ecs = EcsSurroundings.metadata(environment, startWarnings);
            configuration = WorkerConfiguration.build(WorkerConfiguration.loadProfile(profile), environment,
                    new EcsSurroundings(ecs, environment));
            metrics = configuration.metrics();
            prometheusPort = PrometheusAgent.port(environment);
            secretReferenceKeys = RestSecurity.secretReferenceKeys(environment);
            preflight = SourcePreflight.mode(environment);
            if (metrics.sink() != MetricsSettings.Sink.OFF || prometheusPort.isPresent()) {
                MetricsRules.load(metrics.rulesFile());
            }
        } catch (LauncherException | IllegalArgumentException | MetricsConfigException e) {
            // One line that names what to set: this is what ECS shows as the stopped reason's log.
            new StopLine(logSettings == null ? LogSettings.Format.TEXT : logSettings.format())
                    .print(System.err, "cannot start", e.getMessage());
            Exit.exit(1);
            return;
        }
        configuration.ecsTask().ifPresent(task -> System.setProperty("connect.aws.ecs.task.id", task.taskId()));
        ecs.ifPresent(task -> System.setProperty("connect.aws.ecs.task.arn", task.taskArn()));
        System.setProperty("connect.aws.worker.id", configuration.workerId());
        logSettings.apply();
        StopLine stopLine = new StopLine(logSettings.format());
        Logger log = LoggerFactory.getLogger(ConnectLauncher.class);

        if (!jvmOptions.isEmpty() && !Relaunch.isChild()) {
            log.info("{} set: running the worker in a child JVM with {} (JDK_JAVA_OPTIONS needs no second JVM)",
                    String.join(", ", jvmOptions.variables()), jvmOptions.printable());
            try {
                Exit.exit(Relaunch.run(jvmOptions.options(), args));
            } catch (Exception e) {
                log.error("Cannot start the worker JVM", e);
                Exit.exit(2);
            }
            return;
        }

        Map<String, String> properties = configuration.properties();
        if (prometheusPort.isPresent()) {
            try {
                PrometheusAgent.start(PrometheusAgent.DEFAULT_JAR, prometheusPort.getAsInt(), metrics.rulesFile());
            } catch (LauncherException e) {
                stopLine.print(System.err, "cannot start", e.getMessage());
                Exit.exit(1);
                return;
            }
            log.info("Prometheus metrics on port {} with the rules in {}", prometheusPort.getAsInt(), metrics.rulesFile());
        }
        log.info("Worker configuration from {} and the environment:\n{}", profile, configuration.describe());
        configuration.warnings().forEach(log::warn);
        ecs.ifPresent(task -> log.info("Running in {}", task.describe()));
        startWarnings.forEach(log::warn);
        try {
            String skipped = ReplicationFactorCheck.run(properties, configuration::origin, REPLICATION_CHECK_TIMEOUT);
            if (skipped != null) {
                log.info("Replication factors of the storage topics not checked against the cluster: {}", skipped);
            }
        } catch (LauncherException e) {
            stopLine.print(System.out, "cannot start", e.getMessage());
            Exit.exit(1);
            return;
        }
        // Connect logs a failed start (a REST extension's settings, a port in use), stops and exits with 3 by itself;
        // its herder thread logs what stops it (a config topic with two partitions, a topic it may not create) and
        // exits with 1. The capture lets the exit say in one last line what went wrong, as the launcher's checks do.
        ErrorCapture failures = ErrorCapture.attach("org.apache.kafka.connect.cli",
                "org.apache.kafka.connect.runtime.distributed.DistributedHerder");
        java.util.concurrent.atomic.AtomicReference<Connect<?>> running = new java.util.concurrent.atomic.AtomicReference<>();
        Exit.setExitProcedure((status, message) -> {
            Throwable failure = failures.first();
            if (status == 0 || failure == null) {
                System.exit(status);
                return;
            }
            // on its own thread: the herder's thread calls this, and stopping Connect waits for that thread to end
            Thread exit = new Thread(() -> {
                // 3: Connect's start failed and it has stopped itself. Else its herder stops the worker, possibly while
                // startConnect is still returning: wait for it, then stop Connect here, since its own shutdown hook
                // would log after the line otherwise (a second stop is silent).
                Connect<?> connect = status == 3 ? null : awaitStarted(running, Duration.ofSeconds(30));
                if (connect != null) {
                    connect.stop();
                }
                stopLine.print(System.out, status == 3 || connect == null ? "cannot start" : "stopped",
                        StartFailure.describe(failure, configuration::origin));
                System.exit(StartFailure.isSettings(failure) ? 1 : status);
            }, "connect-aws-exit");
            exit.start();
        });
        try {
            Connect<?> connect = new GuardedConnectDistributed(secretReferenceKeys, preflight).startConnect(properties);
            running.set(connect);
            connect.awaitStop();
        } catch (Throwable t) {
            log.error("Stopping due to error", t);
            stopLine.print(System.out, "cannot start", StartFailure.describe(t, configuration::origin));
            Exit.exit(StartFailure.isSettings(t) ? 1 : 2);
        }
    }

    private static Connect<?> awaitStarted(java.util.concurrent.atomic.AtomicReference<Connect<?>> running, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (running.get() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return running.get();
    }

    static boolean flag(Map<String, String> env, String variable, boolean fallback) {
        String v = KafkaAuth.value(env, variable);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new LauncherException(variable + "=" + v + " is not true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** ECS task metadata and zone lookups for {@link WorkerConfiguration}; nothing when off ECS. */
    static final class EcsSurroundings implements WorkerConfiguration.Surroundings {
        private final Optional<WorkerConfiguration.EcsTask> task;
        private final Map<String, String> environment;
        private final String region;

        EcsSurroundings(Optional<EcsTaskMetadata> metadata, Map<String, String> environment) {
            this.task = metadata.map(m -> new WorkerConfiguration.EcsTask(m.taskId(), m.networkMode().orElse("unknown"),
                    // only an awsvpc address is reachable from other hosts; a bridge address is not
                    m.networkMode().filter("awsvpc"::equals).flatMap(mode -> m.privateIpv4()).orElse(null),
                    m.availabilityZone().orElse(null), m.taskArn()));
            this.region = metadata.map(EcsTaskMetadata::region).orElse(null);
            this.environment = environment;
        }

        /**
         * The task's metadata when on ECS. If the endpoint fails, the start stops unless nothing needs it (an advertised
         * host is set and no rack is asked for): then the worker starts without ECS details and a warning.
         */
        static Optional<EcsTaskMetadata> metadata(Map<String, String> environment, List<String> warnings) {
            try {
                return EcsTaskMetadata.fetch(environment, METADATA_TIMEOUT);
            } catch (LauncherException e) {
                boolean hostGiven = java.util.stream.Stream.of("ADVERTISED_HOST_NAME", "CONNECT_REST_ADVERTISED_HOST_NAME", "HOST_NAME")
                        .map(v -> KafkaAuth.value(environment, v)).anyMatch(v -> v != null && !v.equals("0.0.0.0"));
                if (hostGiven && KafkaAuth.value(environment, WorkerConfiguration.CLIENT_RACK) == null) {
                    warnings.add(e.getMessage() + " (starting without ECS task details: the advertised host is set)");
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public String localAddress() {
            return WorkerConfiguration.localAddress();
        }

        @Override
        public Optional<WorkerConfiguration.EcsTask> ecsTask() {
            return task;
        }

        @Override
        public String availabilityZoneId(String zoneName) {
            return AvailabilityZoneIds.lookup(zoneName, region, environment, METADATA_TIMEOUT);
        }
    }

    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
}
