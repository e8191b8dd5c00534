package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;

/**
 * The ECS container credentials endpoint (what {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} / {@code _FULL_URI}
 * point at): GET answers the task role's temporary credentials as JSON. The same credentials are served until less
 * than 15 minutes of their hour are left, as the ECS agent rotates them ahead of expiry.
 */
final class ContainerCredentials {
    static final String ROLE_ARN = "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/local-task-role";
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration REFRESH_BEFORE = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final String path;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private volatile String requiredToken;
    private SigV4Verifier.Identity current;

    ContainerCredentials(String path, SigV4Verifier verifier, Clock clock) {
        this.path = path;
        this.verifier = verifier;
        this.clock = clock;
    }

    String path() {
        return path;
    }

    void requireAuthorizationToken(String token) {
        this.requiredToken = token;
    }

    /** Answers a GET of the credentials path: status and JSON body. */
    synchronized ApiResponse get(String authorization) {
        String required = requiredToken;
        if (required != null && !required.equals(authorization)) {
            ObjectNode error = LocalAws.JSON.createObjectNode()
                .put("code", "AccessDeniedException")
                .put("message", "Authorization token is missing or does not match");
            return ApiResponse.json(403, error);
        }
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.expiration().minus(REFRESH_BEFORE))) {
            current = issue(verifier, clock, "arn:aws:sts::" + LocalAws.ACCOUNT_ID
                + ":assumed-role/local-task-role/" + randomAlnum(32).toLowerCase(Locale.ROOT), LIFETIME);
        }
        ObjectNode body = LocalAws.JSON.createObjectNode()
            .put("RoleArn", ROLE_ARN)
            .put("AccessKeyId", current.accessKeyId())
            .put("SecretAccessKey", current.secretAccessKey())
            .put("Token", current.sessionToken())
            .put("Expiration", current.expiration().toString());
        return ApiResponse.json(200, body);
    }

    /** Creates temporary credentials for {@code principalArn}, valid for {@code lifetime}, and registers them. */
    static SigV4Verifier.Identity issue(SigV4Verifier verifier, Clock clock, String principalArn, Duration lifetime) {
        byte[] secret = new byte[30];
        byte[] token = new byte[180];
        RANDOM.nextBytes(secret);
        RANDOM.nextBytes(token);
        SigV4Verifier.Identity identity = new SigV4Verifier.Identity(
            "ASIA" + randomAlnum(16),
            Base64.getEncoder().encodeToString(secret),
            "IQoJb3JpZ2luX2VjE" + Base64.getEncoder().encodeToString(token),
            clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS),
            principalArn);
        verifier.register(identity);
        return identity;
    }

    static String randomAlnum(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(UPPER_ALNUM.charAt(RANDOM.nextInt(UPPER_ALNUM.length())));
        }
        return s.toString();
    }
}
