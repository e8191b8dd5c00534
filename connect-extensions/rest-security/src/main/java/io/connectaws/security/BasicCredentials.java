package io.connectaws.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * HTTP Basic users with hashed passwords, one {@code USER:pbkdf2-sha256:ITERATIONS:SALT:HASH} entry per line (or
 * comma-separated; salt and hash in base64), as {@link #hash} writes them: the secret that holds them never holds a
 * password. A verified user and password are remembered (as a SHA-256) for five minutes, so a client polling the API
 * costs one PBKDF2 derivation, not one per request.
 */
public final class BasicCredentials {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 600_000;
    private static final Pattern ENTRY = Pattern.compile(
            "([^:\\s,]+):pbkdf2-sha256:(\\d{1,9}):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final long REMEMBER_NANOS = 5L * 60 * 1_000_000_000;

    private record Hash(int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, Hash> users;
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    private BasicCredentials(Map<String, Hash> users) {
        this.users = users;
    }

    /**
     * Reads the entries; {@code setting} names the variable in errors, which never quote a hash.
     *
     * @throws IllegalArgumentException when there is no entry or one that is not in the form
     */
    public static BasicCredentials parse(String entries, String setting) {
        Map<String, Hash> users = new LinkedHashMap<>();
        int n = 0;
        for (String entry : (entries == null ? "" : entries).split("[\\s,]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            n++;
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 10_000) {
                throw new IllegalArgumentException(setting + "'s entry " + n + " is not USER:pbkdf2-sha256:ITERATIONS:SALT:HASH "
                        + "with at least 10000 iterations: make each entry with `docker run --rm -i IMAGE hash-password USER` "
                        + "(docs/security.md)");
            }
            users.put(m.group(1), new Hash(Integer.parseInt(m.group(2)), Base64.getDecoder().decode(m.group(3)),
                    Base64.getDecoder().decode(m.group(4))));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(setting + " holds no user: set it (from Secrets Manager, as an ECS task "
                    + "definition secret) to lines made by `docker run --rm -i IMAGE hash-password USER` (docs/security.md)");
        }
        return new BasicCredentials(Map.copyOf(users));
    }

    /** The entry for {@code user} with a fresh salt: what {@code hash-password} prints. */
    public static String hash(String user, char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":pbkdf2-sha256:" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(derive(password, salt, ITERATIONS, 32));
    }

    /** The user of an {@code Authorization: Basic ...} header whose password matches, or empty. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        Hash known = users.get(user);
        if (known == null) {
            return Optional.empty();
        }
        String memo = sha256(user + "\u0000" + decoded.substring(colon + 1));
        Long until = verified.get(memo);
        long now = System.nanoTime();
        if (until != null && now - until < 0) {
            return Optional.of(user);
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        byte[] derived = derive(password, known.salt(), known.iterations(), known.hash().length);
        if (!MessageDigest.isEqual(derived, known.hash())) {
            return Optional.empty();
        }
        if (verified.size() > 1000) {
            verified.clear();
        }
        verified.put(memo, now + REMEMBER_NANOS);
        return Optional.of(user);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int length) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, length * 8)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        }
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
