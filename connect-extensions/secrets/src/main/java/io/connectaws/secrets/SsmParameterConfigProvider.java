package io.connectaws.secrets;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
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
public class SsmParameterConfigProvider extends AwsConfigProvider<SsmClient> {
    private static final Logger log = LoggerFactory.getLogger(SsmParameterConfigProvider.class);
    private static final String SERVICE = "SSM Parameter Store";

    public SsmParameterConfigProvider() {
        super("ssm", SERVICE, aws -> aws.build(SsmClient.builder()));
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

    /** One parameter; see {@link ParameterReference}. */
    @Override
    protected String resolve(String path, String key, boolean fresh) {
        ParameterReference ref = ParameterReference.parse(path, key);
        return cached(ref.selector(), ref.arnRegion, ref.describe(), fresh, () -> fetch(ref));
    }

    @Override
    protected Optional<Duration> referenceTtl(String path, String key) {
        return ParameterReference.parse(path, key).ttl;
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
            throw new ConfigException("SSM Parameter Store has no such version or label for " + what
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
