package io.connectaws.it.aws;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Real AWS SDK clients pointed at a {@link LocalAws}: 3 attempts, no backoff, so retries are quick and countable. */
final class Sdk {
    static final int MAX_ATTEMPTS = 3;

    private Sdk() {
    }

    static AwsCredentialsProvider base() {
        return StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
    }

    static SecretsManagerClient secretsManager(LocalAws aws) {
        return secretsManager(aws, base(), aws.region(), UrlConnectionHttpClient.create());
    }

    static SecretsManagerClient secretsManager(LocalAws aws, AwsCredentialsProvider credentials, String region,
                                               SdkHttpClient http) {
        return SecretsManagerClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(http)
            .overrideConfiguration(Sdk::quickRetries)
            .build();
    }

    static SsmClient ssm(LocalAws aws) {
        return SsmClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.of(aws.region()))
            .credentialsProvider(base())
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(Sdk::quickRetries)
            .build();
    }

    static StsClient sts(LocalAws aws, AwsCredentialsProvider credentials) {
        return StsClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.of(aws.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(Sdk::quickRetries)
            .build();
    }

    static CloudWatchClient cloudWatch(LocalAws aws) {
        return cloudWatch(aws, base(), Sdk::quickRetries);
    }

    /**
     * A CloudWatch client with the SDK's own retry settings, untouched: without AWS_RETRY_MODE or a profile's
     * retry_mode that is legacy mode, 4 attempts, throttled ones retried after 250–500 ms, 500–1000 ms, 1–2 s.
     */
    static CloudWatchClient cloudWatchWithSdkRetries(LocalAws aws) {
        return cloudWatch(aws, base(), b -> { });
    }

    static CloudWatchClient cloudWatch(LocalAws aws, AwsCredentialsProvider credentials,
                                       Consumer<ClientOverrideConfiguration.Builder> override) {
        return CloudWatchClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.of(aws.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(override)
            .build();
    }

    private static void quickRetries(ClientOverrideConfiguration.Builder b) {
        b.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(MAX_ATTEMPTS)
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
            .circuitBreakerEnabled(false)
            .build());
    }

    /** An HTTP client that rewrites the already-signed request body on its way out (a tampering proxy). */
    static SdkHttpClient tamperingBody(UnaryOperator<String> rewrite) {
        SdkHttpClient delegate = UrlConnectionHttpClient.create();
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                String body = request.contentStreamProvider()
                    .map(p -> {
                        try {
                            return new String(p.newStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).orElse("");
                byte[] changed = rewrite.apply(body).getBytes(StandardCharsets.UTF_8);
                return delegate.prepareRequest(HttpExecuteRequest.builder()
                    .request(request.httpRequest())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(changed))
                    .build());
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }
}
