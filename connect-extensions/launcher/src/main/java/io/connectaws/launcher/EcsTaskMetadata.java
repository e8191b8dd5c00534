package io.connectaws.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the ECS task metadata endpoint version 4 says about this container and its task (Fargate, or EC2 with agent
 * 1.39.0+). Reads {@code ${ECS_CONTAINER_METADATA_URI_V4}} (this container) and {@code ${...}/task} (the task).
 */
public final class EcsTaskMetadata {

    /** The variable ECS injects into every container of a task that has the v4 endpoint. */
    public static final String METADATA_URI_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";

    private static final String REMEDY = "set ADVERTISED_HOST_NAME to start without the ECS task metadata";
    private static final int MAX_ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String privateIpv4;
    private final String networkMode;
    private final String availabilityZone;
    private final String taskArn;
    private final String cluster;
    private final String family;
    private final String revision;
    private final String launchType;
    private final Long taskMemoryLimitMiB;
    private final Long containerMemoryLimitMiB;

    private EcsTaskMetadata(JsonNode container, JsonNode task, String source) {
        JsonNode network = container.path("Networks").path(0);
        this.privateIpv4 = text(network.path("IPv4Addresses").path(0));
        this.networkMode = text(network.path("NetworkMode"));
        this.availabilityZone = text(task.path("AvailabilityZone"));
        this.taskArn = required(task, "TaskARN", source);
        this.cluster = required(task, "Cluster", source);
        this.family = required(task, "Family", source);
        this.revision = required(task, "Revision", source);
        this.launchType = text(task.path("LaunchType"));
        this.taskMemoryLimitMiB = mebibytes(task.path("Limits").path("Memory"));
        this.containerMemoryLimitMiB = mebibytes(container.path("Limits").path("Memory"));
        String[] arn = taskArn.split(":", 6);
        if (arn.length < 6 || !"arn".equals(arn[0]) || !arn[5].startsWith("task/") || taskArn.endsWith("/")) {
            throw new LauncherException("ECS task metadata from " + source + " (" + METADATA_URI_VARIABLE
                    + ") has a TaskARN that is not a task ARN: '" + taskArn + "'; " + REMEDY);
        }
    }

