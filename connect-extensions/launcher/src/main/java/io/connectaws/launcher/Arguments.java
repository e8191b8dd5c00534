package io.connectaws.launcher;

import java.nio.file.Path;
import java.util.List;

/** The container's arguments: none, Debezium's {@code start}, a worker profile, or a request for the usage. */
final class Arguments {

    static final List<String> HELP = List.of("--help", "-h", "help", "-help");
    static final String USAGE_SHORT = "The image takes no arguments (start, as for Debezium's image, is accepted) or the "
            + "path of a worker profile; settings come from environment variables (docs/launcher.md).";
    static final String USAGE = """
            connect-aws: a Kafka Connect worker (distributed mode) for ECS, MSK and RDS.
            Usage: docker run [-e VARIABLE=value ...] IMAGE [start | PROFILE]
              (no argument)  the image's worker profile, /opt/connect/config/connect-distributed.properties
              start          the same (the command of Debezium's image, accepted as it is)
              PROFILE        a worker properties file of your own (or set CONNECT_AWS_WORKER_PROFILE)
              hash-password USER
                             reads a password on standard input (docker run --rm -i) and prints the line for
                             CONNECT_AWS_REST_BASIC_CREDENTIALS (docs/security.md)
            Settings come from environment variables: BOOTSTRAP_SERVERS (required), GROUP_ID, CONNECT_<PROPERTY>,
            CONNECT_AWS_* and CONNECT_HEALTH_*; every variable is described in docs/launcher.md.""";

    private Arguments() {
    }

    /** The user of {@code hash-password USER}, or null for any other arguments. */
    static String hashPasswordUser(String[] args) {
        if (args.length == 0 || !args[0].equals("hash-password")) {
            return null;
        }
        if (args.length != 2 || !args[1].matches("[^:\\s,]+")) {
            throw new LauncherException("hash-password takes one user name without ':', ',' or spaces: "
                    + "echo -n PASSWORD | docker run --rm -i IMAGE hash-password USER");
        }
        return args[1];
    }

    /** Whether the arguments ask for the usage ({@code --help}, {@code -h}, {@code help}). */
    static boolean isHelp(String[] args) {
        return args.length > 0 && HELP.contains(args[0]);
    }

    /**
     * The worker profile: the one argument, or {@code fallback} ({@code CONNECT_AWS_WORKER_PROFILE} or the image's).
     * {@code start} (the command Debezium's image takes, kept in many task definitions) is accepted and asks for
     * nothing more.
     */
    static Path profilePath(String[] args, Path fallback) {
        List<String> given = java.util.Arrays.stream(args).filter(a -> !a.equals("start")).toList();
        if (given.size() > 1) {
            throw new LauncherException("the image takes at most one argument, a worker profile, and got "
                    + String.join(" ", args) + ". " + USAGE_SHORT);
        }
        if (given.isEmpty()) {
            return fallback;
        }
        String arg = given.get(0);
        if (arg.startsWith("-") || !java.nio.file.Files.isRegularFile(Path.of(arg))) {
            throw new LauncherException("argument '" + arg + "' is not a worker profile file in this container. "
                    + USAGE_SHORT);
        }
        return Path.of(arg);
    }
}
