package io.connectaws.secrets;

import java.time.Duration;
import java.util.Optional;

/**
 * What the rotation monitor needs from a provider to notice that a referenced value changed.
 * Fingerprints are keyed hashes (HMAC with a per-process random key): comparable within one worker, useless outside it.
 */
public interface RotatableConfigProvider {

    /** How often {@code ${provider:path:key}} should be re-read to notice a rotation; empty means never. */
    Optional<Duration> rotationCheckInterval(String path, String key);

    /** Reads the referenced value from AWS now, bypassing and refreshing the cache, and returns its fingerprint. */
    String freshFingerprint(String path, String key);

    /** The fingerprint of the value this worker last handed to Kafka for the reference, if it resolved it. */
    Optional<String> servedFingerprint(String path, String key);
}
