package io.connectaws.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigException;

import software.amazon.awssdk.regions.Region;

/**
 * The parameters every AWS provider takes ({@code config.providers.<name>.param.<parameter>}).
 * Nothing here is secret; {@link #identity()} is used to share cached values between instances configured alike.
 */
final class ProviderSettings {
    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String ROLE_ARN = "role.arn";
    static final String ROLE_EXTERNAL_ID = "role.external.id";
    static final String ROLE_SESSION_NAME = "role.session.name";
    static final String STS_REGION = "sts.region";
    static final String STS_ENDPOINT = "sts.endpoint";
    static final String CACHE_TTL = "cache.ttl";
    static final String TTL = "ttl";
    static final String MAX_ATTEMPTS = "api.max.attempts";
    static final String CALL_TIMEOUT = "api.call.timeout";

    static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    static final String DEFAULT_SESSION_NAME = "connect-aws-config-provider";

    final String providerKind;
    private final Optional<Region> region;
    final Optional<URI> endpoint;
    final Optional<String> roleArn;
    final Optional<String> roleExternalId;
    final String roleSessionName;
    final Region stsRegion;
    final Optional<URI> stsEndpoint;
    final Duration cacheTtl;
    final Optional<Duration> rotationCheckInterval;
    final int maxAttempts;
    final Duration callTimeout;
    private final String identity;

    private ProviderSettings(String providerKind, Map<String, ?> params, Map<String, String> env) {
        this.providerKind = providerKind;
        // A missing region fails the first lookup, not the worker: a worker that uses no reference runs anywhere.
        this.region = firstNonBlank(str(params, REGION), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                System.getProperty("aws.region")).map(Region::of);
        this.endpoint = str(params, ENDPOINT).map(s -> uri(s, ENDPOINT));
        this.roleArn = str(params, ROLE_ARN);
        this.roleExternalId = str(params, ROLE_EXTERNAL_ID);
        this.roleSessionName = str(params, ROLE_SESSION_NAME).orElse(DEFAULT_SESSION_NAME);
        this.stsRegion = str(params, STS_REGION).map(Region::of).orElse(region.orElse(null));
        this.stsEndpoint = str(params, STS_ENDPOINT).map(s -> uri(s, STS_ENDPOINT));
        this.cacheTtl = str(params, CACHE_TTL).map(s -> duration(s, CACHE_TTL)).orElse(DEFAULT_CACHE_TTL);
        this.rotationCheckInterval = str(params, TTL).map(s -> duration(s, TTL));
        this.maxAttempts = str(params, MAX_ATTEMPTS).map(s -> positiveInt(s, MAX_ATTEMPTS)).orElse(5);
        this.callTimeout = str(params, CALL_TIMEOUT).map(s -> duration(s, CALL_TIMEOUT)).orElse(Duration.ofSeconds(20));
        if (roleExternalId.isPresent() && roleArn.isEmpty()) {
            throw new ConfigException(providerKind + " config provider: parameter " + ROLE_EXTERNAL_ID
                    + " is set but " + ROLE_ARN + " is not; set the role to assume or remove the external id");
        }
        if (roleSessionName.length() < 2 || roleSessionName.length() > 64 || !roleSessionName.matches("[\\w+=,.@-]+")) {
            throw new ConfigException(providerKind + " config provider: parameter " + ROLE_SESSION_NAME
                    + " must be 2-64 characters of letters, digits and +=,.@_-, not '" + roleSessionName + "'");
        }
        Map<String, Object> sorted = new TreeMap<>();
        params.forEach((k, v) -> sorted.put(k, v));
        sorted.put(REGION, region.map(Region::id).orElse(""));
        this.identity = providerKind + sorted;
    }

    /** Reads the parameters Kafka passes to {@code ConfigProvider.configure}, with region fallbacks from {@code env}. */
    static ProviderSettings parse(String providerKind, Map<String, ?> params, Map<String, String> env) {
        return new ProviderSettings(providerKind, params, env);
    }

    /** The region to call; a clear error when neither the parameter nor the environment gives one. */
    Region region() {
        return region.orElseThrow(() -> new ConfigException(providerKind + " config provider: no AWS region. Set the"
                + " AWS_REGION environment variable (ECS and Fargate set it) or the provider parameter"
                + " config.providers." + providerKind + ".param.region"));
    }

    /** The region for messages, or "(no region)". */
    String regionName() {
        return region.map(Region::id).orElse("(no region)");
    }

    /** A key equal for two providers of the same kind configured alike (same region, endpoint, role...). */
    String identity() {
        return identity;
    }

    private static Optional<String> str(Map<String, ?> params, String key) {
        Object v = params.get(key);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().trim());
    }

    private static Optional<String> firstNonBlank(Optional<String> first, String... rest) {
        if (first.isPresent()) return first;
        for (String s : rest) {
            if (s != null && !s.isBlank()) return Optional.of(s.trim());
        }
        return Optional.empty();
    }

    private URI uri(String s, String key) {
        try {
            URI u = URI.create(s);
            if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException();
            return u;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(providerKind + " config provider: parameter " + key
                    + " must be a URL such as https://vpce-0abc.secretsmanager.eu-west-1.vpce.amazonaws.com, not '" + s + "'");
        }
    }

    private Duration duration(String s, String key) {
        try {
            return Durations.parse(s, providerKind + " config provider: parameter " + key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private int positiveInt(String s, String key) {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(providerKind + " config provider: parameter " + key + " must be a positive number, not '" + s + "'");
        }
    }
}
