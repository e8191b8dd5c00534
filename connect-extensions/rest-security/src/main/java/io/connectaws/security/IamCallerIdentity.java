package io.connectaws.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * AWS IAM authentication of REST callers the way aws-iam-authenticator authenticates callers to EKS: the caller sends
 * {@code Authorization: Bearer k8s-aws-v1.<base64url of a presigned sts:GetCallerIdentity URL>} (what
 * {@code aws eks get-token --cluster-name CLUSTER_ID} prints as {@code status.token}); the worker checks the URL
 * (an STS host, only GetCallerIdentity, the {@code x-k8s-aws-id} header signed, at most 15 minutes old), sends it to STS
 * with {@code x-k8s-aws-id: CLUSTER_ID}, and STS, which verifies the signature, answers who signed it. Because the
 * header is signed, a token made for another cluster id (another service that trusts such tokens) fails here. The
 * principal is then matched against the allowed list: role ARNs (any session of the role), user ARNs, or
 * {@code arn:aws:iam::ACCOUNT:root} for any principal of the account.
 *
 * <p>Nothing but the URL's own checks runs before STS is asked, and only an STS endpoint is ever asked: the standard
 * hosts, or when {@code stsEndpoint} is set, that endpoint alone (a token cannot name a server of the caller's that
 * would vouch for any ARN). A verified token is remembered (by its SHA-256) until it is 15 minutes old, when STS stops
 * taking it, so a burst of calls with one token costs one STS call; a refusal from STS is remembered for a few seconds
 * only. Reasons never quote the token.
 */
