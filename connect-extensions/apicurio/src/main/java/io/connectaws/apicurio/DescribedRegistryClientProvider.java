package io.connectaws.apicurio;

import java.time.Duration;
import java.util.Map;

import io.apicurio.rest.client.JdkHttpClient;
import io.apicurio.rest.client.auth.Auth;
import io.apicurio.rest.client.error.RestClientErrorHandler;
import io.apicurio.rest.client.spi.ApicurioHttpClient;
import io.apicurio.rest.client.spi.ApicurioHttpClientProvider;

/**
 * The HTTP client provider Apicurio's registry client finds first by ServiceLoader in this plugin directory (its jar
 * is named to sort before Apicurio's JDK client jar, and Connect orders a plugin's jars by name): Apicurio's own JDK
 * client inside a {@link DescribedRegistryClient}, 30 s a call.
 */
public final class DescribedRegistryClientProvider implements ApicurioHttpClientProvider {

    /** How long one registry call may take before the converter gives up on it (and retries, as Apicurio does). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public ApicurioHttpClient create(String endpoint, Map<String, Object> configs, Auth auth,
                                     RestClientErrorHandler errorHandler) {
        return new DescribedRegistryClient(endpoint, new JdkHttpClient(endpoint, configs, auth, errorHandler),
                CALL_TIMEOUT);
    }
}
