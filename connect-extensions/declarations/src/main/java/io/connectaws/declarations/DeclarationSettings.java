package io.connectaws.declarations;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The declarations' settings, read from the worker config ({@code declarations.*}; the image maps
 * {@code CONNECT_DECLARATIONS_*} environment variables onto them). The launcher checks them before Connect starts.
 */
public final class DeclarationSettings {
    public static final String DIR = "declarations.dir";
    public static final String SSM_PATH = "declarations.ssm.path";
    public static final String SSM_REGION = "declarations.ssm.region";
    public static final String SSM_ENDPOINT = "declarations.ssm.endpoint";
    public static final String INTERVAL = "declarations.interval.ms";
    public static final String PURGE = "declarations.purge";
    public static final String REST_URL = "declarations.rest.url";
    public static final String PARALLELISM = "declarations.apply.parallelism";

    static final ConfigDef DEF = new ConfigDef()
            .define(DIR, Type.STRING, "/opt/connect/connectors", Importance.HIGH,
                    "Directory of declaration files (*.json, *.yaml, *.yml, and the CSV tenant lists they name). "
                            + "Empty or missing declares nothing.")
            .define(SSM_PATH, Type.STRING, "", DeclarationSettings::validPath, Importance.HIGH,
                    "SSM Parameter Store path whose parameters (recursively) are declaration documents; empty for none.")
            .define(SSM_REGION, Type.STRING, "", Importance.LOW,
                    "Region of the Parameter Store; empty for the SDK's default (AWS_REGION on ECS).")
            .define(SSM_ENDPOINT, Type.STRING, "", DeclarationSettings::validEndpoint, Importance.LOW,
                    "Endpoint override for SSM (a VPC endpoint URL); empty for the region's own.")
            .define(INTERVAL, Type.LONG, 30_000L, ConfigDef.Range.between(1_000L, 86_400_000L), Importance.MEDIUM,
                    "How often the sources are read again and the cluster brought back to what they declare.")
            .define(PURGE, Type.BOOLEAN, false, Importance.HIGH,
                    "Delete connectors created from a declaration that is gone. Off: they are kept, with a warning.")
            .define(PARALLELISM, Type.INT, 16, ConfigDef.Range.between(1, 64), Importance.LOW,
                    "Connectors the leader applies at once. Connect validates each on its own threads and writes every "
                            + "create queued by then in one go, with one rebalance after them.")
            .define(REST_URL, Type.STRING, "", Importance.LOW,
                    "URL of this worker's REST API for the reconciler's calls; empty for the first http listener on loopback.");

    public final Path dir;
    public final Optional<String> ssmPath;
    public final Optional<String> ssmRegion;
    public final Optional<URI> ssmEndpoint;
    public final long intervalMillis;
    public final boolean purge;
    public final int parallelism;

    private DeclarationSettings(AbstractConfig c) {
        String d = c.getString(DIR).trim();
        dir = Path.of(d.isEmpty() ? "/opt/connect/connectors" : d);
        ssmPath = nonEmpty(c.getString(SSM_PATH));
        ssmRegion = nonEmpty(c.getString(SSM_REGION));
        ssmEndpoint = nonEmpty(c.getString(SSM_ENDPOINT)).map(URI::create);
        intervalMillis = c.getLong(INTERVAL);
        purge = c.getBoolean(PURGE);
        parallelism = c.getInt(PARALLELISM);
    }

    /**
     * Reads the {@code declarations.*} keys of a worker config; other keys are ignored.
     *
     * @throws ConfigException naming the setting and what it accepts
     */
    public static DeclarationSettings from(Map<String, ?> worker) {
        Map<String, Object> own = new java.util.HashMap<>();
        worker.forEach((k, v) -> {
            if (k.startsWith("declarations.")) {
                if (DEF.configKeys().containsKey(k)) {
                    own.put(k, v);
                } else {
                    throw new ConfigException(k + " is not a setting of the declarations: use one of "
                            + new java.util.TreeSet<>(DEF.names()));
                }
            }
        });
        return new DeclarationSettings(new AbstractConfig(DEF, own, false));
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static void validPath(String name, Object value) {
        String v = value == null ? "" : value.toString().trim();
        if (!v.isEmpty() && !v.startsWith("/")) {
            throw new ConfigException(name, value, "an SSM path starts with '/', e.g. /connect/orders-cdc/");
        }
    }

    private static void validEndpoint(String name, Object value) {
        String v = value == null ? "" : value.toString().trim();
        if (v.isEmpty()) {
            return;
        }
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "expected a URL such as https://ssm.eu-west-1.amazonaws.com");
        }
    }
}
