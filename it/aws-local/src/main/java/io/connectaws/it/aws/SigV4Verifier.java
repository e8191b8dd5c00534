package io.connectaws.it.aws;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies AWS Signature Version 4 (Authorization header form) by re-signing the received request with the SDK's own
 * {@link AwsV4HttpSigner}: same method, path, query, the headers named in SignedHeaders, body, credential scope and
 * X-Amz-Date, and the secret key registered for the access key id. Also knows the registered credentials.
 */
final class SigV4Verifier {

    /** A registered key pair; temporary ones carry a session token and an expiry. */
    record Identity(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration, String arn) {
        boolean temporary() {
            return sessionToken != null;
        }
    }

    enum Failure { MISSING, INCOMPLETE, UNKNOWN_KEY, EXPIRED_TOKEN, BAD_SIGNATURE }

    /** What the Authorization header said, and whether it checked out ({@code failure == null}). */
    record Result(Failure failure, String message, String accessKeyId, String service, String region,
                  String sessionToken, Identity identity) {
        boolean valid() {
            return failure == null;
        }
    }

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final Clock clock;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();

    SigV4Verifier(String region, Clock clock) {
        this.region = region;
        this.clock = clock;
    }

    void register(Identity identity) {
        identities.put(identity.accessKeyId(), identity);
    }

    /** The registered identity of this access key id, or null. */
    Identity identity(String accessKeyId) {
        return accessKeyId == null ? null : identities.get(accessKeyId);
    }

    /**
     * Checks the request's signature. {@code expectedService} is the signing name the action belongs to; the scope's
     * region must be the server's.
     */
    Result verify(String method, URI uri, Headers headers, byte[] body, String expectedService) {
        String authorization = headers.getFirst("Authorization");
        String token = headers.getFirst("X-Amz-Security-Token");
        if (authorization == null || authorization.isBlank()) {
            return new Result(Failure.MISSING, "Missing Authentication Token", null, null, null, token, null);
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return new Result(Failure.INCOMPLETE, "Unsupported Authorization Type", null, null, null, token, null);
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return new Result(Failure.INCOMPLETE, "Authorization header requires 'Credential', 'SignedHeaders' and "
                + "'Signature' parameters. Authorization=" + ALGORITHM, null, null, null, token, null);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return new Result(Failure.INCOMPLETE, "Credential should be scoped to a valid region and service: "
                + "<key>/<date>/<region>/<service>/aws4_request.", null, null, null, token, null);
        }
        String keyId = scope[0];
        String date = scope[1];
        String scopeRegion = scope[2];
        String service = scope[3];
        Result bad = new Result(Failure.BAD_SIGNATURE, null, keyId, service, scopeRegion, token, null);

        String amzDate = headers.getFirst("X-Amz-Date");
        if (amzDate == null) {
            return new Result(Failure.INCOMPLETE, "Authorization header requires existence of either a 'X-Amz-Date' "
                + "or a 'Date' header.", keyId, service, scopeRegion, token, null);
        }
        List<String> signed = List.of(signedHeaders.split(";"));
        if (!signed.contains("host")) {
            return new Result(Failure.INCOMPLETE, "'Host' must be a 'SignedHeader' in the AWS Authorization.",
                keyId, service, scopeRegion, token, null);
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return new Result(Failure.INCOMPLETE, "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.",
                keyId, service, scopeRegion, token, null);
        }
        if (!amzDate.startsWith(date)) {
            return withMessage(bad, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                + "from HTTP: '" + date + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        if (!region.equals(scopeRegion)) {
            return withMessage(bad, "Credential should be scoped to a valid region.");
        }
        if (!service.equals(expectedService)) {
            return withMessage(bad, "Credential should be scoped to correct service: '" + expectedService + "'.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return withMessage(bad, "Signature expired: " + amzDate + " is now earlier than "
                + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return withMessage(bad, "Signature not yet current: " + amzDate + " is still later than "
                + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }

        Identity identity = identities.get(keyId);
        if (identity == null || !Objects.equals(identity.sessionToken(), token)) {
            return new Result(Failure.UNKNOWN_KEY, "The security token included in the request is invalid.",
                keyId, service, scopeRegion, token, null);
        }
        if (identity.expiration() != null && !now.isBefore(identity.expiration())) {
            return new Result(Failure.EXPIRED_TOKEN, "The security token included in the request is expired",
                keyId, service, scopeRegion, token, null);
        }

        String expected = expectedAuthorization(method, uri, headers, body, signed, identity, scopeRegion, service,
            signedAt);
        String expectedSignature = expected.substring(expected.indexOf("Signature=") + "Signature=".length());
        String expectedSignedHeaders = expected.substring(expected.indexOf("SignedHeaders=") + "SignedHeaders=".length(),
            expected.indexOf(", Signature="));
        boolean match = expectedSignedHeaders.equals(signedHeaders)
            && MessageDigest.isEqual(expectedSignature.getBytes(StandardCharsets.US_ASCII),
                                     signature.getBytes(StandardCharsets.US_ASCII));
        if (!match) {
            String why = expectedSignedHeaders.equals(signedHeaders) ? ""
                : " (SignedHeaders must include x-amz-content-sha256, as the AWS SDK for Java 2.x signs it)";
            return withMessage(bad, "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
                + why);
        }
        return new Result(null, null, keyId, service, scopeRegion, token, identity);
    }

    private static Result withMessage(Result r, String message) {
        return new Result(r.failure(), message, r.accessKeyId(), r.service(), r.region(), r.sessionToken(), null);
    }

    /** Signs a copy of the received request (signed headers only) and returns the Authorization header it gets. */
    private static String expectedAuthorization(String method, URI uri, Headers headers, byte[] body,
                                                List<String> signedHeaders, Identity identity, String scopeRegion,
                                                String service, Instant signedAt) {
        // The SDK signs the payload's SHA-256 over http; UNSIGNED-PAYLOAD is only honoured for "https" requests,
        // and the protocol is not part of the canonical request, so it just selects the signer's mode here.
        boolean unsignedPayload = UNSIGNED_PAYLOAD.equals(headers.getFirst("X-Amz-Content-Sha256"));
        String hostHeader = headers.getFirst("Host");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .protocol(unsignedPayload ? "https" : "http")
            .host(hostOnly(hostHeader))
            .encodedPath(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        queryParameters(uri.getRawQuery()).forEach(request::putRawQueryParameter);
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            request.putHeader(name, values == null ? List.of("") : values);
        }
        AwsCredentialsIdentity credentials = identity.temporary()
            ? AwsSessionCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey(),
                                                   identity.sessionToken())
            : AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey());
        SignedRequest signed = SIGNER.sign(r -> r
            .identity(credentials)
            .request(request.build())
            .payload(() -> new ByteArrayInputStream(body))
            .putProperty(AwsV4HttpSigner.REGION_NAME, scopeRegion)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return signed.request().firstMatchingHeader("Authorization").orElse("");
    }

    private static String hostOnly(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return "localhost";
        }
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end > 0 ? hostHeader.substring(0, end + 1) : hostHeader;
        }
        int colon = hostHeader.indexOf(':');
        return colon >= 0 ? hostHeader.substring(0, colon) : hostHeader;
    }

    /** Query parameters percent-decoded ('+' stays '+', as SigV4 clients encode a space as %20). */
    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
