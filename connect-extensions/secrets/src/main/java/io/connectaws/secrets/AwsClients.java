package io.connectaws.secrets;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.IoUtils;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Credentials and client settings shared by the providers: the SDK's default chain (environment, ECS/Fargate
 * container credentials, web identity, profile, instance profile), optionally exchanged for an assumed role.
 * Owns what it creates and closes it.
 */
final class AwsClients implements AutoCloseable {
    private final ProviderSettings settings;
    private final DefaultCredentialsProvider baseCredentials;
    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider assumedRole;

    AwsClients(ProviderSettings settings) {
        this.settings = settings;
        this.baseCredentials = DefaultCredentialsProvider.builder().build();
        if (settings.roleArn.isPresent()) {
            var stsBuilder = StsClient.builder()
                    .region(settings.stsRegion != null ? settings.stsRegion : settings.region())
                    .credentialsProvider(baseCredentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(overrides());
            settings.stsEndpoint.ifPresent(stsBuilder::endpointOverride);
            this.sts = stsBuilder.build();
            this.assumedRole = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .asyncCredentialUpdateEnabled(false)
                    .refreshRequest(r -> {
                        r.roleArn(settings.roleArn.get()).roleSessionName(settings.roleSessionName);
                        settings.roleExternalId.ifPresent(r::externalId);
                    })
                    .build();
        } else {
            this.sts = null;
            this.assumedRole = null;
        }
    }

    /** Credentials for service calls: the assumed role when one is configured, else the default chain. */
    AwsCredentialsProvider credentials() {
        return assumedRole != null ? assumedRole : baseCredentials;
    }

    /** Applies region, endpoint, credentials, HTTP client, retries and timeouts to a service client builder. */
    <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(settings.region())
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(overrides());
        settings.endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                // standard mode: exponential back-off with jitter, throttling errors retried with a longer base delay
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts).build())
                .apiCallTimeout(settings.callTimeout)
                .build();
    }

    @Override
    public void close() {
        closeQuietly(assumedRole);
        closeQuietly(sts);
        closeQuietly(baseCredentials);
    }

    private static void closeQuietly(SdkAutoCloseable c) {
        if (c != null) IoUtils.closeQuietly(c, null);
    }
}
