package io.connectaws.it.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A local stand-in for the AWS endpoints the distribution talks to, for tests that point the real AWS SDK clients at it
 * ({@code endpointOverride(localAws.endpoint())}): Secrets Manager and SSM Parameter Store (AWS JSON 1.1), STS
 * AssumeRole and EC2 DescribeAvailabilityZones (Query protocol), CloudWatch PutMetricData (Smithy RPC v2 CBOR, AWS JSON
 * 1.0 or Query), the ECS container credentials and task metadata endpoints and MSK IAM checks. Every API request's
 * SigV4 signature is verified by AWS's published rules ({@link SigV4Verifier}) with the registered secret key, so any
 * conforming client (the SDK for Java, the AWS CLI) is accepted. All ports share one state.
 */
public final class LocalAws implements AutoCloseable {
    /** The access key id of the base identity registered at start. */
    public static final String ACCESS_KEY_ID = "AKIALOCALTESTKEY0001";
    /** The secret access key of the base identity registered at start. */
    public static final String SECRET_ACCESS_KEY = "local/test/secret/key/0000000000000000000";

    static final String ACCOUNT_ID = "123456789012";
    static final String BASE_ARN = "arn:aws:iam::" + ACCOUNT_ID + ":user/local-test";
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final Pattern SEED = Pattern.compile("LOCAL_AWS_(SECRET|PARAMETER)_\\d+");
    /** {@code GET} answers {@code {"remaining": n}}, {@code POST {"requests": n}} arms {@link #throttleNext(int)}. */
    static final String THROTTLE_PATH = "/_local/throttle";

    /** One API request as the server saw it: the action, the SigV4 scope's service and region, and the key used. */
    public record RecordedRequest(String action, String service, String region, String accessKeyId,
                                  boolean signatureValid, String sessionToken) {
    }

    private final String region;
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor;
    private final boolean log;
    private final SigV4Verifier verifier;
    private final ContainerCredentials containerCredentials;
    private final SecretsManagerApi secretsManager;
    private final SsmApi ssm;
    private final StsApi sts;
    private final EcsMetadataApi ecsMetadata;
    private final Ec2Api ec2;
    private final MskIamApi mskIam;
    private final CloudWatchApi cloudWatch;
    private final GlueApi glue;
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final AtomicInteger throttle = new AtomicInteger();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