public final class IamCallerIdentity {
    /** The token prefix of aws-iam-authenticator and {@code aws eks get-token}. */
    public static final String TOKEN_PREFIX = "k8s-aws-v1.";
    /** The signed header that binds a token to one cluster id. */
    public static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    /** How long STS takes a presigned URL, whatever its X-Amz-Expires says; also the oldest X-Amz-Date accepted. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** How far ahead of this worker's clock X-Amz-Date may be. */
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    static final long MAX_EXPIRES_SECONDS = 900;
    static final Duration STS_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REFUSAL_MEMORY = Duration.ofSeconds(3);
    static final int CACHE_SIZE = 1000;
    /** aws-iam-authenticator's limit. */
    private static final int MAX_TOKEN_CHARS = 4096;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String ACTION = "GetCallerIdentity";
    private static final String VERSION = "2011-06-15";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Set<String> AUTH_PARAMETERS = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");
    private static final Set<String> REQUIRED = Set.of("Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature");
    private static final String REGION = "[a-z]{2}(-[a-z]+)+-\\d";
    private static final Pattern STS_HOST = Pattern.compile("sts\\.amazonaws\\.com|sts\\." + REGION + "\\.amazonaws\\.com"
            + "|sts-fips\\." + REGION + "\\.amazonaws\\.com|sts\\." + REGION + "\\.amazonaws\\.com\\.cn");
    private static final Pattern CREDENTIAL = Pattern.compile("[A-Z0-9]{16,128}/\\d{8}/[a-z0-9-]{1,32}/sts/aws4_request");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EXPIRES = Pattern.compile("\\d{1,6}");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern CLUSTER_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private static final String PARTITION = "(aws|aws-cn|aws-us-gov)";
    private static final String ACCOUNT = "(\\d{12})";
    private static final String NAME = "[\\w+=,.@-]{1,64}";
    private static final String PATH = "/(?:[\\w+=,.@-]+/)*";
    private static final Pattern ROOT_ENTRY = Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":root");
    private static final Pattern ROLE_ENTRY = Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":role" + PATH
            + "(" + NAME + ")");
    private static final Pattern USER_ENTRY = Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":user" + PATH
            + NAME);
    /** What STS answers: an IAM user or role, an assumed-role session, a federated user, the account root. */
    private static final Pattern CALLER = Pattern.compile("arn:" + PARTITION + ":(iam|sts)::" + ACCOUNT
            + ":([\\w+=,.@/:-]{1,1024})");
    private static final Pattern ASSUMED_ROLE = Pattern.compile("assumed-role/(" + NAME + ")/[\\w+=,.@-]{1,64}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9.]{1,64}");

    /** The outcome: allowed with the caller's ARN, or refused with 401 / 403 (or 503 when STS cannot be asked). */
    public sealed interface Result permits Allowed, Refused {
        boolean allowed();

        /** 200 when allowed; else the HTTP status to answer. */
        int status();

        /** Why it was refused (short, never the token), or "allowed". */
        String reason();

        /** The caller's ARN as STS answered it, when allowed. */
        Optional<String> arn();
    }

    /** A principal that STS vouched for and the allowed list names. */
    public record Allowed(String callerArn) implements Result {
        @Override
        public boolean allowed() {
            return true;
        }

        @Override
        public int status() {
            return 200;
        }

        @Override
        public String reason() {
            return "allowed";
        }

        @Override
        public Optional<String> arn() {
            return Optional.of(callerArn);
        }
    }

    /** 401: no, malformed, expired or invalid token (or STS refused it); 403: a valid identity not allowed. */
    public record Refused(int status, String reason) implements Result {
        @Override
        public boolean allowed() {
            return false;
        }

        @Override
        public Optional<String> arn() {
            return Optional.empty();
        }
    }

    /** An allowed-list entry. */
    private record Principal(String partition, String account, Kind kind, String arn, String roleName) {
        enum Kind { ROOT, ROLE, USER }

        boolean matches(String partition, String service, String account, String resource, String callerArn) {
            if (!this.partition.equals(partition) || !this.account.equals(account)) {
                return false;
            }
            switch (kind) {
                case ROOT:
                    return true;
                case ROLE:
                    if (callerArn.equals(arn)) {
                        return true;
                    }
                    Matcher m = ASSUMED_ROLE.matcher(resource);
                    return service.equals("sts") && m.matches() && m.group(1).equals(roleName);
                default:
                    return callerArn.equals(arn);
            }
        }
    }

    /** What STS said about a token: the ARN, or the refusal; {@code until} is how long to remember it. */
    private record Verification(String arn, Refused refusal, Instant until) {
    }

    private final String clusterId;
    private final List<Principal> allowed;
    private final Optional<URI> stsEndpoint;
    private final Clock clock;
    private final HttpClient http;
    private final Map<String, Verification> cache;
    private final Map<String, CompletableFuture<Verification>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong stsCalls = new AtomicLong();

    /**
     * @param clusterId         the id a token must be made for ({@code aws eks get-token --cluster-name CLUSTER_ID})
     * @param allowedPrincipals role ARNs {@code arn:aws:iam::ACCOUNT:role/NAME} (any path; any session of the role),
     *                          user ARNs {@code arn:aws:iam::ACCOUNT:user/NAME}, or {@code arn:aws:iam::ACCOUNT:root};
     *                          partitions aws, aws-cn and aws-us-gov
     * @param stsEndpoint       when set, the only STS endpoint accepted ({@code scheme://host[:port]}), instead of the
     *                          standard STS hosts
     * @param clock             for the token's age and the cache
     * @throws IllegalArgumentException naming an entry that is none of these forms, an empty list or cluster id, or an
     *                                  endpoint that is not {@code http(s)://host[:port]}
     */
    public IamCallerIdentity(String clusterId, List<String> allowedPrincipals, Optional<URI> stsEndpoint, Clock clock) {
        this(clusterId, allowedPrincipals, stsEndpoint, clock, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(STS_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** As above, with the HTTP client to ask STS with (it must not follow redirects). */
    public IamCallerIdentity(String clusterId, List<String> allowedPrincipals, Optional<URI> stsEndpoint, Clock clock,
                             HttpClient http) {
        if (clusterId == null || !CLUSTER_ID.matcher(clusterId).matches()) {
            throw new IllegalArgumentException("the IAM cluster id is " + (clusterId == null || clusterId.isBlank()
                    ? "empty" : "not 1-256 printable characters without spaces") + ": set it to the name callers pass "
                    + "to aws eks get-token --cluster-name");
        }
        if (allowedPrincipals == null || allowedPrincipals.isEmpty()) {
            throw new IllegalArgumentException("no IAM principal is allowed: list role ARNs "
                    + "(arn:aws:iam::ACCOUNT:role/NAME), user ARNs (arn:aws:iam::ACCOUNT:user/NAME) or "
                    + "arn:aws:iam::ACCOUNT:root");
        }
        List<Principal> principals = new ArrayList<>();
        for (String entry : allowedPrincipals) {
            principals.add(principal(entry == null ? "" : entry.trim()));
        }
        stsEndpoint.ifPresent(IamCallerIdentity::checkEndpoint);
        this.clusterId = clusterId;
        this.allowed = List.copyOf(principals);
        this.stsEndpoint = stsEndpoint;
        this.clock = clock;
        this.http = http;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verification> eldest) {
                return size() > CACHE_SIZE;
            }
        });
    }

    private static Principal principal(String entry) {
        Matcher m;
        if ((m = ROOT_ENTRY.matcher(entry)).matches()) {
            return new Principal(m.group(1), m.group(2), Principal.Kind.ROOT, entry, null);
        }
        if ((m = ROLE_ENTRY.matcher(entry)).matches()) {
            return new Principal(m.group(1), m.group(2), Principal.Kind.ROLE, entry, m.group(3));
        }
        if ((m = USER_ENTRY.matcher(entry)).matches()) {
            return new Principal(m.group(1), m.group(2), Principal.Kind.USER, entry, null);
        }
        throw new IllegalArgumentException("'" + entry + "' is not an allowed IAM principal: use a role ARN "
                + "arn:aws:iam::ACCOUNT:role/NAME (any session of the role), a user ARN arn:aws:iam::ACCOUNT:user/NAME, "
                + "or arn:aws:iam::ACCOUNT:root (every principal of the account); partition aws, aws-cn or aws-us-gov, "
                + "no wildcards");
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String path = endpoint.getRawPath();
        if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null
                || endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null || !(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("the STS endpoint '" + endpoint + "' is not https://HOST[:PORT] (or http)");
        }
    }

    /** How many times STS was asked (tests, metrics). */
    long stsCalls() {
        return stsCalls.get();
    }

    /** Authenticates an {@code Authorization} header value ({@code Bearer k8s-aws-v1.…}; null when absent). */
    public Result authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return unauthorized("no Authorization header");
        }
        String header = authorizationHeader.trim();
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("the Authorization header is not a Bearer token");
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(TOKEN_PREFIX)) {
            return unauthorized("the Bearer token is not a " + TOKEN_PREFIX + " token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return unauthorized("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String key = sha256(token);
        Instant now = clock.instant();
        Verification known = cache.get(key);
        if (known != null && now.isBefore(known.until())) {
            return decide(known);
        }

        PresignedUrl url;
        try {
            url = parse(token.substring(TOKEN_PREFIX.length()), now);
        } catch (BadToken e) {
            return unauthorized(e.getMessage());
        }

        CompletableFuture<Verification> mine = new CompletableFuture<>();
        CompletableFuture<Verification> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return decide(running.join());
        }
        try {
            Verification v = cache.get(key); // verified by a call that finished after this one looked
            if (v == null || !now.isBefore(v.until())) {
                v = askSts(url);
            }
            if (v.until().isAfter(now)) {
                cache.put(key, v);
            }
            mine.complete(v);
            return decide(v);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Result decide(Verification v) {
        if (v.refusal() != null) {
            return v.refusal();
        }
        Matcher m = CALLER.matcher(v.arn());
        if (m.matches()) {
            for (Principal p : allowed) {
                if (p.matches(m.group(1), m.group(2), m.group(3), m.group(4), v.arn())) {
                    return new Allowed(v.arn());
                }
            }
        }
        return new Refused(403, "the IAM principal " + v.arn() + " is not allowed to call this REST API");
    }

    private static Refused unauthorized(String reason) {
        return new Refused(401, reason);
    }

    // ---- the URL's own checks ----

    private record PresignedUrl(URI uri, Instant signedAt) {
    }

    private static final class BadToken extends Exception {
        private static final long serialVersionUID = 1L;

        BadToken(String message) {
            super(message, null, false, false);
        }
    }

    private PresignedUrl parse(String encoded, Instant now) throws BadToken {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new BadToken("the token is not base64url");
        }
        String text;
        try {
            text = StandardCharsets.US_ASCII.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadToken("the token is not a URL");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new BadToken("the token is not a URL");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw new BadToken("the token is not a URL");
        }
        checkHost(uri);
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new BadToken("the token's URL has user info or a fragment");
        }
        String path = uri.getRawPath();
        if (!(path == null || path.isEmpty() || path.equals("/"))) {
            throw new BadToken("the token's URL has a path");
        }
        Map<String, String> query = query(uri.getRawQuery());
        if (!query.keySet().containsAll(REQUIRED)) {
            throw new BadToken("the token's URL lacks a parameter of a presigned GetCallerIdentity");
        }
        if (!ACTION.equals(query.get("Action")) || !VERSION.equals(query.get("Version"))) {
            throw new BadToken("the token's URL is not sts:GetCallerIdentity version " + VERSION);
        }
        if (!ALGORITHM.equals(query.get("X-Amz-Algorithm"))) {
            throw new BadToken("the token's X-Amz-Algorithm is not " + ALGORITHM);
        }
        if (!CREDENTIAL.matcher(query.get("X-Amz-Credential")).matches()) {
            throw new BadToken("the token's X-Amz-Credential is not an STS credential scope");
        }
        if (!SIGNATURE.matcher(query.get("X-Amz-Signature")).matches()) {
            throw new BadToken("the token's X-Amz-Signature is not a SigV4 signature");
        }
        List<String> signedHeaders = List.of(query.get("X-Amz-SignedHeaders").split(";", -1));
        if (!signedHeaders.contains("host") || !signedHeaders.contains(CLUSTER_ID_HEADER)) {
            throw new BadToken("the token does not sign the host and " + CLUSTER_ID_HEADER + " headers");
        }
        String expires = query.get("X-Amz-Expires");
        if (!EXPIRES.matcher(expires).matches() || Long.parseLong(expires) > MAX_EXPIRES_SECONDS) {
            throw new BadToken("the token's X-Amz-Expires is not 0-" + MAX_EXPIRES_SECONDS + " seconds");
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(query.get("X-Amz-Date"), Instant::from);
        } catch (DateTimeParseException e) {
            throw new BadToken("the token's X-Amz-Date is not a SigV4 date");
        }
        if (signedAt.isAfter(now.plus(MAX_FUTURE))) {
            throw new BadToken("the token is dated more than " + MAX_FUTURE.toMinutes() + " minutes ahead");
        }
        if (now.isAfter(signedAt.plus(TOKEN_LIFETIME))) {
            throw new BadToken("the token has expired (it is older than " + TOKEN_LIFETIME.toMinutes()
                    + " minutes): make a new one");
        }
        return new PresignedUrl(uri, signedAt);
    }

    /** Only an STS endpoint, so that nobody but STS can vouch for a principal. */
    private void checkHost(URI uri) throws BadToken {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (stsEndpoint.isPresent()) {
            URI sts = stsEndpoint.get();
            String stsScheme = sts.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals(stsScheme) || !host.equals(sts.getHost().toLowerCase(Locale.ROOT))
                    || port(uri) != port(sts)) {
                throw new BadToken("the token's URL is not this worker's STS endpoint");
            }
            return;
        }
        if (!scheme.equals("https")) {
            throw new BadToken("the token's URL is not https");
        }
        if (!STS_HOST.matcher(host).matches() || uri.getPort() != -1) {
            throw new BadToken("the token's URL is not an STS endpoint");
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The parameters, names case-sensitive as SigV4's: Action, Version and the SigV4 ones, each once; values
     * percent-decoded.
     */
    private static Map<String, String> query(String rawQuery) throws BadToken {
        if (rawQuery == null || rawQuery.isEmpty()) {
            throw new BadToken("the token's URL has no query");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadToken("the token's URL has a malformed query parameter");
            }
            String name = decode(pair.substring(0, eq));
            if (!(name.equals("Action") || name.equals("Version") || AUTH_PARAMETERS.contains(name))) {
                throw new BadToken("the token's URL has a parameter other than Action, Version and X-Amz-*");
            }
            if (params.put(name, decode(pair.substring(eq + 1))) != null) {
                throw new BadToken("the token's URL repeats a parameter");
            }
        }
        return params;
    }

    private static String decode(String s) throws BadToken {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new BadToken("the token's URL has a malformed escape");
                }
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- STS ----

    private Verification askSts(PresignedUrl url) {
        Instant until = url.signedAt().plus(TOKEN_LIFETIME);
        HttpRequest request = HttpRequest.newBuilder(url.uri())
                .GET()
                .timeout(STS_TIMEOUT)
                .header(CLUSTER_ID_HEADER, clusterId)
                .header("Accept", "application/xml")
                .build();
        stsCalls.incrementAndGet();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES);
            }
        } catch (IOException e) {
            // not the token's fault, and not remembered: the next call asks again
            return new Verification(null, new Refused(503, "STS could not be asked to verify the token ("
                    + e.getClass().getSimpleName() + ")"), Instant.MIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verification(null, new Refused(503, "interrupted while STS verified the token"), Instant.MIN);
        }
        Instant refusalUntil = clock.instant().plus(REFUSAL_MEMORY);
        Document xml = xml(body);
        if (response.statusCode() != 200) {
            String code = xml == null ? null : text(xml.getDocumentElement(), "Error", "Code");
            return new Verification(null, unauthorized("STS refused the token: "
                    + (code != null && ERROR_CODE.matcher(code).matches() ? code : "HTTP " + response.statusCode())),
                    refusalUntil);
        }
        String arn = xml == null ? null : text(xml.getDocumentElement(), "GetCallerIdentityResult", "Arn");
        if (arn == null || !CALLER.matcher(arn).matches()) {
            return new Verification(null, unauthorized("STS answered no caller ARN"), refusalUntil);
        }
        return new Verification(arn, null, until);
    }

    /** The text of {@code root/child/grandchild} (local names), or null. */
    private static String text(Element root, String child, String grandchild) {
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && child.equals(e.getLocalName())) {
                for (Node g = e.getFirstChild(); g != null; g = g.getNextSibling()) {
                    if (g instanceof Element ge && grandchild.equals(ge.getLocalName())) {
                        return ge.getTextContent().trim();
                    }
                }
            }
        }
        return null;
    }

    /** The body parsed by the JDK's parser with DTDs, external entities and XInclude off; null if not XML. */
    private static Document xml(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // no "[Fatal Error]" lines on stderr
            return builder.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return null;
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