    /**
     * Reads the metadata when {@value #METADATA_URI_VARIABLE} is set, else empty. Retries a few times quickly (the
     * agent may not answer in the first instant), all within {@code timeout}.
     *
     * @throws LauncherException when the endpoint gives no usable answer in time, or the answer lacks TaskARN,
     *                           Cluster, Family or Revision
     */
    public static Optional<EcsTaskMetadata> fetch(Map<String, String> environment, Duration timeout) {
        String value = environment.get(METADATA_URI_VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String base = value.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI containerUri;
        URI taskUri;
        try {
            containerUri = URI.create(base);
            taskUri = URI.create(base + "/task");
            if (!"http".equalsIgnoreCase(containerUri.getScheme()) && !"https".equalsIgnoreCase(containerUri.getScheme())
                    || containerUri.getHost() == null) {
                throw new IllegalArgumentException("not an http URL");
            }
        } catch (IllegalArgumentException e) {
            throw new LauncherException(METADATA_URI_VARIABLE + " is not an http URL: '" + value + "'; " + REMEDY);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(positive(timeout))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JsonNode container = get(client, containerUri, deadline, timeout);
        JsonNode task = get(client, taskUri, deadline, timeout);
        return Optional.of(new EcsTaskMetadata(container, task, taskUri.toString()));
    }

    /** This container's first IPv4 address ({@code Networks[0].IPv4Addresses[0]}); absent in host mode or without Networks. */
    public Optional<String> privateIpv4() {
        return Optional.ofNullable(privateIpv4);
    }

    /**
     * {@code Networks[0].NetworkMode}: {@code awsvpc} (Fargate; the IPv4 is the task ENI's VPC address), {@code bridge}
     * (the IPv4 is a Docker bridge address other hosts cannot reach), {@code host}, or absent without Networks.
     */
    public Optional<String> networkMode() {
        return Optional.ofNullable(networkMode);
    }

    /** The task's Availability Zone name, e.g. {@code us-east-1a}; absent on older EC2 agents. */
    public Optional<String> availabilityZone() {
        return Optional.ofNullable(availabilityZone);
    }

    /** The task's full ARN. */
    public String taskArn() {
        return taskArn;
    }

    /** The task id: the last segment of the task ARN. */
    public String taskId() {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** The region in the task ARN, e.g. {@code eu-west-1}. */
    public String region() {
        return taskArn.split(":", 6)[3];
    }

    /** The cluster as the endpoint gives it: an ARN on Fargate, often the short name on EC2. */
    public String cluster() {
        return cluster;
    }

    /** The task definition family. */
    public String family() {
        return family;
    }

    /** The task definition revision, e.g. {@code "7"}. */
    public String revision() {
        return revision;
    }

    /** {@code FARGATE} or {@code EC2}; absent on EC2 agents before 1.45.0. */
    public Optional<String> launchType() {
        return Optional.ofNullable(launchType);
    }

    /** The task-level memory limit ({@code Limits.Memory} of the task document) in MiB, if the task has one. */
    public Optional<Long> taskMemoryLimitMiB() {
        return Optional.ofNullable(taskMemoryLimitMiB);
    }

    /** This container's memory limit ({@code Limits.Memory} of the container document) in MiB, if it has one. */
    public Optional<Long> containerMemoryLimitMiB() {
        return Optional.ofNullable(containerMemoryLimitMiB);
    }

    /** One line for the log, e.g. {@code ECS task 5261e7... of cluster c (family:3, FARGATE, us-east-1f, awsvpc 10.0.2.100, memory task 2048 MiB container -)}. */
    public String describe() {
        return "ECS task " + taskId() + " of cluster " + cluster.substring(cluster.lastIndexOf('/') + 1)
                + " (" + family + ":" + revision
                + ", " + (launchType == null ? "launch type ?" : launchType)
                + ", " + (availabilityZone == null ? "AZ ?" : availabilityZone)
                + ", " + (networkMode == null ? "network ?" : networkMode)
                + " " + (privateIpv4 == null ? "-" : privateIpv4)
                + ", memory task " + (taskMemoryLimitMiB == null ? "-" : taskMemoryLimitMiB + " MiB")
                + " container " + (containerMemoryLimitMiB == null ? "-" : containerMemoryLimitMiB + " MiB") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- HTTP ----

    /** GET with a few quick retries of connection failures and non-200 answers, all before {@code deadline}. */
    private static JsonNode get(HttpClient client, URI uri, long deadline, Duration timeout) {
        return BoundedHttp.call(client,
                remaining -> HttpRequest.newBuilder(uri).GET().header("Accept", "application/json").timeout(remaining).build(),
                deadline, MAX_ATTEMPTS, FIRST_BACKOFF_MILLIS,
                response -> {
                    String body = new String(response.body(), StandardCharsets.UTF_8);
                    if (response.statusCode() != 200) {
                        return BoundedHttp.Outcome.retry("HTTP " + response.statusCode()
                                + (body.isBlank() ? "" : " " + abbreviate(oneLine(body))));
                    }
                    try {
                        return BoundedHttp.Outcome.done(object(JSON.readTree(body), uri.toString()));
                    } catch (JsonProcessingException e) {
                        throw new LauncherException("the ECS task metadata endpoint " + uri + " (" + METADATA_URI_VARIABLE
                                + ") answered something that is not JSON: " + oneLine(e.getOriginalMessage()) + "; "
                                + REMEDY);
                    }
                },
                () -> new LauncherException("interrupted while reading the ECS task metadata from " + uri),
                (lastError, attempts) -> new LauncherException("the ECS task metadata endpoint " + uri + " ("
                        + METADATA_URI_VARIABLE + ") gave no usable answer within " + human(timeout) + " (" + attempts
                        + " attempt" + (attempts == 1 ? "" : "s") + ", last: " + lastError + "); " + REMEDY));
    }

    // ---- JSON ----

    private static JsonNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new LauncherException("ECS task metadata from " + what + " (" + METADATA_URI_VARIABLE
                    + ") is not a JSON object; " + REMEDY);
        }
        return node;
    }

    private static String required(JsonNode task, String field, String source) {
        String value = text(task.path(field));
        if (value == null) {
            throw new LauncherException("ECS task metadata from " + source + " (" + METADATA_URI_VARIABLE
                    + ") has no " + field + "; " + REMEDY);
        }
        return value;
    }

    /** A non-blank string (or a number, as some fields are), else null. */
    private static String text(JsonNode node) {
        if (node.isTextual() || node.isNumber()) {
            String s = node.asText().trim();
            return s.isEmpty() ? null : s;
        }
        return null;
    }

    /** A positive whole number of MiB, else null (the pause container reports Memory 0). */
    private static Long mebibytes(JsonNode node) {
        if (node.isNumber() && node.asLong() > 0) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                long value = Long.parseLong(node.asText().trim());
                return value > 0 ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    // ---- messages ----

    private static Duration positive(Duration timeout) {
        return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    }

    static String human(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
