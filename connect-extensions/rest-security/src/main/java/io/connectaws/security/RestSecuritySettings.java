package io.connectaws.security;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.connectaws.rest.WorkerRest;

/**
 * The REST security extension's settings, read from the worker config (the launcher writes them from the
 * {@code CONNECT_AWS_REST_*} variables): the authentication mode and its credentials, the write lock, the worker's own
 * token and the port of the https listener whose TLS handshake already verified a client certificate.
 *
 * @param mode        how callers authenticate
 * @param basicUsers  the {@code basic} mode's users, else null
 * @param iam         the {@code iam} mode's verifier, else null
 * @param mtlsPort    the https listener's port in {@code mtls} mode, else -1
 * @param writeLock   true when only the worker itself may write
 * @param workerToken the token of this worker's own loopback calls (declarations, self-healing, rotation)
 */
public record RestSecuritySettings(Mode mode, BasicCredentials basicUsers, IamCallerIdentity iam, int mtlsPort,
                                   boolean writeLock, String workerToken) {

    /** Worker property of the mode. */
    public static final String AUTH = "connect.aws.rest.auth";
    /** Worker property of the {@code basic} mode's hashed users. */
    public static final String BASIC_CREDENTIALS = "connect.aws.rest.basic.credentials";
    /** Worker property of the {@code iam} mode's allowed principals (comma-separated ARNs). */
    public static final String IAM_PRINCIPALS = "connect.aws.rest.iam.principals";
    /** Worker property of the cluster id an IAM token must be made for (default: the group id). */
    public static final String IAM_CLUSTER_ID = "connect.aws.rest.iam.cluster.id";
    /** Worker property of a non-standard STS endpoint, the only one then accepted (tests, FIPS). */
    public static final String IAM_STS_ENDPOINT = "connect.aws.rest.iam.sts.endpoint";
    /** Worker property of the write lock. */
    public static final String WRITE_LOCK = "connect.aws.rest.write.lock";

    /** How REST callers authenticate. */
    public enum Mode {
        /** Nobody: Kafka's default (the write lock and the secret-reference policy still apply). */
        NONE,
        /** HTTP Basic against hashed credentials. */
        BASIC,
        /** A presigned sts:GetCallerIdentity of an allowed principal. */
        IAM,
        /** A client certificate verified in the TLS handshake of the https listener. */
        MTLS;

        /** The mode named {@code value} (any case), naming the accepted values otherwise. */
        public static Mode of(String value, String setting) {
            try {
                return value == null || value.isBlank() ? NONE : valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + "=" + value + " is not a REST authentication mode: use none, "
                        + "basic, iam or mtls (docs/security.md)");
            }
        }
    }

    /**
     * Reads the settings from a worker config.
     *
     * @throws IllegalArgumentException naming the property and what it needs
     */
    public static RestSecuritySettings from(Map<String, ?> worker) {
        Mode mode = Mode.of(str(worker, AUTH), AUTH);
        BasicCredentials basic = mode == Mode.BASIC ? BasicCredentials.parse(str(worker, BASIC_CREDENTIALS), BASIC_CREDENTIALS) : null;
        IamCallerIdentity iam = null;
        if (mode == Mode.IAM) {
            String principals = str(worker, IAM_PRINCIPALS);
            List<String> list = principals == null ? List.of() : Arrays.stream(principals.split("[,\\s]+"))
                    .filter(s -> !s.isEmpty()).toList();
            if (list.isEmpty()) {
                throw new IllegalArgumentException(IAM_PRINCIPALS + " is empty: list the role or user ARNs allowed to call "
                        + "the REST API (docs/security.md)");
            }
            String cluster = Optional.ofNullable(str(worker, IAM_CLUSTER_ID)).orElse(str(worker, "group.id"));
            Optional<URI> sts = Optional.ofNullable(str(worker, IAM_STS_ENDPOINT)).map(URI::create);
            iam = new IamCallerIdentity(cluster, list, sts, java.time.Clock.systemUTC());
        }
        int mtlsPort = -1;
        if (mode == Mode.MTLS) {
            mtlsPort = httpsPort(str(worker, "listeners"));
            if (mtlsPort < 0 || !"required".equalsIgnoreCase(str(worker, "listeners.https.ssl.client.auth"))) {
                throw new IllegalArgumentException(AUTH + "=mtls needs an https listener with "
                        + "listeners.https.ssl.client.auth=required (the launcher sets both from CONNECT_AWS_REST_TLS_*)");
            }
        }
        String token = str(worker, WorkerRest.TOKEN_PROPERTY);
        return new RestSecuritySettings(mode, basic, iam, mtlsPort, "true".equalsIgnoreCase(str(worker, WRITE_LOCK)),
                token == null ? "" : token);
    }

    /** The port of the first https listener in {@code listeners}, or -1. */
    static int httpsPort(String listeners) {
        return WorkerRest.listeners(listeners == null ? "" : listeners).stream()
                .filter(u -> "https".equalsIgnoreCase(u.getScheme())).findFirst()
                .map(u -> u.getPort() < 0 ? 443 : u.getPort()).orElse(-1);
    }

    private static String str(Map<String, ?> m, String k) {
        Object v = m.get(k);
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }
}
