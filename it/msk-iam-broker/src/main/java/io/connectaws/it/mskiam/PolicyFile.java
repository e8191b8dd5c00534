package io.connectaws.it.mskiam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IAM policy document in a file, read again when it changes (looked at no more than once per {@code interval}), so
 * a test can change a running broker's policy as an operator changes a role's policy on AWS. A file that cannot be
 * read or parsed at start is an error; later, the policy in force stays and a warning names the problem.
 */
final class PolicyFile {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);

    private final Path path;
    private final Duration interval;
    private final Clock clock;
    private String text;
    private IamPolicy policy;
    private Instant checked;

    /** Reads and parses {@code path} now; an {@link IllegalArgumentException} names the file and the problem. */
    PolicyFile(Path path, Duration interval, Clock clock) {
        this.path = path;
        this.interval = interval;
        this.clock = clock;
        try {
            this.text = read();
            this.policy = IamPolicy.parse(text);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("IAM policy file " + path + ": " + e.getMessage(), e);
        }
        this.checked = clock.instant();
    }

    /** The policy in force, re-read first if {@code interval} has passed since the last look. */
    synchronized IamPolicy current() {
        Instant now = clock.instant();
        if (now.isBefore(checked.plus(interval))) {
            return policy;
        }
        checked = now;
        try {
            String latest = read();
            if (!latest.equals(text)) {
                policy = IamPolicy.parse(latest);
                text = latest;
                LOG.info("MSK IAM policy reloaded from {}", path);
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            LOG.warn("MSK IAM policy file {} not reloaded, the previous policy stays in force: {}", path,
                e.getMessage());
        }
        return policy;
    }

    private String read() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read it (" + e + ")", e);
        }
    }
}
