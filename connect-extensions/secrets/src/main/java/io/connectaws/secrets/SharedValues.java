package io.connectaws.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Values read from AWS, shared by the provider instances of one worker that are configured alike (the worker's own,
 * the short-lived ones Kafka creates while parsing the worker config, and the rotation monitor's), so a secret used by
 * 200 connectors is read once per cache period and a refresh by the monitor is what the next task start sees.
 * Holds values only in memory; fingerprints are HMACs under a random per-process key.
 */
final class SharedValues {
    private static final ConcurrentMap<String, Cached> VALUES = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, Object> LOCKS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, String> SERVED = new ConcurrentHashMap<>();
    private static final byte[] FINGERPRINT_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(FINGERPRINT_KEY);
    }

    private record Cached(Object value, long fetchedAtNanos) {
    }

    private SharedValues() {
    }

    /** The cached value of {@code key}, loaded with {@code loader} when absent or older than {@code maxAge}; concurrent callers share one load. */
    @SuppressWarnings("unchecked")
    static <T> T get(String key, Duration maxAge, Supplier<T> loader) {
        Cached c = VALUES.get(key);
        if (fresh(c, maxAge)) return (T) c.value;
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            c = VALUES.get(key);
            if (fresh(c, maxAge)) return (T) c.value;
            T value = loader.get();
            VALUES.put(key, new Cached(value, System.nanoTime()));
            return value;
        }
    }

    /** Loads {@code key} now and replaces the cached value. */
    static <T> T refresh(String key, Supplier<T> loader) {
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            T value = loader.get();
            VALUES.put(key, new Cached(value, System.nanoTime()));
            return value;
        }
    }

    /** Records the fingerprint of the value handed to Kafka for a reference. */
    static void served(String referenceKey, String value) {
        SERVED.put(referenceKey, fingerprint(value));
    }

    /** The fingerprint last recorded by {@link #served}. */
    static Optional<String> servedFingerprint(String referenceKey) {
        return Optional.ofNullable(SERVED.get(referenceKey));
    }

    /** A keyed hash of {@code value}: equal values give equal fingerprints within this process only. */
    static String fingerprint(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(FINGERPRINT_KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Drops everything; for tests. */
    static void clear() {
        VALUES.clear();
        SERVED.clear();
    }

    private static boolean fresh(Cached c, Duration maxAge) {
        return c != null && System.nanoTime() - c.fetchedAtNanos < maxAge.toNanos();
    }
}
