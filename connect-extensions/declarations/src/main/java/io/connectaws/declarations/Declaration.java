package io.connectaws.declarations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One connector as declared: its name, its config (config provider references kept as written) and the state it
 * should be in.
 */
public record Declaration(String name, Map<String, String> config, DesiredState state, Origin origin) {

    /**
     * Config key the reconciler adds to every connector it creates. Its presence marks the connector as declared (a
     * connector without it was made by hand and is never touched); its value is {@link #fingerprint()}.
     */
    public static final String MARKER = "connect.aws.declaration";

    public Declaration {
        config = Map.copyOf(new TreeMap<>(config));
    }

    /**
     * The config as written to Connect: the declared keys (Debezium 1.x names as the 2.x names the image's REST filter
     * would store), {@code name} and the marker.
     *
     * @throws IllegalArgumentException when a 1.x name and its 2.x name are both declared with different values
     */
    public Map<String, String> appliedConfig() {
        Map<String, String> applied = new TreeMap<>(io.connectaws.rest.DebeziumLegacyNames.translate(config).config());
        applied.put("name", name);
        applied.put(MARKER, fingerprint());
        return applied;
    }

    /** A short hash of the declared config (sorted keys): it changes whenever the declaration's config does. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(config).forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
