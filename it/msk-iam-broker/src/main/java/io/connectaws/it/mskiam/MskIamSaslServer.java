package io.connectaws.it.mskiam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of SASL/{@code AWS_MSK_IAM} for test brokers. The exchange is the one aws-msk-iam-auth's IAMSaslClient
 * has with MSK: one client message (JSON of a SigV4 presigned {@code kafka-cluster:Connect} request for this broker's
 * host), one server answer {@code {"version":"2020_10_22","request-id":"<uuid>"}}, then done.
 *
 * <p>The broker does not check the signature itself: it POSTs {@code {"payload": "<client JSON>", "serverName":
 * "<host>"}} to the verifier (it/aws-local, which issued the credentials and knows their secret keys). 200
 * {@code {"principal": ...}} makes that ARN the authorization id (Kafka principal {@code User:<arn>}); 403
 * {@code {"reason": ...}} and any other failure throw {@link SaslAuthenticationException}, whose message Kafka sends
 * to the client ("Access denied: ... (test MSK IAM)"). Each outcome is logged at INFO.
 *
 * <p>The verification call blocks the broker's network thread for its duration (local HTTP, milliseconds); fine for
 * a test broker.
 */
public final class MskIamSaslServer implements SaslServer {
    public static final String MECHANISM = "AWS_MSK_IAM";
    /** The only response version aws-msk-iam-auth accepts (AuthenticationResponse.VERSION_1). */
    static final String VERSION = "2020_10_22";
    private static final Logger LOG = LoggerFactory.getLogger(MskIamSaslServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final MskIamServerOptions options;
    private final String serverName;
    private boolean complete;
    private String authorizationId;

    MskIamSaslServer(MskIamServerOptions options, String serverName) {
        this.options = options;
        this.serverName = serverName;
    }

    @Override
    public String getMechanismName() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        if (complete) {
            throw new IllegalSaslStateException("SASL/" + MECHANISM + " authentication is already complete");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(response);
        } catch (IOException e) {
            payload = null;
        }
        if (payload == null || !payload.isObject()) {
            LOG.info("SASL/{} rejected on host {}: the client's message is not a JSON object", MECHANISM, serverName);
            throw new SaslAuthenticationException("Access denied: invalid " + MECHANISM
                + " authentication payload (test MSK IAM)");
        }
        String accessKeyId = payload.path("x-amz-credential").asText("-").split("/", 2)[0];

        ObjectNode request = JSON.createObjectNode()
            .put("payload", new String(response, StandardCharsets.UTF_8))
            .put("serverName", serverName);
        int status;
        JsonNode answer;
        try {
            HttpResponse<String> http = HTTP.send(HttpRequest.newBuilder(options.verifierUrl())
                    .timeout(options.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
            status = http.statusCode();
            answer = parseOrEmpty(http.body());
        } catch (IOException e) {
            LOG.warn("SASL/{}: cannot reach the verifier at {}: {}", MECHANISM, options.verifierUrl(), e.toString());
            throw new SaslAuthenticationException("Authentication failed: the IAM verifier is unreachable ("
                + e.getClass().getSimpleName() + ") (test MSK IAM)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SaslAuthenticationException("Authentication interrupted (test MSK IAM)");
        }

        String principal = answer.path("principal").asText(null);
        if (status == 200 && principal != null && !principal.isEmpty()) {
            authorizationId = principal;
            complete = true;
            LOG.info("SASL/{} accepted principal {} (access key {}, host {})", MECHANISM, principal, accessKeyId,
                serverName);
            ObjectNode ok = JSON.createObjectNode().put("version", VERSION).put("request-id",
                UUID.randomUUID().toString());
            return ok.toString().getBytes(StandardCharsets.UTF_8);
        }
        String reason = answer.path("reason").asText("HTTP " + status + " from the verifier");
        LOG.info("SASL/{} rejected access key {} on host {}: {}", MECHANISM, accessKeyId, serverName, reason);
        if (status == 403) {
            throw new SaslAuthenticationException("Access denied: " + reason + " (test MSK IAM)");
        }
        throw new SaslAuthenticationException("Authentication failed: verifier answered HTTP " + status + ": " + reason
            + " (test MSK IAM)");
    }

    private static JsonNode parseOrEmpty(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    /** The principal's ARN, e.g. {@code arn:aws:sts::123456789012:assumed-role/role/session}. */
    @Override
    public String getAuthorizationID() {
        requireComplete();
        return authorizationId;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        requireComplete();
        return Arrays.copyOfRange(incoming, offset, offset + len);
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        requireComplete();
        return Arrays.copyOfRange(outgoing, offset, offset + len);
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        requireComplete();
        return null;
    }

    @Override
    public void dispose() {
    }

    private void requireComplete() {
        if (!complete) {
            throw new IllegalStateException("SASL/" + MECHANISM + " authentication is not complete");
        }
    }
}
