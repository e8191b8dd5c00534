package io.connectaws.launcher;

import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image's entrypoint: runs a distributed Connect worker in this JVM (PID 1) from the worker
 * profile and the environment. Stops cleanly on SIGTERM through Connect's own shutdown hook.
 *
 * <p>Usage: {@code ConnectLauncher [profile.properties]}; the profile defaults to
 * {@code $CONNECT_AWS_WORKER_PROFILE} or {@value #DEFAULT_PROFILE}.
 */
public final class ConnectLauncher {

    /** Worker profile shipped in the image. */
    public static final String DEFAULT_PROFILE = "/opt/connect/config/connect-distributed.properties";

    private static final Logger log = LoggerFactory.getLogger(ConnectLauncher.class);

    private ConnectLauncher() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        Path profile = Path.of(args.length > 0 ? args[0]
                : environment.getOrDefault("CONNECT_AWS_WORKER_PROFILE", DEFAULT_PROFILE));
        WorkerConfiguration configuration;
        try {
            configuration = WorkerConfiguration.build(
                    WorkerConfiguration.loadProfile(profile), environment, WorkerConfiguration::localAddress);
        } catch (LauncherException e) {
            // One line that names what to set: this is what ECS shows as the stopped reason's log.
            System.err.println("connect-aws: cannot start: " + e.getMessage());
            Exit.exit(1);
            return;
        }
        log.info("Worker configuration from {} and the environment:\n{}", profile, configuration.describe());
        try {
            Connect<?> connect = new ConnectDistributed().startConnect(configuration.properties());
            connect.awaitStop();
        } catch (Throwable t) {
            log.error("Stopping due to error", t);
            Exit.exit(2);
        }
    }
}
