package io.connectaws.it.aws;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 (Authorization header form) the way AWS documents it ("Create a canonical request
 * for Signature Version 4", "Elements of an AWS API request signature"), independently of any client's signer: the
 * canonical request is rebuilt from what arrived (method; the path, dot segments and repeated slashes removed, each
 * byte outside RFC 3986's unreserved set percent-encoded once more; the query parameters decoded, re-encoded per
 * RFC 3986 and sorted; the headers named in SignedHeaders, values trimmed and inner runs of spaces collapsed, repeated
 * headers joined by commas; SignedHeaders; the payload hash), then hashed into the string to sign with the request
 * time and credential scope, and signed with the key derived from the registered secret key.
 *
 * <p>The payload hash is the hex SHA-256 of the body as received. {@code x-amz-content-sha256} is optional (botocore
 * and the AWS CLI do not send it for these services; the SDK for Java 2.x does); when sent it must equal that hash, or
 * be {@code UNSIGNED-PAYLOAD}, which is then the canonical request's last line. {@code host} must be signed. The time
 * is {@code X-Amz-Date} or else the {@code Date} header (ISO 8601 basic or RFC 1123); its day must be the scope's.
 * It may be at most 5 minutes off the server's clock (EC2 documents 15, and answers {@code RequestExpired}).
 * A session token, when used, must be the one issued with the access key id; AWS lets some services take it unsigned,
 * so it is covered by the signature only if the client signed it (botocore and the SDK do).
 */
final class SigV4Verifier {

    /** A registered key pair; temporary ones carry a session token and an expiry. */
    record Identity(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration, String arn) {
        boolean temporary() {
            return sessionToken != null;
        }
    }

    /**
     * Why a request was refused; {@code SKEWED} is a signature failure that EC2 names RequestExpired;
     * {@code PRESIGN_EXPIRED} is a presigned URL used after its X-Amz-Date + X-Amz-Expires.
     */
    enum Failure { MISSING, INCOMPLETE, UNKNOWN_KEY, EXPIRED_TOKEN, BAD_SIGNATURE, SKEWED, PRESIGN_EXPIRED }

    /** What the Authorization header said, and whether it checked out ({@code failure == null}). */
    record Result(Failure failure, String message, String accessKeyId, String service, String region,
                  String sessionToken, Identity identity) {
        boolean valid() {
            return failure == null;
        }
    }

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The query parameters of query-string (presigned) authentication. */
    static final String Q_ALGORITHM = "X-Amz-Algorithm";
    static final String Q_CREDENTIAL = "X-Amz-Credential";
    static final String Q_DATE = "X-Amz-Date";
    static final String Q_EXPIRES = "X-Amz-Expires";
    static final String Q_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    static final String Q_SIGNATURE = "X-Amz-Signature";
    static final String Q_SECURITY_TOKEN = "X-Amz-Security-Token";
    /** X-Amz-Expires' range in AWS's query-string authentication rules: 1 second to 7 days. */
    static final long MAX_PRESIGN_EXPIRES_SECONDS = 604_800;
    /**
     * The longest a presigned STS URL lives whatever X-Amz-Expires says (aws-iam-authenticator: "pre-signed STS URLs
     * ... expire exactly 15 minutes after the x-amz-date header, regardless of x-amz-expires").
     */
    static final Duration MAX_PRESIGN_LIFETIME = Duration.ofMinutes(15);
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** How far a request's time may be from the server's: AWS's 5 minutes; EC2 documents 15. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final Duration MAX_SKEW_EC2 = Duration.ofMinutes(15);
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE =
        DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

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
        String[] scope = credential.split("/", -1);
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
        String dateHeader = headers.getFirst("Date");
        if (amzDate == null && dateHeader == null) {
            return new Result(Failure.INCOMPLETE, "Authorization header requires existence of either a 'X-Amz-Date' "
                + "or a 'Date' header. Authorization=" + authorization.replaceAll("Signature=\\w+", "Signature=…"),
                keyId, service, scopeRegion, token, null);
        }
        List<String> signed = List.of(signedHeaders.split(";", -1));
        if (!signed.contains("host")) {
            return new Result(Failure.INCOMPLETE, "'Host' must be a 'SignedHeader' in the AWS Authorization.",
                keyId, service, scopeRegion, token, null);
        }
        Instant signedAt = parseDate(amzDate != null ? amzDate : dateHeader);
        if (signedAt == null) {
            return new Result(Failure.INCOMPLETE, "Date must be in ISO-8601 'basic format'. Got '"
                + (amzDate != null ? amzDate : dateHeader) + "'. See http://en.wikipedia.org/wiki/ISO_8601",
                keyId, service, scopeRegion, token, null);
        }
        String requestTime = AMZ_DATE.format(signedAt);
        Result wrongScope = scopeRefusal(bad, date, requestTime, scopeRegion, service, expectedService);
        if (wrongScope != null) {
            return wrongScope;
        }
        Instant now = clock.instant();
        Duration maxSkew = Ec2Api.SIGNING_NAME.equals(service) ? MAX_SKEW_EC2 : MAX_SKEW;
        String minutes = maxSkew.toMinutes() + " min.";
        if (signedAt.isBefore(now.minus(maxSkew))) {
            return new Result(Failure.SKEWED, "Signature expired: " + requestTime + " is now earlier than "
                + AMZ_DATE.format(now.minus(maxSkew)) + " (" + AMZ_DATE.format(now) + " - " + minutes + ")",
                keyId, service, scopeRegion, token, null);
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            return new Result(Failure.SKEWED, "Signature not yet current: " + requestTime + " is still later than "
                + AMZ_DATE.format(now.plus(maxSkew)) + " (" + AMZ_DATE.format(now) + " + " + minutes + ")",
                keyId, service, scopeRegion, token, null);
        }

        Result unknown = credentialRefusal(keyId, token, service, scopeRegion, now);
        if (unknown != null) {
            return unknown;
        }
        Identity identity = identities.get(keyId);

        String bodyHash = HEX.formatHex(sha256(body));
        String contentSha256 = headers.getFirst("X-Amz-Content-Sha256");
        String payloadHash = bodyHash;
        if (contentSha256 != null) {
            if (UNSIGNED_PAYLOAD.equals(contentSha256)) {
                payloadHash = UNSIGNED_PAYLOAD;
            } else if (!bodyHash.equalsIgnoreCase(contentSha256.trim())) {
                return withMessage(bad, "The provided 'x-amz-content-sha256' header does not match what was "
                    + "computed.");
            } else {
                payloadHash = contentSha256.trim();
            }
        }
        String canonicalHeaders = canonicalHeaders(headers, signed);
        if (canonicalHeaders == null) {
            return withMessage(bad, MISMATCH);
        }
        String canonicalRequest = method + "\n"
            + canonicalUri(uri.getRawPath()) + "\n"
            + canonicalQuery(uri.getRawQuery()) + "\n"
            + canonicalHeaders + "\n"
            + signedHeaders + "\n"
            + payloadHash;
        if (!signatureMatches(identity, date, scopeRegion, service, requestTime, canonicalRequest, signature)) {
            return withMessage(bad, MISMATCH);
        }
        return new Result(null, null, keyId, service, scopeRegion, token, identity);
    }

    /** Whether the request carries query-string (presigned) authentication: any of its X-Amz-* auth parameters. */
    static boolean presigned(URI uri) {
        for (String[] p : queryParameters(uri.getRawQuery())) {
            if (p[0].equals(Q_ALGORITHM) || p[0].equals(Q_CREDENTIAL) || p[0].equals(Q_SIGNATURE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a request authenticated in the query string (a presigned URL), by AWS's rules for query-string
     * authentication ("Authenticating Requests: Using Query Parameters"; "Create a signed AWS API request": the signing
     * information added to the query string): {@code X-Amz-Algorithm} {@code AWS4-HMAC-SHA256}; {@code X-Amz-Credential}
     * scoped to the server's region and {@code expectedService}; {@code X-Amz-Date} (ISO 8601 basic, the scope's day, at
     * most 5 minutes ahead); {@code X-Amz-Expires} 1 to 604800 seconds, and the URL refused once X-Amz-Date +
     * X-Amz-Expires has passed (for STS at most 15 minutes, its fixed lifetime); {@code X-Amz-SignedHeaders} including
     * {@code host}, their values taken from the request; the canonical query string is every parameter but
     * {@code X-Amz-Signature}; the payload hash is the SHA-256 of the body as received (the empty string's for a GET),
     * which is what botocore's SigV4QueryAuth signs for a non-S3 service and what STS itself names in its
     * SignatureDoesNotMatch answers (only S3 uses {@code UNSIGNED-PAYLOAD}). A session token is the
     * {@code X-Amz-Security-Token} parameter, and so always signed.
     */
    Result verifyPresigned(String method, URI uri, Headers headers, byte[] body, String expectedService) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String[] p : queryParameters(uri.getRawQuery())) {
            if (p[0].startsWith("X-Amz-") && params.containsKey(p[0])) {
                return new Result(Failure.INCOMPLETE, "Query parameter " + p[0] + " is given more than once.",
                    null, null, null, null, null);
            }
            params.putIfAbsent(p[0], p[1]);
        }
        String token = params.get(Q_SECURITY_TOKEN);
        if (headers.getFirst("Authorization") != null) {
            return new Result(Failure.INCOMPLETE, "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                + "parameter, Signature query string parameter or the Authorization header should be specified",
                null, null, null, token, null);
        }
        String algorithm = params.get(Q_ALGORITHM);
        String credential = params.get(Q_CREDENTIAL);
        String amzDate = params.get(Q_DATE);
        String expiresParam = params.get(Q_EXPIRES);
        String signedHeaders = params.get(Q_SIGNED_HEADERS);
        String signature = params.get(Q_SIGNATURE);
        if (algorithm == null || credential == null || amzDate == null || signedHeaders == null
            || signature == null) {
            return new Result(Failure.INCOMPLETE, "AWS query-string parameters must include '" + Q_ALGORITHM + "', '"
                + Q_CREDENTIAL + "', '" + Q_SIGNATURE + "', '" + Q_DATE + "', '" + Q_SIGNED_HEADERS + "'. "
                + "Re-examine the query-string parameters.", null, null, null, token, null);
        }
        if (!ALGORITHM.equals(algorithm)) {
            return new Result(Failure.INCOMPLETE, Q_ALGORITHM + " only supports '" + ALGORITHM + "'.",
                null, null, null, token, null);
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return new Result(Failure.INCOMPLETE, "Credential should be scoped to a valid region and service: "
                + "<key>/<date>/<region>/<service>/aws4_request.", null, null, null, token, null);
        }
        String keyId = scope[0];
        String date = scope[1];
        String scopeRegion = scope[2];
        String service = scope[3];
        Result bad = new Result(Failure.BAD_SIGNATURE, null, keyId, service, scopeRegion, token, null);
        long expires;
        try {
            expires = expiresParam == null ? -1 : Long.parseLong(expiresParam);
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_PRESIGN_EXPIRES_SECONDS) {
            return new Result(Failure.INCOMPLETE, expires > MAX_PRESIGN_EXPIRES_SECONDS
                ? Q_EXPIRES + " must be less than a week (in seconds) that is " + MAX_PRESIGN_EXPIRES_SECONDS
                : Q_EXPIRES + " must be a number of seconds from 1 to " + MAX_PRESIGN_EXPIRES_SECONDS + ".",
                keyId, service, scopeRegion, token, null);
        }
        List<String> signed = List.of(signedHeaders.split(";", -1));
        if (!signed.contains("host")) {
            return new Result(Failure.INCOMPLETE, "'Host' must be a 'SignedHeader' in the AWS Authorization.",
                keyId, service, scopeRegion, token, null);
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return new Result(Failure.INCOMPLETE, "Date must be in ISO-8601 'basic format'. Got '" + amzDate
                + "'. See http://en.wikipedia.org/wiki/ISO_8601", keyId, service, scopeRegion, token, null);
        }
        Result wrongScope = scopeRefusal(bad, date, amzDate, scopeRegion, service, expectedService);
        if (wrongScope != null) {
            return wrongScope;
        }
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return new Result(Failure.SKEWED, "Signature not yet current: " + amzDate + " is still later than "
                + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + " + MAX_SKEW.toMinutes()
                + " min.)", keyId, service, scopeRegion, token, null);
        }
        Duration lifetime = Duration.ofSeconds(expires);
        if (lifetime.compareTo(MAX_PRESIGN_LIFETIME) > 0) {
            lifetime = MAX_PRESIGN_LIFETIME;
        }
        if (now.isAfter(signedAt.plus(lifetime))) {
            return new Result(Failure.PRESIGN_EXPIRED, "Request has expired", keyId, service, scopeRegion, token,
                null);
        }

        Result unknown = credentialRefusal(keyId, token, service, scopeRegion, now);
        if (unknown != null) {
            return unknown;
        }
        Identity identity = identities.get(keyId);
        String canonicalHeaders = canonicalHeaders(headers, signed);
        if (canonicalHeaders == null) {
            return withMessage(bad, MISMATCH);
        }
        String canonicalRequest = method + "\n"
            + canonicalUri(uri.getRawPath()) + "\n"
            + canonicalQuery(uri.getRawQuery(), Q_SIGNATURE) + "\n"
            + canonicalHeaders + "\n"
            + signedHeaders + "\n"
            + HEX.formatHex(sha256(body));
        if (!signatureMatches(identity, date, scopeRegion, service, amzDate, canonicalRequest, signature)) {
            return withMessage(bad, MISMATCH);
        }
        return new Result(null, null, keyId, service, scopeRegion, token, identity);
    }

    /** The credential scope against the signing time and this server (day, region, service); null when it holds. */
    private Result scopeRefusal(Result bad, String date, String requestTime, String scopeRegion, String service,
                                String expectedService) {
        if (!requestTime.startsWith(date)) {
            return withMessage(bad, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                + "from HTTP: '" + date + "' != '" + requestTime.substring(0, 8) + "', from '" + requestTime + "'.");
        }
        if (!region.equals(scopeRegion)) {
            return withMessage(bad, "Credential should be scoped to a valid region.");
        }
        if (!service.equals(expectedService)) {
            return withMessage(bad, "Credential should be scoped to correct service: '" + expectedService + "'.");
        }
        return null;
    }

    /** Why the access key and session token are not accepted at {@code now} (unknown, or expired); null when they are. */
    private Result credentialRefusal(String keyId, String token, String service, String scopeRegion, Instant now) {
        Identity identity = identities.get(keyId);
        if (identity == null || !Objects.equals(identity.sessionToken(), token)) {
            return new Result(Failure.UNKNOWN_KEY, "The security token included in the request is invalid.",
                keyId, service, scopeRegion, token, null);
        }
        if (identity.expiration() != null && !now.isBefore(identity.expiration())) {
            return new Result(Failure.EXPIRED_TOKEN, "The security token included in the request is expired",
                keyId, service, scopeRegion, token, null);
        }
        return null;
    }

    /** Whether {@code signature} is the one the identity's key gives the canonical request (in constant time). */
    private static boolean signatureMatches(Identity identity, String date, String scopeRegion, String service,
                                            String requestTime, String canonicalRequest, String signature) {
        return MessageDigest.isEqual(signature(identity, date, scopeRegion, service, requestTime, canonicalRequest)
                .getBytes(StandardCharsets.US_ASCII), signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** The hex signature of a canonical request: string to sign, then the key derived from the secret key. */
    private static String signature(Identity identity, String date, String scopeRegion, String service,
                                    String requestTime, String canonicalRequest) {
        String credentialScope = date + "/" + scopeRegion + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + requestTime + "\n" + credentialScope + "\n"
            + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + identity.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, scopeRegion);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HEX.formatHex(hmac(key, stringToSign));
    }

    private static Result withMessage(Result r, String message) {
        return new Result(r.failure(), message, r.accessKeyId(), r.service(), r.region(), r.sessionToken(), null);
    }

    /** X-Amz-Date / Date: ISO 8601 basic ({@code 20150830T123600Z}) or, for Date, RFC 1123; null if neither. */
    static Instant parseDate(String value) {
        String v = value.trim();
        try {
            return AMZ_DATE.parse(v, Instant::from);
        } catch (DateTimeParseException e) {
            try {
                // RFC 1123 without the weekday, which servers do not check (AWS's own examples have a wrong one)
                return HTTP_DATE.parse(v.replaceFirst("^[A-Za-z]{3}, *", ""), Instant::from);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * {@code name:value\n} for each signed header, in SignedHeaders' order: repeated headers joined by commas, each value
     * trimmed with runs of spaces collapsed. Null if a signed header is absent.
     */
    static String canonicalHeaders(Headers headers, List<String> signed) {
        StringBuilder out = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null || values.isEmpty()) {
                return null;
            }
            List<String> canonical = new ArrayList<>(values.size());
            for (String v : values) {
                canonical.add(v.trim().replaceAll(" {2,}", " "));
            }
            out.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", canonical)).append('\n');
        }
        return out.toString();
    }

    /**
     * The canonical URI of a non-S3 service: the path as sent, dot segments and empty segments removed, then every byte
     * outside the unreserved set and '/' percent-encoded (so an already encoded path is encoded twice, as AWS does).
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else {
                segments.add(s);
            }
        }
        String normalized = "/" + String.join("/", segments)
            + (rawPath.endsWith("/") && !segments.isEmpty() ? "/" : "");
        return encode(normalized, true);
    }

    /** Parameters decoded, each name and value re-encoded per RFC 3986, sorted by name then value, joined by '&'. */
    static String canonicalQuery(String rawQuery) {
        return canonicalQuery(rawQuery, null);
    }

    /** {@link #canonicalQuery(String)} without the parameter named {@code excluded} (a presigned X-Amz-Signature). */
    static String canonicalQuery(String rawQuery, String excluded) {
        List<String[]> params = new ArrayList<>();
        for (String[] p : queryParameters(rawQuery)) {
            if (!p[0].equals(excluded)) {
                params.add(new String[] {encode(p[0], false), encode(p[1], false)});
            }
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : params) {
            out.append(out.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** The query's parameters in order, names and values percent-decoded ('+' stays '+'); a bare name has "". */
    static List<String[]> queryParameters(String rawQuery) {
        List<String[]> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            params.add(new String[] {name, value});
        }
        return params;
    }

    /** RFC 3986: A-Z a-z 0-9 - _ . ~ stay, every other UTF-8 byte is %XX (upper-case hex); '/' too unless kept. */
    static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~' || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** %XX sequences to bytes, read as UTF-8; '+' stays '+' (SigV4 clients send a space as %20). */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && !escapeAt(s, i)) {
                i++;
            }
            out.writeBytes(s.substring(start, i).getBytes(StandardCharsets.UTF_8));
            if (i < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean escapeAt(String s, int i) {
        return s.charAt(i) == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
            && Character.digit(s.charAt(i + 2), 16) >= 0;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
