package io.connectaws.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the worker in a child JVM with extra options ({@link JvmOptions}), since a JVM cannot change its heap or add an
 * agent once started and the image has no shell to build a command line. The parent forwards SIGTERM (the child gets
 * the same graceful Connect shutdown), waits for it, and exits with its status. Costs one small idle JVM;
 * {@code JDK_JAVA_OPTIONS} avoids it.
 */
final class Relaunch {

    /** Set on the child, so it does not relaunch again. */
    static final String CHILD_PROPERTY = "connect.aws.relaunched";

    private Relaunch() {
    }

    static boolean isChild() {
        return Boolean.getBoolean(CHILD_PROPERTY);
    }

    /**
     * The child's command: this JVM's own options (JDK_JAVA_OPTIONS included, expanded), then {@code extra}, which
     * therefore win where they overlap (a later -Xmx overrides an earlier one and -XX:MaxRAMPercentage).
     */
    static List<String> command(String java, List<String> inputArguments, List<String> extra, String classPath,
                                String mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String argument : inputArguments) {
            if (!argument.startsWith("-Djava.class.path=")) {
                command.add(argument);
            }
        }
        command.addAll(extra);
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the child, waits for it and returns its exit status; SIGTERM to this JVM is passed on. */
    static int run(List<String> extra, String[] args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(command(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                extra, System.getProperty("java.class.path"), ConnectLauncher.class.getName(), args)).inheritIO();
        Map<String, String> env = builder.environment();
        env.remove("JDK_JAVA_OPTIONS"); // already among this JVM's input arguments
        Process child = builder.start();
        Thread forward = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy(); // SIGTERM: Connect's shutdown hook stops tasks and commits offsets
                try {
                    child.waitFor(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "connect-aws-relaunch-stop");
        Runtime.getRuntime().addShutdownHook(forward);
        int status = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        return status;
    }
}
