package io.connectaws.secrets;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkClient;

/**
 * What the Secrets Manager and SSM providers share: settings, a lazily built client closed in {@link #close()}, the
 * per-worker cache, and the bookkeeping the rotation monitor reads. Subclasses say how a reference resolves.
 *
 * @param <C> the SDK client
 */
abstract class AwsConfigProvider<C extends SdkClient> implements ConfigProvider, RotatableConfigProvider {
    private static final Logger log = LoggerFactory.getLogger(AwsConfigProvider.class);

    private final String kind;
    private final String service;
    private final Function<AwsClients, C> clientFactory;
    protected ProviderSettings settings;
    private AwsClients aws;
    private C client;

    /** {@code kind} names the provider in messages ("secretsmanager"), {@code service} the AWS service. */
    AwsConfigProvider(String kind, String service, Function<AwsClients, C> clientFactory) {
        this.kind = kind;
        this.service = service;
        this.clientFactory = clientFactory;
    }

    /** The value of one reference as Kafka passes it; {@code fresh} bypasses and refreshes the cache. */
    protected abstract String resolve(String path, String key, boolean fresh);

    /** The reference's own {@code ?ttl=}, if it has one. */
    protected abstract Optional<Duration> referenceTtl(String path, String key);

    @Override
    public void configure(Map<String, ?> configs) {
        configure(configs, System.getenv());
    }

    void configure(Map<String, ?> configs, Map<String, String> env) {
        this.settings = ProviderSettings.parse(kind, configs, env);
        log.info("{} config provider: region {}{}{}, cache {}, rotation checks {}", service, settings.regionName(),
                settings.endpoint.map(e -> ", endpoint " + e).orElse(""),
                settings.roleArn.map(r -> ", assuming " + r).orElse(""), Durations.format(settings.cacheTtl),
                settings.rotationCheckInterval.map(Durations::format).map(d -> "every " + d).orElse("off"));
    }

    /** The requested keys of {@code path}, each resolved or failing with a {@link ConfigException}: never left out. */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            String value = resolve(path, key, false);
            SharedValues.served(referenceKey(path, key), value);
            data.put(key, value);
        }
        // No TTL for Kafka: its reload restarts the connector on every expiry whether or not the value changed, and
        // never the tasks. The rotation monitor re-reads instead and restarts connector and tasks only on a change.
        return new ConfigData(data);
    }

    @Override
    public Optional<Duration> rotationCheckInterval(String path, String key) {
        return referenceTtl(path, key).or(() -> settings.rotationCheckInterval);
    }

    @Override
    public String freshFingerprint(String path, String key) {
        return SharedValues.fingerprint(resolve(path, key, true));
    }

    @Override
    public Optional<String> servedFingerprint(String path, String key) {
        return SharedValues.servedFingerprint(referenceKey(path, key));
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
        if (aws != null) aws.close();
        client = null;
        aws = null;
    }

    /** The client, created at first use so that a worker without AWS settings starts when it references nothing. */
    protected synchronized C client() {
        if (client == null) {
            settings.region(); // fails with the fix in the message
            aws = new AwsClients(settings);
            client = clientFactory.apply(aws);
        }
        return client;
    }

    /**
     * The value cached under {@code what}'s {@code cacheKey}, loaded with {@code loader}; an ARN of another region
     * ({@code arnRegion}) is refused before any call.
     */
    protected <T> T cached(String cacheKey, Optional<String> arnRegion, String what, boolean fresh, Supplier<T> loader) {
        arnRegion.filter(r -> !r.equals(settings.regionName())).ifPresent(r -> {
            throw new ConfigException("The ARN of " + what + " is in region " + r + " but this provider reads "
                    + settings.regionName() + "; configure a second provider with param.region=" + r + " for it");
        });
        String key = settings.identity() + "\u0000" + cacheKey;
        return fresh ? SharedValues.refresh(key, loader) : SharedValues.get(key, settings.cacheTtl, loader);
    }

    private String referenceKey(String path, String key) {
        return settings.identity() + "\u0000" + path + "\u0000" + key;
    }
}
