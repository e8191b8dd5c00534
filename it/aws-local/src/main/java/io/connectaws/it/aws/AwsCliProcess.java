package io.connectaws.it.aws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI as tests run it, the second client next to the SDK for Java: found as {@code AWS_CLI} or {@code aws} on
 * the PATH, run with no config or credentials file, no instance metadata and one attempt, so that only the
 * environment a test gives it counts.
 */
public final class AwsCliProcess {
    /** What one run gave: exit code, stdout and stderr. */
    public record Run(int exit, String out, String err) {
    }

    private AwsCliProcess() {
    }

    /** {@code AWS_CLI}, else {@code aws} on the PATH; empty when neither. */
    public static Optional<Path> executable() {
        String configured = System.getenv("AWS_CLI");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "aws");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code executable args} with every inherited {@code AWS_*} variable removed and {@code environment} added
     * (credentials, region, {@code AWS_ENDPOINT_URL_STS}, ...); fails after 90 s.
     */
    public static Run run(Path executable, List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_RETRY_MODE", "standard");
        env.putAll(environment);
        try {
            Path out = Files.createTempFile("aws-cli", ".out");
            Path err = Files.createTempFile("aws-cli", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("aws did not finish within 90 s: " + command);
                }
                return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
