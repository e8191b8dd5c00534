package io.connectaws.launcher;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.connectaws.rest.WorkerRest;
import io.connectaws.security.RestSecurityExtension;
import io.connectaws.security.RestSecuritySettings;
import io.connectaws.security.SecretReferencePolicy;

/**
 * The {@code CONNECT_AWS_REST_*} variables and {@code CONNECT_AWS_SECRET_REFERENCE_KEYS} as worker properties: the
 * authentication mode and its credentials for {@link RestSecurityExtension}, the https listener (with a loopback http
 * listener kept for the health probe and the worker's own calls), the write lock and the worker's random token. Every
 * setting is checked here, so a mistake stops the start with one line naming the variable.
 */
final class RestSecurity {
    static final String AUTH = "CONNECT_AWS_REST_AUTH";
    static final String BASIC_CREDENTIALS = "CONNECT_AWS_REST_BASIC_CREDENTIALS";
    static final String IAM_PRINCIPALS = "CONNECT_AWS_REST_IAM_PRINCIPALS";
    static final String IAM_CLUSTER_ID = "CONNECT_AWS_REST_IAM_CLUSTER_ID";
    static final String IAM_STS_ENDPOINT = "CONNECT_AWS_REST_IAM_STS_ENDPOINT";
    static final String HTTPS_PORT = "CONNECT_AWS_REST_HTTPS_PORT";
    static final String WRITE_LOCK = "CONNECT_AWS_REST_WRITE_LOCK";
    /** Every variable this class reads. */
    static final List<String> VARIABLES = List.of(AUTH, BASIC_CREDENTIALS, IAM_PRINCIPALS, IAM_CLUSTER_ID, IAM_STS_ENDPOINT,
            HTTPS_PORT, WRITE_LOCK, RestTlsFiles.CERTIFICATE, RestTlsFiles.KEY, RestTlsFiles.CLIENT_CA,
            SecretReferencePolicy.SETTING);

    private RestSecurity() {
    }

    /** The {@link SecretReferencePolicy#SETTING} value, checked; blank when unset. */
    static String secretReferenceKeys(Map<String, String> env) {
        String value = Optional.ofNullable(KafkaAuth.value(env, SecretReferencePolicy.SETTING)).orElse("");
        SecretReferencePolicy.of(Set.of(), value); // throws IllegalArgumentException naming the entry
        return value;
    }

    /**
     * Adds the properties to {@code merged}, writing TLS files under {@code tlsDir} when a certificate is set.
     *
     * @return a warning to log, or null
     * @throws LauncherException naming the variable that is wrong and how to fix it
     */
    static String apply(Map<String, String> env, Map<String, String> merged, Map<String, String> origins, Path tlsDir) {
        String modeValue = KafkaAuth.value(env, AUTH);
        RestSecuritySettings.Mode mode;
        try {
            mode = RestSecuritySettings.Mode.of(modeValue, AUTH);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage());
        }
        boolean writeLock = ConnectLauncher.flag(env, WRITE_LOCK, false);
        String certificate = KafkaAuth.value(env, RestTlsFiles.CERTIFICATE);
        String key = KafkaAuth.value(env, RestTlsFiles.KEY);
        String clientCa = KafkaAuth.value(env, RestTlsFiles.CLIENT_CA);
        if ((certificate == null) != (key == null)) {
            throw new LauncherException(certificate == null ? RestTlsFiles.KEY + " is set without " + RestTlsFiles.CERTIFICATE
                    : RestTlsFiles.CERTIFICATE + " is set without " + RestTlsFiles.KEY + ": set both (docs/security.md)");
        }
        if (mode == RestSecuritySettings.Mode.MTLS && (certificate == null || clientCa == null)) {
            throw new LauncherException(AUTH + "=mtls needs " + RestTlsFiles.CERTIFICATE + ", " + RestTlsFiles.KEY + " and "
                    + RestTlsFiles.CLIENT_CA + " (the CA of the client certificates), each from Secrets Manager as task "
                    + "definition secrets (docs/security.md)");
        }
        if (clientCa != null && mode != RestSecuritySettings.Mode.MTLS) {
            throw new LauncherException(RestTlsFiles.CLIENT_CA + " is set but " + AUTH + " is not mtls: set " + AUTH
                    + "=mtls to require client certificates, or remove " + RestTlsFiles.CLIENT_CA);
        }
        requireOnlyFor(env, mode, RestSecuritySettings.Mode.BASIC, BASIC_CREDENTIALS);
        requireOnlyFor(env, mode, RestSecuritySettings.Mode.IAM, IAM_PRINCIPALS, IAM_CLUSTER_ID, IAM_STS_ENDPOINT);

