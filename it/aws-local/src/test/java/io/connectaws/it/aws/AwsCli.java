package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The AWS CLI (botocore: a second client, independent of the SDK for Java) run as a subprocess against a
 * {@link LocalAws}: static credentials from the environment, no config or credentials file, no instance metadata,
 * one attempt, JSON output. {@code AWS_CLI} may name the executable; else {@code aws} on the PATH.
 */
final class AwsCli {
    private static final Path EXECUTABLE = find();
    private static final String VERSION = EXECUTABLE == null ? null : version(EXECUTABLE);

    /** What one run gave: exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            if (exit != 0) {
                throw new AssertionError("aws exited " + exit + ": " + err);
            }
            try {
                return LocalAws.JSON.readTree(out.isBlank() ? "{}" : out);
            } catch (IOException e) {
                throw new AssertionError("aws printed no JSON: " + out, e);
            }
        }
    }

    private final LocalAws aws;
    private final Map<String, String> environment = new HashMap<>();

    AwsCli(LocalAws aws) {
        this.aws = aws;
        environment.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        region(aws.region());
    }

    /** Skips the calling test, saying why, when there is no AWS CLI (scripts/test.sh installs Debian's awscli). */
    static void assumeInstalled() {
        if (EXECUTABLE == null) {
            String reason = "the AWS CLI ('aws') is not on the PATH and AWS_CLI is not set; scripts/test.sh installs "
                + "it (apt-get install awscli)";
            System.out.println("AwsCli: skipped: " + reason);
            Assumptions.abort(reason);
        }
    }

    /** e.g. {@code aws-cli/2.9.19 Python/3.11.2 ...}. */
    static String version() {
        return VERSION;
    }

    AwsCli credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        environment.put("AWS_ACCESS_KEY_ID", accessKeyId);
        environment.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        if (sessionToken == null) {
            environment.remove("AWS_SESSION_TOKEN");
        } else {
            environment.put("AWS_SESSION_TOKEN", sessionToken);
        }
        return this;
    }

    /** The region the CLI signs for (v1 reads AWS_DEFAULT_REGION, v2 AWS_REGION first). */
    AwsCli region(String region) {
        environment.put("AWS_REGION", region);
        environment.put("AWS_DEFAULT_REGION", region);
        return this;
    }

    /** Sets (or with null removes) an environment variable of the following runs, e.g. AWS_ENDPOINT_URL_STS. */
    AwsCli env(String name, String value) {
        if (value == null) {
            environment.remove(name);
        } else {
            environment.put(name, value);
        }
        return this;
    }

    /** Runs {@code aws <args> --output json}, no --endpoint-url (for commands whose clients take it from the env). */
    Run runWithoutEndpointUrl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(EXECUTABLE.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--output", "json"));
        if (VERSION.startsWith("aws-cli/2")) {
            command.add("--no-cli-pager");
        }
        return exec(command, environment);
    }

    /** Runs {@code aws <args> --endpoint-url <local> --output json}. */
    Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(EXECUTABLE.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", aws.endpoint().toString(), "--output", "json"));
        if (VERSION.startsWith("aws-cli/2")) {
            command.add("--no-cli-pager");
        }
        return exec(command, environment);
    }

    private static Run exec(List<String> command, Map<String, String> extra) {
        AwsCliProcess.Run run = AwsCliProcess.run(Path.of(command.get(0)), command.subList(1, command.size()), extra);
        return new Run(run.exit(), run.out(), run.err());
    }

    private static Path find() {
        return AwsCliProcess.executable().orElse(null);
    }

    private static String version(Path executable) {
        Run run = exec(List.of(executable.toString(), "--version"), Map.of());
        String version = (run.out() + run.err()).trim();
        System.out.println("AwsCli: " + executable + ": " + version);
        return version;
    }
}