    private LocalAws(List<Integer> ports, String region, String credentialsPath, boolean log) {
        this.region = region;
        this.log = log;
        Clock clock = Clock.systemUTC();
        verifier = new SigV4Verifier(region, clock);
        verifier.register(new SigV4Verifier.Identity(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null, null, BASE_ARN));
        containerCredentials = new ContainerCredentials(credentialsPath, verifier, clock);
        secretsManager = new SecretsManagerApi(region, clock, denied::contains);
        ssm = new SsmApi(region, clock, denied::contains);
        sts = new StsApi(verifier, clock);
        ecsMetadata = new EcsMetadataApi(region, System.getenv(), clock);
        ec2 = new Ec2Api(region, ecsMetadata.availabilityZone(), denied::contains);
        mskIam = new MskIamApi(region, verifier, clock, log);
        cloudWatch = new CloudWatchApi(clock);
        glue = new GlueApi(region, clock, denied::contains);
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-aws-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int port : ports) {
                HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
                server.createContext("/", this::handle);
                server.setExecutor(executor);
                server.start();
                servers.add(server);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot bind " + ports, e);
        }
    }

    /** Starts a server on all interfaces at {@code port} (0 = ephemeral) that accepts only {@code region} in SigV4. */
    public static LocalAws start(int port, String region) {
        return new LocalAws(List.of(port), region, "/v2/credentials/" + UUID.randomUUID(), false);
    }

    /** The port the (first) server listens on. */
    public int port() {
        return servers.get(0).getAddress().getPort();
    }

    /** {@code http://localhost:<port>}, for the SDK clients' endpointOverride. */
    public URI endpoint() {
        return URI.create("http://localhost:" + port());
    }

    /** The only region accepted in a SigV4 credential scope, and the one in the ARNs. */
    public String region() {
        return region;
    }

    /** Amazon MSK IAM authentication checks for the test broker (it/msk-iam-broker): records and the deny switch. */
    public MskIamApi mskIam() {
        return mskIam;
    }

    /** The path whose GET answers ECS container-credentials JSON with temporary credentials the server accepts. */
    public String containerCredentialsPath() {
        return containerCredentials.path();
    }

    /** Makes the container credentials endpoint answer 403 unless the Authorization header equals {@code token}. */
    public void requireContainerAuthorizationToken(String token) {
        containerCredentials.requireAuthorizationToken(token);
    }

    /** Creates a string secret (AWSCURRENT version) and returns its ARN. */
    public String createSecretString(String name, String value) {
        return unwrap(() -> secretsManager.create(name, value, null, null));
    }

    /** Creates a binary secret (AWSCURRENT version) and returns its ARN. */
    public String createSecretBinary(String name, byte[] value) {
        return unwrap(() -> secretsManager.create(name, null, value.clone(), null));
    }

    /** Adds a new version that becomes AWSCURRENT (the old current becomes AWSPREVIOUS); returns its VersionId. */
    public String putSecretString(String name, String value) {
        return unwrap(() -> secretsManager.put(name, value, null, null, null));
    }

    /** The secret's ARN, or null if there is no such secret. */
    public String secretArn(String name) {
        return secretsManager.arn(name);
    }

    /** Creates or overwrites a String or SecureString parameter; returns the new version number (1, 2, ...). */
    public long putParameter(String name, String value, boolean secureString) {
        return unwrap(() -> ssm.put(name, value, secureString ? "SecureString" : "String", true));
    }

    /** Deletes the parameter with all its versions, as DeleteParameter does. */
    public void deleteParameter(String name) {
        unwrap(() -> {
            ssm.delete(name);
            return null;
        });
    }

    /** Attaches {@code label} to a version of the parameter, moving it from any other version. */
    public void labelParameterVersion(String name, long version, String label) {
        List<String> invalid = unwrap(() -> ssm.label(name, version, List.of(label)));
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("invalid parameter label: " + label);
        }
    }

    /** Makes requests for this secret or parameter (name, or the SecretId/path as sent) answer AccessDeniedException. */
    public void denyAccess(String secretNameOrParameterName) {
        denied.add(secretNameOrParameterName);
    }

    /** Undoes {@link #denyAccess(String)}. */
    public void allowAccess(String secretNameOrParameterName) {
        denied.remove(secretNameOrParameterName);
    }

    /**
     * Makes the next {@code requests} correctly signed API requests answer ThrottlingException (STS and CloudWatch:
     * Throttling; EC2: RequestLimitExceeded).
     */
    public void throttleNext(int requests) {
        throttle.set(requests);
    }

    /** Makes AssumeRole of {@code roleArn} answer AccessDenied unless it carries this ExternalId. */
    public void requireExternalId(String roleArn, String externalId) {
        sts.requireExternalId(roleArn, externalId);
    }

    /** Every AssumeRole call in order: RoleArn, RoleSessionName, ExternalId, DurationSeconds, CallerAccessKeyId. */
    public List<Map<String, String>> assumeRoleCalls() {
        return sts.calls();
    }

    /** Every datum that CloudWatch PutMetricData calls stored, oldest first. */
    public List<CloudWatchDatum> metricData() {
        return cloudWatch.metricData();
    }

    /** Every CloudWatch PutMetricData call in order, refused ones (signature, throttling, validation) included. */
    public List<CloudWatchCall> putMetricDataCalls() {
        return cloudWatch.calls();
    }

    /** Forgets the stored CloudWatch datums and the recorded PutMetricData calls. */
    public void clearMetricData() {
        cloudWatch.clear();
    }

    /** Every API request (not the credentials endpoint or /health) in order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many API requests had this action, e.g. {@code count("secretsmanager.GetSecretValue")}. */
    public long count(String action) {
        return requests().stream().filter(r -> action.equals(r.action())).count();
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        requests.clear();
    }

    /** Stops the servers. */
    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
        executor.shutdownNow();
    }

    /**
     * Standalone mode for a container: ports from LOCAL_AWS_PORTS (default "80,4566"), region from AWS_REGION (default
     * us-east-1), container credentials at LOCAL_AWS_CREDENTIALS_PATH (default "/v2/credentials/local"), optional
     * LOCAL_AWS_CONTAINER_AUTHORIZATION_TOKEN, seed secrets LOCAL_AWS_SECRET_n=name=value and String parameters
     * LOCAL_AWS_PARAMETER_n=name=value.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        List<Integer> ports = Arrays.stream(env.getOrDefault("LOCAL_AWS_PORTS", "80,4566").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
        String region = env.getOrDefault("AWS_REGION", "us-east-1");
        String path = env.getOrDefault("LOCAL_AWS_CREDENTIALS_PATH", "/v2/credentials/local");
        LocalAws aws = new LocalAws(ports, region, path, true);
        String token = env.get("LOCAL_AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (token != null && !token.isEmpty()) {
            aws.requireContainerAuthorizationToken(token);
        }
        new TreeMap<>(env).forEach((key, value) -> {
            if (SEED.matcher(key).matches()) {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(key + " must be name=value");
                }
                String name = value.substring(0, eq);
                if (key.startsWith("LOCAL_AWS_SECRET_")) {
                    aws.createSecretString(name, value.substring(eq + 1));
                } else {
                    aws.putParameter(name, value.substring(eq + 1), false);
                }
                System.out.println("local-aws: seeded " + (key.startsWith("LOCAL_AWS_SECRET_") ? "secret " : "parameter ")
                    + name);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }));
        System.out.println("local-aws: listening on ports " + ports + ", region " + region
            + ", container credentials at " + path + ", base access key " + ACCESS_KEY_ID);
        System.out.flush();
        stopped.await();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            ApiResponse response;
            try {
                response = route(exchange, body);
            } catch (RuntimeException e) {
                response = ApiResponse.amzJson(500, error("InternalFailure", "local-aws: " + e));
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            exchange.close();
        }
    }

    private ApiResponse route(HttpExchange exchange, byte[] body) {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        if ("GET".equals(method) && "/health".equals(path)) {
            return ApiResponse.text(200, "ok");
        }
        if (path.startsWith(MskIamApi.PATH_PREFIX)) {
            return mskIam.handle(method, path, body);
        }
        if (path.startsWith(CloudWatchApi.PATH_PREFIX)) {
            return cloudWatch.handleLocal(method, path);
        }
        if (THROTTLE_PATH.equals(path)) {
            return throttleRequest(method, body);
        }
        if (path.startsWith(EcsMetadataApi.PATH_PREFIX)) {
            ApiResponse response = ecsMetadata.handle(method, path, exchange.getRemoteAddress());
            log("ecs-task-metadata", null, response.status());
            return response;
        }
        if (containerCredentials.path().equals(path)) {
            ApiResponse response = "GET".equals(method)
                ? containerCredentials.get(exchange.getRequestHeaders().getFirst("Authorization"))
                : ApiResponse.text(405, "method not allowed");
            log("container-credentials", null, response.status());
            return response;
        }
        if ("GET".equals(method) && ("/".equals(path) || path.isEmpty()) && stsQuery(uri)) {
            // STS over Query as a GET: a presigned GetCallerIdentity URL (aws eks get-token, aws-iam-authenticator)
            return query(exchange, body);
        }
        if (!"POST".equals(method)) {
            return ApiResponse.text(404, "not found");
        }
        if (path.startsWith(CloudWatchApi.RPC_V2_PREFIX)) {
            return rpcV2(exchange, body, path);
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            if (target.startsWith(CloudWatchApi.TARGET_PREFIX)) {
                return cloudWatch(exchange, body, CloudWatchApi.Protocol.AWS_JSON_1_0,
                    target.substring(CloudWatchApi.TARGET_PREFIX.length()), Map.of());
            }
            if (target.startsWith(SecretsManagerApi.TARGET_PREFIX)) {
                return json(exchange, body, target, SecretsManagerApi.TARGET_PREFIX, SecretsManagerApi.SIGNING_NAME);
            }
            if (target.startsWith(SsmApi.TARGET_PREFIX)) {
                return json(exchange, body, target, SsmApi.TARGET_PREFIX, SsmApi.SIGNING_NAME);
            }
            if (target.startsWith(GlueApi.TARGET_PREFIX)) {
                return json(exchange, body, target, GlueApi.TARGET_PREFIX, GlueApi.SIGNING_NAME);
            }
            requests.add(new RecordedRequest(target, null, null, null, false, null));
            log(target, null, 400);
            ApiException e = unknownOperation();
            return ApiResponse.amzJson(e.status, error(e.code, e.getMessage()));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            return query(exchange, body);
        }
        return ApiResponse.text(404, "not found");
    }

    /** An AWS JSON 1.1 request: verify, record, throttle, then the service's action. */
    private ApiResponse json(HttpExchange exchange, byte[] body, String target, String prefix, String signingName) {
        SigV4Verifier.Result auth = verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRequestHeaders(), body, signingName);
        requests.add(recorded(target, auth));
        ApiResponse response;
        if (!auth.valid()) {
            ApiException e = authError(auth, false);
            response = ApiResponse.amzJson(e.status, error(e.code, e.getMessage()));
        } else if (consumeThrottle()) {
            response = ApiResponse.amzJson(400, error("ThrottlingException", "Rate exceeded"));
        } else {
            try {
                JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                if (!request.isObject()) {
                    throw ApiException.badRequest("SerializationException", "Start of structure or map found where "
                        + "not expected.");
                }
                String action = target.substring(prefix.length());
                ObjectNode out = signingName.equals(GlueApi.SIGNING_NAME) ? glue.handle(action, request)
                    : signingName.equals(SsmApi.SIGNING_NAME) ? ssm.handle(action, request, auth.identity())
                    : secretsManager.handle(action, request, auth.identity());
                response = ApiResponse.amzJson(200, out);
            } catch (ApiException e) {
                response = ApiResponse.amzJson(e.status, error(e.code, e.getMessage()));
            } catch (IOException e) {
                response = ApiResponse.amzJson(400, error("SerializationException", "Malformed JSON request body."));
            }
        }
        log(target, auth, response.status());
        return response;
    }

    /**
     * An AWS Query request (STS, EC2 or CloudWatch by Version; a gzip body is read decompressed): verify, record,
     * throttle, then the action.
     */
    private ApiResponse query(HttpExchange exchange, byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), form);
        byte[] plain = body;
        try {
            plain = CloudWatchApi.decode(body, exchange.getRequestHeaders().getFirst("Content-Encoding"));
        } catch (ApiException e) {
            // answered by the action if it is CloudWatch's; other Query services do not take compressed bodies
        }
        parseForm(new String(plain, StandardCharsets.UTF_8), form);
        if (CloudWatchApi.VERSION.equals(form.get("Version"))) {
            return cloudWatch(exchange, body, CloudWatchApi.Protocol.AWS_QUERY, form.getOrDefault("Action", ""), form);
        }
        boolean isEc2 = Ec2Api.VERSION.equals(form.get("Version"));
        Function<ApiException, String> errorXml = isEc2 ? Ec2Api::errorXml : StsApi::errorXml;
        String action = (isEc2 ? "ec2." : "sts.") + form.getOrDefault("Action", "");
        String signingName = isEc2 ? Ec2Api.SIGNING_NAME : StsApi.SIGNING_NAME;
        SigV4Verifier.Result auth = SigV4Verifier.presigned(exchange.getRequestURI())
            ? verifier.verifyPresigned(exchange.getRequestMethod(), exchange.getRequestURI(),
                exchange.getRequestHeaders(), body, signingName)
            : verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(),
                body, signingName);
        requests.add(recorded(action, auth));
        ApiResponse response;
        if (!auth.valid()) {
            ApiException e = isEc2 ? Ec2Api.authError(auth.failure(), authError(auth, true)) : authError(auth, true);
            response = ApiResponse.xml(e.status, errorXml.apply(e));
        } else if (consumeThrottle()) {
            ApiException e = isEc2 ? Ec2Api.throttled() : ApiException.badRequest("Throttling", "Rate exceeded");
            response = ApiResponse.xml(e.status, errorXml.apply(e));
        } else {
            try {
                String a = form.getOrDefault("Action", "");
                response = ApiResponse.xml(200, isEc2 ? ec2.handle(a, form, auth.identity())
                    : sts.handle(a, form, auth.identity()));
            } catch (ApiException e) {
                response = ApiResponse.xml(e.status, errorXml.apply(e));
            }
        }
        log(action, auth, response.status());
        return response;
    }

    /** Whether a GET's query names an STS action: {@code Version=2011-06-15} and an {@code Action}. */
    private static boolean stsQuery(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        parseForm(uri.getRawQuery(), query);
        return StsApi.VERSION.equals(query.get("Version")) && query.containsKey("Action");
    }

    /** A Smithy RPC v2 CBOR request ({@code /service/<service>/operation/<operation>}): only CloudWatch speaks it. */
    private ApiResponse rpcV2(HttpExchange exchange, byte[] body, String path) {
        if (!path.startsWith(CloudWatchApi.OPERATION_PREFIX)) {
            requests.add(new RecordedRequest(path, null, null, null, false, null));
            log(path, null, 404);
            return ApiResponse.text(404, "not found");
        }
        if (!CloudWatchApi.SMITHY_PROTOCOL.equals(exchange.getRequestHeaders().getFirst("smithy-protocol"))) {
            return ApiResponse.text(400, "smithy-protocol: " + CloudWatchApi.SMITHY_PROTOCOL + " header required");
        }
        return cloudWatch(exchange, body, CloudWatchApi.Protocol.RPC_V2_CBOR,
            path.substring(CloudWatchApi.OPERATION_PREFIX.length()), Map.of());
    }

    /** A CloudWatch request in any of its protocols: verify (over the body as sent), record, throttle, the action. */
    private ApiResponse cloudWatch(HttpExchange exchange, byte[] body, CloudWatchApi.Protocol protocol,
                                   String operation, Map<String, String> form) {
        SigV4Verifier.Result auth = verifier.verify(exchange.getRequestMethod(), exchange.getRequestURI(),
            exchange.getRequestHeaders(), body, CloudWatchApi.SIGNING_NAME);
        String action = "cloudwatch." + operation;
        requests.add(recorded(action, auth));
        ApiException refusal = !auth.valid() ? authError(auth, true)
            : consumeThrottle() ? CloudWatchApi.throttled() : null;
        ApiResponse response = cloudWatch.call(protocol, operation, body,
            exchange.getRequestHeaders().getFirst("Content-Encoding"), form, auth.accessKeyId(), refusal);
        log(action, auth, response.status());
        return response;
    }

    /** {@code GET|POST|DELETE /_local/throttle}: the {@link #throttleNext(int)} switch over HTTP. */
    private ApiResponse throttleRequest(String method, byte[] body) {
        if ("POST".equals(method)) {
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                request = null;
            }
            JsonNode n = request == null ? null : request.path("requests");
            if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                return ApiResponse.json(400, JSON.createObjectNode().put("reason",
                    "expected {\"requests\": <n ≥ 0>}"));
            }
            throttleNext(n.asInt());
        } else if ("DELETE".equals(method)) {
            throttleNext(0);
        } else if (!"GET".equals(method)) {
            return ApiResponse.text(405, "method not allowed");
        }
        return ApiResponse.json(200, JSON.createObjectNode().put("remaining", throttle.get()));
    }

    private static RecordedRequest recorded(String action, SigV4Verifier.Result auth) {
        return new RecordedRequest(action, auth.service(), auth.region(), auth.accessKeyId(), auth.valid(),
            auth.sessionToken());
    }

    private boolean consumeThrottle() {
        return throttle.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The error a failed signature check answers: AWS JSON services' codes, or the Query protocol's (STS). */
    private static ApiException authError(SigV4Verifier.Result auth, boolean query) {
        switch (auth.failure()) {
            case MISSING:
                return query ? new ApiException(403, "MissingAuthenticationToken", "Request is missing Authentication "
                    + "Token") : ApiException.badRequest("MissingAuthenticationTokenException", auth.message());
            case INCOMPLETE:
                return ApiException.badRequest(query ? "IncompleteSignature" : "IncompleteSignatureException",
                    auth.message());
            case UNKNOWN_KEY:
                return query ? new ApiException(403, "InvalidClientTokenId", auth.message())
                    : ApiException.badRequest("UnrecognizedClientException", auth.message());
            case EXPIRED_TOKEN:
                return ApiException.badRequest(query ? "ExpiredToken" : "ExpiredTokenException", auth.message());
            case PRESIGN_EXPIRED:
                return query ? new ApiException(403, "AccessDenied", auth.message())
                    : ApiException.badRequest("AccessDeniedException", auth.message());
            default:
                return query ? new ApiException(403, "SignatureDoesNotMatch", auth.message())
                    : ApiException.badRequest("InvalidSignatureException", auth.message());
        }
    }

    static ApiException unknownOperation() {
        return ApiException.badRequest("UnknownOperationException", null);
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode node = JSON.createObjectNode().put("__type", code);
        if (message != null) {
            node.put("message", message);
        }
        return node;
    }

    private static void parseForm(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!key.isEmpty()) {
                into.put(key, value);
            }
        }
    }

    /** One line per request in standalone mode: never a body, a secret value or a secret key. */
    private void log(String action, SigV4Verifier.Result auth, int status) {
        if (!log) {
            return;
        }
        String signature = auth == null ? "-" : auth.valid() ? "ok" : "bad(" + auth.failure() + ")";
        String key = auth == null || auth.accessKeyId() == null ? "-" : auth.accessKeyId();
        System.out.println(Instant.now() + " " + action + " key=" + key + " sig=" + signature + " status=" + status);
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T unwrap(Call<T> call) {
        try {
            return call.run();
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.code + ": " + e.getMessage(), e);
        }
    }
}