        if (certificate != null) {
            https(env, merged, origins, certificate, key, clientCa, tlsDir);
        }
        if (mode == RestSecuritySettings.Mode.NONE && !writeLock) {
            return null;
        }
        put(merged, origins, RestSecuritySettings.AUTH, mode.name().toLowerCase(java.util.Locale.ROOT), AUTH);
        if (mode != RestSecuritySettings.Mode.NONE && WorkerConfiguration.PROFILE.equals(origins.get("admin.listeners"))) {
            // Kafka registers REST extensions on the main listener only: /admin/loggers goes back there, where the
            // authentication (and the write lock) cover it, instead of the profile's unauthenticated loopback listener
            merged.remove("admin.listeners");
            origins.remove("admin.listeners");
        }
        if (writeLock) {
            put(merged, origins, RestSecuritySettings.WRITE_LOCK, "true", WRITE_LOCK);
        }
        switch (mode) {
            case BASIC -> {
                if (KafkaAuth.value(env, BASIC_CREDENTIALS) == null) {
                    throw new LauncherException(AUTH + "=basic needs " + BASIC_CREDENTIALS + ": lines made by `docker run "
                            + "--rm -i IMAGE hash-password USER`, kept in Secrets Manager and set as a task definition "
                            + "secret (docs/security.md)");
                }
                put(merged, origins, RestSecuritySettings.BASIC_CREDENTIALS, KafkaAuth.value(env, BASIC_CREDENTIALS),
                        BASIC_CREDENTIALS);
            }
            case IAM -> {
                put(merged, origins, RestSecuritySettings.IAM_PRINCIPALS, KafkaAuth.value(env, IAM_PRINCIPALS), IAM_PRINCIPALS);
                put(merged, origins, RestSecuritySettings.IAM_CLUSTER_ID, KafkaAuth.value(env, IAM_CLUSTER_ID), IAM_CLUSTER_ID);
                put(merged, origins, RestSecuritySettings.IAM_STS_ENDPOINT, KafkaAuth.value(env, IAM_STS_ENDPOINT),
                        IAM_STS_ENDPOINT);
            }
            default -> {
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        put(merged, origins, WorkerRest.TOKEN_PROPERTY, Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                "the launcher (random, for the worker's own calls)");
        try {
            RestSecuritySettings.from(merged);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage().replace(RestSecuritySettings.BASIC_CREDENTIALS, BASIC_CREDENTIALS)
                    .replace(RestSecuritySettings.IAM_PRINCIPALS, IAM_PRINCIPALS));
        }
        WorkerConfiguration.addExtension(merged, origins, RestSecurityExtension.class.getName(),
                mode == RestSecuritySettings.Mode.NONE ? WRITE_LOCK : AUTH);
        if ((mode == RestSecuritySettings.Mode.BASIC || mode == RestSecuritySettings.Mode.IAM) && certificate == null) {
            return AUTH + "=" + mode.name().toLowerCase(java.util.Locale.ROOT) + " over plain http: credentials cross the "
                    + "network in the clear unless a load balancer in front terminates TLS; set "
                    + RestTlsFiles.CERTIFICATE + " and " + RestTlsFiles.KEY + " for an https listener (docs/security.md)";
        }
        return null;
    }

    private static void https(Map<String, String> env, Map<String, String> merged, Map<String, String> origins,
                              String certificate, String key, String clientCa, Path tlsDir) {
        String portValue = Optional.ofNullable(KafkaAuth.value(env, HTTPS_PORT)).orElse("8443");
        if (!portValue.matches("\\d{1,5}")) {
            throw new LauncherException(HTTPS_PORT + "=" + portValue + " is not a port number, e.g. 8443");
        }
        String listeners = merged.getOrDefault("listeners", "http://0.0.0.0:8083");
        if (!listeners.contains("https://")) {
            // the public listener becomes https; plain http stays on loopback only, for the ECS health check's probe
            // and the worker's own calls (declarations, self-healing), which never leave the task
            String httpPort = WorkerRest.listeners(listeners).stream().filter(u -> "http".equals(u.getScheme())
                    && u.getPort() > 0).findFirst().map(u -> Integer.toString(u.getPort())).orElse("8083");
            if (httpPort.equals(portValue)) {
                throw new LauncherException(HTTPS_PORT + "=" + portValue + " is the http listener's port too: choose another");
            }
            put(merged, origins, "listeners", "https://0.0.0.0:" + portValue + ",http://127.0.0.1:" + httpPort,
                    RestTlsFiles.CERTIFICATE);
        }
        put(merged, origins, "rest.advertised.listener", "https", RestTlsFiles.CERTIFICATE);
        RestTlsFiles.Files files = RestTlsFiles.write(certificate, key, Optional.ofNullable(clientCa), tlsDir);
        String p = "listeners.https.";
        put(merged, origins, p + "ssl.keystore.type", "PKCS12", RestTlsFiles.CERTIFICATE);
        put(merged, origins, p + "ssl.keystore.location", files.keyStore().toString(), RestTlsFiles.CERTIFICATE);
        put(merged, origins, p + "ssl.keystore.password", files.password(), "the launcher (random)");
        put(merged, origins, p + "ssl.key.password", files.password(), "the launcher (random)");
        put(merged, origins, p + "ssl.truststore.type", "PKCS12", RestTlsFiles.CERTIFICATE);
        put(merged, origins, p + "ssl.truststore.location", files.trustStore().toString(), RestTlsFiles.CERTIFICATE);
        put(merged, origins, p + "ssl.truststore.password", files.password(), "the launcher (random)");
        // followers reach the leader at its task address, which a certificate cannot name in advance; the trust store
        // holds only this cluster's certificate (and the client CA), so forwarding still reaches only a peer
        put(merged, origins, p + "ssl.endpoint.identification.algorithm", "", RestTlsFiles.CERTIFICATE);
        if (clientCa != null) {
            put(merged, origins, p + "ssl.client.auth", "required", RestTlsFiles.CLIENT_CA);
        }
    }

    private static void requireOnlyFor(Map<String, String> env, RestSecuritySettings.Mode mode,
                                       RestSecuritySettings.Mode needs, String... variables) {
        for (String v : variables) {
            if (KafkaAuth.value(env, v) != null && mode != needs) {
                throw new LauncherException(v + " is set but " + AUTH + " is " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + ": set " + AUTH + "=" + needs.name().toLowerCase(java.util.Locale.ROOT) + " or remove " + v);
            }
        }
    }

    private static void put(Map<String, String> merged, Map<String, String> origins, String key, String value, String origin) {
        if (value == null) {
            return;
        }
        merged.put(key, value);
        origins.put(key, origin);
    }
}
