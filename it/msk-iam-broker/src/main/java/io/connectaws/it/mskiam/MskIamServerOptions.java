package io.connectaws.it.mskiam;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The {@link MskIamLoginModule} options of one listener, carried in its login's Subject as a public credential. */
record MskIamServerOptions(URI verifierUrl, String serverName, Duration timeout) {
    static final String VERIFIER_URL = "verifierUrl";
    static final String SERVER_NAME = "serverName";
    static final String TIMEOUT_MS = "verifierTimeoutMs";

    static MskIamServerOptions from(Map<String, ?> options) {
        Object url = options.get(VERIFIER_URL);
        if (!(url instanceof String) || ((String) url).isBlank()) {
            throw new IllegalArgumentException(MskIamLoginModule.class.getName() + " needs the JAAS option "
                + VERIFIER_URL + "=\"http://<local-aws>/_local/msk-iam/authenticate\"");
        }
        URI uri = URI.create((String) url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(VERIFIER_URL + " must be an http(s) URL: " + url);
        }
        Object serverName = options.get(SERVER_NAME);
        Object timeout = options.get(TIMEOUT_MS);
        return new MskIamServerOptions(uri,
            serverName instanceof String && !((String) serverName).isBlank() ? (String) serverName : null,
            Duration.ofMillis(timeout instanceof String ? Long.parseLong((String) timeout) : 10_000));
    }
}
