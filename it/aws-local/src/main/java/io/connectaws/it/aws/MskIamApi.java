package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Amazon MSK IAM authentication ({@code AWS_MSK_IAM} SASL mechanism) as MSK's brokers check it, for the test broker
 * plugin of it/msk-iam-broker. The aws-msk-iam-auth client sends JSON holding a SigV4 presigned request
 * ({@code GET https://<broker host>/?Action=kafka-cluster:Connect}, service {@code kafka-cluster}, signed header
 * {@code host}, {@code X-Amz-Expires} up to 900 s); the broker forwards it here with the host name the client
 * connected to. The payload is accepted when its signature equals the one the SDK's own signer computes, in
 * presign (query string) mode, from the same parameters and the secret key registered for the access key id; when
 * the session token is the identity's; when action, service, version, region (the server's) and host (the broker's)
 * are right; when it is neither expired nor dated in the future (15 min skew); and when no deny pattern matches the
 * principal.
 *
 * <p>HTTP (every port of {@link LocalAws}):
 * <ul>
 *   <li>{@code POST /_local/msk-iam/authenticate} {@code {"payload": "<client JSON>", "serverName": "<broker host>"}}:
 *       200 {@code {"principal": "<identity ARN>", "accessKeyId", "sessionName"}} or 403 {@code {"reason": ...}}
 *       (400 when the request itself is malformed). Reasons never carry a secret or a token.</li>
 *   <li>{@code GET /_local/msk-iam/authentications}: every authentication so far, oldest first, as a JSON array of
 *       {@code {"time","principal","accessKeyId","sessionName","serverName","accepted","reason"}};
 *       {@code DELETE} forgets them.</li>
 *   <li>{@code POST /_local/msk-iam/deny} {@code {"principalPattern": "<regex>"}}: principals the regex matches
 *       entirely are refused (a role whose kafka-cluster:Connect permission was removed); an empty pattern or
 *       {@code DELETE /_local/msk-iam/deny} allows all again. {@code GET} answers the current pattern.</li>
 * </ul>
 */
public final class MskIamApi {
    /** Every route of this API starts with this. */
    public static final String PATH_PREFIX = "/_local/msk-iam/";
    public static final String AUTHENTICATE_PATH = PATH_PREFIX + "authenticate";
    public static final String AUTHENTICATIONS_PATH = PATH_PREFIX + "authentications";
    public static final String DENY_PATH = PATH_PREFIX + "deny";

    /** The payload version aws-msk-iam-auth 2.x sends (AuthenticationRequestParams.VERSION_1). */
    public static final String VERSION = "2020_10_22";
    public static final String ACTION = "kafka-cluster:Connect";
    public static final String SERVICE = "kafka-cluster";
    /** The longest presign expiry MSK accepts; the client uses exactly this. */
    static final long MAX_EXPIRES_SECONDS = 900;
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:aws:sts::\\d{12}:assumed-role/[^/]+/(.+)");
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /**
     * One authentication as the verifier saw it. {@code principal} and {@code sessionName} (the role session name of
     * an assumed-role principal) are null when the access key was unknown; {@code reason} is null when accepted.
     */
    public record Authentication(Instant time, String principal, String accessKeyId, String sessionName,
                                 String serverName, boolean accepted, String reason) {
    }

    private final String region;
    private final SigV4Verifier verifier;
    private final Clock clock;
    private final boolean log;
    private final List<Authentication> authentications = Collections.synchronizedList(new ArrayList<>());
    private volatile Pattern denied;

    MskIamApi(String region, SigV4Verifier verifier, Clock clock, boolean log) {
        this.region = region;
        this.verifier = verifier;
        this.clock = clock;
        this.log = log;
    }

    /** Every authentication so far, oldest first. */
    public List<Authentication> authentications() {
        synchronized (authentications) {
            return List.copyOf(authentications);
        }
    }

    /** Forgets the recorded authentications. */
    public void clearAuthentications() {
        authentications.clear();
    }

    /**
     * Refuses principals (identity ARNs) that {@code regex} matches entirely, with "not authorized to perform:
     * kafka-cluster:Connect"; null or empty allows all again.
     */
    public void denyPrincipals(String regex) {
        denied = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
    }

    /** Undoes {@link #denyPrincipals(String)}. */
    public void allowAllPrincipals() {
        denied = null;
    }

    /**
     * Verifies one client payload (the aws-msk-iam-auth client's first SASL message, as text) that a broker known as
     * {@code serverName} received, records and returns the outcome.
     */
    public Authentication authenticate(String payload, String serverName) {
        Check check = new Check();
        try {
            check.principal = verify(payload, serverName, check);
        } catch (Rejected e) {
            check.reason = e.getMessage();
        }
        Authentication result = new Authentication(clock.instant(), check.principal, check.accessKeyId,
            sessionName(check.principal), serverName, check.reason == null, check.reason);
        authentications.add(result);
        if (log) {
            System.out.println(result.time() + " msk-iam.Connect key=" + (check.accessKeyId == null ? "-"
                : check.accessKeyId) + " host=" + serverName + " principal=" + (check.principal == null ? "-"
                : check.principal) + (result.accepted() ? " accepted" : " rejected: " + check.reason));
        }
        return result;
    }

    // ---- HTTP ----

    ApiResponse handle(String method, String path, byte[] body) {
        switch (path) {
            case AUTHENTICATE_PATH:
                return "POST".equals(method) ? authenticateRequest(body) : notAllowed();
            case AUTHENTICATIONS_PATH:
                if ("GET".equals(method)) {
                    return ApiResponse.json(200, authenticationsJson());
                }
                if ("DELETE".equals(method)) {
                    clearAuthentications();
                    return ApiResponse.json(200, LocalAws.JSON.createObjectNode().put("cleared", true));
                }
                return notAllowed();
            case DENY_PATH:
                return deny(method, body);
            default:
                return ApiResponse.text(404, "not found");
        }
    }

    private ApiResponse authenticateRequest(byte[] body) {
        JsonNode request;
        try {
            request = LocalAws.JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.path("payload").isTextual() || !request.path("serverName").isTextual()) {
            return ApiResponse.json(400, reason("expected {\"payload\": \"<client JSON>\", \"serverName\": "
                + "\"<broker host>\"}"));
        }
        Authentication result = authenticate(request.get("payload").asText(), request.get("serverName").asText());
        if (!result.accepted()) {
            return ApiResponse.json(403, reason(result.reason()));
        }
        ObjectNode ok = LocalAws.JSON.createObjectNode()
            .put("principal", result.principal())
            .put("accessKeyId", result.accessKeyId());
        if (result.sessionName() != null) {
            ok.put("sessionName", result.sessionName());
        }
        return ApiResponse.json(200, ok);
    }

    private ApiResponse deny(String method, byte[] body) {
        if ("DELETE".equals(method)) {
            allowAllPrincipals();
        } else if ("POST".equals(method)) {
            JsonNode request;
            try {
                request = body.length == 0 ? LocalAws.JSON.createObjectNode() : LocalAws.JSON.readTree(body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                return ApiResponse.json(400, reason("expected {\"principalPattern\": \"<regex>\"}"));
            }
            try {
                denyPrincipals(request.path("principalPattern").asText(""));
            } catch (PatternSyntaxException e) {
                return ApiResponse.json(400, reason("invalid principalPattern: " + e.getDescription()));
            }
        } else if (!"GET".equals(method)) {
            return notAllowed();
        }
        Pattern current = denied;
        ObjectNode state = LocalAws.JSON.createObjectNode();
        if (current == null) {
            state.putNull("principalPattern");
        } else {
            state.put("principalPattern", current.pattern());
        }
        return ApiResponse.json(200, state);
    }

    private ArrayNode authenticationsJson() {
        ArrayNode all = LocalAws.JSON.createArrayNode();
        for (Authentication a : authentications()) {
            all.addObject()
                .put("time", a.time().toString())
                .put("principal", a.principal())
                .put("accessKeyId", a.accessKeyId())
                .put("sessionName", a.sessionName())
                .put("serverName", a.serverName())
                .put("accepted", a.accepted())
                .put("reason", a.reason());
        }
        return all;
    }

    private static ObjectNode reason(String reason) {
        return LocalAws.JSON.createObjectNode().put("reason", reason);
    }

    private static ApiResponse notAllowed() {
        return ApiResponse.text(405, "method not allowed");
    }

    // ---- verification ----

    /** What is known of the caller so far, for the record even when rejected. */
    private static final class Check {
        String accessKeyId;
        String principal;
        String reason;
    }

    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** Returns the principal, or throws the reason for refusing. */
    private String verify(String payload, String serverName, Check check) throws Rejected {
        JsonNode json;
        try {
            json = LocalAws.JSON.readTree(payload);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new Rejected("Invalid authentication payload: not a JSON object");
        }
        String version = field(json, "version");
        if (!VERSION.equals(version)) {
            throw new Rejected("Unsupported authentication payload version '" + version + "', expected " + VERSION);
        }
        String credential = field(json, "x-amz-credential");
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw new Rejected("Credential should be scoped to a valid region and service: "
                + "<key>/<date>/<region>/<service>/aws4_request");
        }
        check.accessKeyId = scope[0];
        String action = field(json, "action");
        if (!ACTION.equals(action)) {
            throw new Rejected("Action '" + action + "' is not " + ACTION);
        }
        if (!SigV4Verifier.ALGORITHM.equals(field(json, "x-amz-algorithm"))) {
            throw new Rejected("Unsupported signing algorithm, expected " + SigV4Verifier.ALGORITHM);
        }
        if (!SERVICE.equals(scope[3])) {
            throw new Rejected("Credential should be scoped to correct service: '" + SERVICE + "', not '" + scope[3]
                + "'");
        }
        if (!region.equals(scope[2])) {
            throw new Rejected("Credential should be scoped to the cluster's region '" + region + "', not '"
                + scope[2] + "'");
        }
        String host = field(json, "host");
        if (serverName == null || !host.equalsIgnoreCase(serverName)) {
            throw new Rejected("Signed host '" + host + "' is not the broker's host name '" + serverName + "'");
        }
        if (!"host".equals(field(json, "x-amz-signedheaders"))) {
            throw new Rejected("X-Amz-SignedHeaders must be 'host'");
        }
        String amzDate = field(json, "x-amz-date");
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new Rejected("X-Amz-Date must be in ISO-8601 'basic format', got '" + amzDate + "'");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw new Rejected("Date in Credential scope does not match YYYYMMDD of X-Amz-Date");
        }
        long expires;
        try {
            expires = Long.parseLong(field(json, "x-amz-expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
            throw new Rejected("X-Amz-Expires must be between 1 and " + MAX_EXPIRES_SECONDS + " seconds");
        }
        Instant now = clock.instant();
        if (!now.isBefore(signedAt.plusSeconds(expires))) {
            throw new Rejected("Signature expired: signed at " + amzDate + " for " + expires + " s, now "
                + AMZ_DATE.format(now));
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new Rejected("Signature not yet current: " + amzDate + " is later than " + AMZ_DATE.format(now)
                + " + 15 min");
        }

        String token = json.hasNonNull("x-amz-security-token") ? json.get("x-amz-security-token").asText() : null;
        SigV4Verifier.Identity identity = verifier.identity(check.accessKeyId);
        if (identity == null || !Objects.equals(identity.sessionToken(), token)) {
            throw new Rejected("The security token included in the request is invalid (unknown access key id or "
                + "session token)");
        }
        if (identity.expiration() != null && !now.isBefore(identity.expiration())) {
            throw new Rejected("The security token included in the request is expired");
        }
        String expected = expectedSignature(identity, host, action, scope[2], signedAt, expires);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                                   field(json, "x-amz-signature").getBytes(StandardCharsets.US_ASCII))) {
            throw new Rejected("The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method.");
        }
        check.principal = identity.arn();
        Pattern deny = denied;
        if (deny != null && deny.matcher(identity.arn()).matches()) {
            throw new Rejected("User: " + identity.arn() + " is not authorized to perform: " + ACTION
                + " on resource: arn:aws:kafka:" + region + ":" + LocalAws.ACCOUNT_ID + ":cluster/local/*");
        }
        return identity.arn();
    }

    /** Presigns GET https://host/?Action=... with the SDK's signer, as the client did, and returns X-Amz-Signature. */
    private static String expectedSignature(SigV4Verifier.Identity identity, String host, String action,
                                            String scopeRegion, Instant signedAt, long expires) {
        SdkHttpRequest request = SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host(host)
            .encodedPath("/")
            .putRawQueryParameter("Action", action)
            .build();
        AwsCredentialsIdentity credentials = identity.temporary()
            ? AwsSessionCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey(),
                                                   identity.sessionToken())
            : AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey());
        SignedRequest signed = SIGNER.sign(r -> r
            .identity(credentials)
            .request(request)
            .putProperty(AwsV4HttpSigner.REGION_NAME, scopeRegion)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
            .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(expires))
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return signed.request().firstMatchingRawQueryParameter("X-Amz-Signature").orElse("");
    }

    private static String field(JsonNode json, String name) throws Rejected {
        JsonNode value = json.get(name);
        if (value == null || !value.isTextual()) {
            throw new Rejected("Authentication payload is missing '" + name + "'");
        }
        return value.asText();
    }

    private static String sessionName(String principal) {
        if (principal == null) {
            return null;
        }
        Matcher m = ASSUMED_ROLE.matcher(principal);
        return m.matches() ? m.group(1) : null;
    }
}
