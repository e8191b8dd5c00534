package io.connectaws.secrets;

import org.apache.kafka.common.config.ConfigException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into {@link ConfigException}s that say what was being read and how to fix it.
 * Messages carry names, ARNs, error codes and AWS's own text, which never contain secret values.
 */
final class AwsErrors {
    private AwsErrors() {
    }

    /** A message for a failure of {@code service}'s {@code action} on {@code what}; {@code hint} fits the common fixes. */
    static ConfigException translate(SdkException e, String service, String what, String region, int maxAttempts,
                                     String permissionHint) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            String awsMessage = ase.awsErrorDetails() == null ? ase.getMessage() : ase.awsErrorDetails().errorMessage();
            if (ase.isThrottlingException()) {
                return new ConfigException(service + " throttled reading " + what + " in " + region + " and " + maxAttempts
                        + " attempts with back-off did not get through (" + code + "). Other callers share the account's"
                        + " request quota; raise the provider's cache.ttl, or api.max.attempts");
            }
            if (code != null && (code.equals("AccessDeniedException") || code.equals("AccessDenied")
                    || code.equals("UnrecognizedClientException") || code.equals("ExpiredTokenException")
                    || code.equals("InvalidSignatureException"))) {
                return new ConfigException("Access denied reading " + what + " from " + service + " in " + region + ": "
                        + permissionHint + ". AWS said: " + code + ": " + awsMessage);
            }
            return new ConfigException(service + " could not read " + what + " in " + region + ": " + code + ": " + awsMessage);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
            return new ConfigException("No AWS credentials to read " + what + " from " + service + ": on ECS give the task"
                    + " a task role; elsewhere set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a web identity. SDK said: "
                    + e.getMessage());
        }
        return new ConfigException(service + " could not be reached to read " + what + " in " + region + " (after "
                + maxAttempts + " attempts): " + e.getMessage() + ". Check the network path (VPC endpoint or NAT) and the"
                + " provider's endpoint parameter");
    }
}
