package io.connectaws.it.mskiam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IAM policy document in a file, read again by {@link #refresh()} when it changed, so a test can change a running
 * broker's policy as an operator changes a role's policy on AWS. A file that cannot be read or parsed at start is an
 * error; later, the policy in force stays and a warning names the problem.
 */
final class PolicyFile {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);

    private final Path path;
    private String text;
    private volatile IamPolicy policy;

    /** Reads and parses {@code path} now; an {@link IllegalArgumentException} names the file and the problem. */
    PolicyFile(Path path) {
        this.path = path;
        try {
            this.text = read();
            this.policy = IamPolicy.parse(text);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("IAM policy file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The policy in force. */
    IamPolicy current() {
        return policy;
    }

    /** The first 12 hex digits of the SHA-256 of the policy text in force, as the log lines name it. */
    synchronized String fingerprint() {
        return fingerprint(text);
    }

    /** The first 12 hex digits of the SHA-256 of {@code text} (UTF-8). */
    static String fingerprint(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the file again and puts its policy in force if it changed and parses. */
    synchronized void refresh() {
        try {
            String latest = read();
            if (!latest.equals(text)) {
                policy = IamPolicy.parse(latest);
                text = latest;
                LOG.info("MSK IAM policy reloaded from {} (sha-256 {})", path, fingerprint(latest));
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            LOG.warn("MSK IAM policy file {} not reloaded, the previous policy stays in force: {}", path,
                e.getMessage());
        }
    }

    private String read() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read it (" + e + ")", e);
        }
    }
}
