package io.connectaws.secrets;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterVersionLabelLimitExceededException;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;

/**
 * Resolves {@code ${ssm:NAME}}, {@code ${ssm:PATH:LEAF}} and ARN references from SSM Parameter Store, decrypting
 * SecureString parameters, with the worker's AWS credentials. See {@link ParameterReference} for the syntax.
 */
public class SsmParameterConfigProvider implements ConfigProvider, RotatableConfigProvider {
    private static final Logger log = LoggerFactory.getLogger(SsmParameterConfigProvider.class);
    private static final String SERVICE = "SSM Parameter Store";

    private ProviderSettings settings;
    private AwsClients aws;
    private SsmClient client;

    @Override
    public void configure(Map<String, ?> configs) {
        configure(configs, System.getenv());
    }

    void configure(Map<String, ?> configs, Map<String, String> env) {
        this.settings = ProviderSettings.parse("ssm", configs, env);
        log.info("SSM Parameter Store config provider: region {}{}{}, cache {}, rotation checks {}", settings.regionName(),
                settings.endpoint.map(e -> ", endpoint " + e).orElse(""),
                settings.roleArn.map(r -> ", assuming " + r).orElse(""), Durations.format(settings.cacheTtl),
                settings.rotationCheckInterval.map(Durations::format).map(d -> "every " + d).orElse("off"));
    }

    /** Every parameter directly under {@code path}, keyed by its last name segment. */
    @Override
    public ConfigData get(String path) {
        String what = "the parameters under '" + path + "'";
        try {
            Map<String, String> data = new HashMap<>();
            GetParametersByPathRequest request = GetParametersByPathRequest.builder()
                    .path(path).recursive(false).withDecryption(true).build();
            for (Parameter p : (Iterable<Parameter>) client().getParametersByPathPaginator(request).stream()
                    .flatMap(page -> page.parameters().stream())::iterator) {
                data.put(p.name().substring(p.name().lastIndexOf('/') + 1), p.value());
            }
            return new ConfigData(data);
        } catch (SdkException e) {
            throw AwsErrors.translate(e, SERVICE, what, settings.regionName(), settings.maxAttempts,
                    "the task role needs ssm:GetParametersByPath on the path's ARN (and kms:Decrypt for SecureString"
                            + " parameters with a customer managed key)");
        }
    }

    /** The requested parameters; see {@link ParameterReference}. */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            ParameterReference ref = ParameterReference.parse(path, key);
            String value = read(ref, false);
            SharedValues.served(referenceKey(path, key), value);
            data.put(key, value);
        }
        return new ConfigData(data); // no TTL for Kafka: see SecretsManagerConfigProvider#get
    }

    @Override
    public Optional<Duration> rotationCheckInterval(String path, String key) {
        return ParameterReference.parse(path, key).ttl.or(() -> settings.rotationCheckInterval);
    }

    @Override
    public String freshFingerprint(String path, String key) {
        return SharedValues.fingerprint(read(ParameterReference.parse(path, key), true));
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
    private synchronized SsmClient client() {
        if (client == null) {
            settings.region(); // fails with the fix in the message
            aws = new AwsClients(settings);
            client = aws.build(SsmClient.builder());
        }
        return client;
    }

    private String referenceKey(String path, String key) {
        return settings.identity() + "\u0000" + path + "\u0000" + key;
    }

    private String read(ParameterReference ref, boolean fresh) {
        ref.arnRegion.filter(r -> !r.equals(settings.regionName())).ifPresent(r -> {
            throw new ConfigException("The ARN of " + ref.describe() + " is in region " + r + " but this provider reads "
                    + settings.regionName() + "; configure a second provider with param.region=" + r + " for it");
        });
        String cacheKey = settings.identity() + "\u0000" + ref.selector();
        return fresh ? SharedValues.refresh(cacheKey, () -> fetch(ref))
                : SharedValues.get(cacheKey, settings.cacheTtl, () -> fetch(ref));
    }

    private String fetch(ParameterReference ref) {
        String what = ref.describe();
        try {
            Parameter p = client().getParameter(r -> r.name(ref.selector()).withDecryption(true)).parameter();
            log.debug("Read {} (version {}) from SSM Parameter Store", what, p.version());
            return p.value();
        } catch (ParameterNotFoundException e) {
            throw new ConfigException("SSM Parameter Store has no " + what + " in " + settings.regionName()
                    + " (ParameterNotFound): check the name (parameter names are case-sensitive and hierarchical ones start"
                    + " with '/'), the region and the account");
        } catch (ParameterVersionNotFoundException e) {
            throw new ConfigException("SSM Parameter Store has " + "no such version or label for " + what
                    + " (ParameterVersionNotFound): check ?version= or ?label=");
        } catch (ParameterVersionLabelLimitExceededException e) {
            throw new ConfigException("SSM Parameter Store rejected the label of " + what + ": " + e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw AwsErrors.translate(e, SERVICE, what, settings.regionName(), settings.maxAttempts,
                    "the task role needs ssm:GetParameter on the parameter's ARN (and kms:Decrypt for a SecureString"
                            + " parameter with a customer managed key)");
        }
    }
}
