package io.connectaws.it.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECS task metadata endpoint version 4 as Fargate answers it for a task in awsvpc mode:
 * {@code GET /v4/{containerId}} (this container) and {@code GET /v4/{containerId}/task} (the task). A container's
 * IPv4 address is the address the request came from, so each container on a Docker network sees its own address,
 * as each Fargate task sees its ENI's. The task id is the container id's leading 32 hex digits when it has Fargate's
 * form ({@code <task id>-<number>}), else the whole container id. Everything else comes from the environment:
 * <ul>
 *   <li>{@code LOCAL_AWS_AVAILABILITY_ZONE} (default: region + "a")</li>
 *   <li>{@code LOCAL_AWS_ECS_CLUSTER} (cluster name, default {@code connect-aws}), {@code LOCAL_AWS_ECS_FAMILY}
 *       (default {@code connect-aws-worker}), {@code LOCAL_AWS_ECS_REVISION} (default {@code 1}),
 *       {@code LOCAL_AWS_ECS_CONTAINER_NAME} (default {@code connect}), {@code LOCAL_AWS_ECS_IMAGE}</li>
 *   <li>{@code LOCAL_AWS_ECS_TASK_CPU} (vCPU, default 1), {@code LOCAL_AWS_ECS_TASK_MEMORY_MIB} (default 2048),
 *       {@code LOCAL_AWS_ECS_CONTAINER_MEMORY_MIB} (default none: Fargate then shows only the container's CPU)</li>
 * </ul>
 */
final class EcsMetadataApi {
    static final String PATH_PREFIX = "/v4/";
    private static final Pattern PATH = Pattern.compile("/v4/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(/task)?/?");
    private static final Pattern FARGATE_CONTAINER_ID = Pattern.compile("([0-9a-f]{32})-\\d+");

    private final String region;
    private final String availabilityZone;
    private final String clusterName;
    private final String family;
    private final String revision;
    private final String containerName;
    private final String image;
    private final BigDecimal taskCpu;
    private final long taskMemoryMiB;
    private final Long containerMemoryMiB;
    private final Instant pulled;
    private final Instant started;

    EcsMetadataApi(String region, Map<String, String> env, Clock clock) {
        this.region = region;
        this.availabilityZone = value(env, "LOCAL_AWS_AVAILABILITY_ZONE", region + "a");
        this.clusterName = value(env, "LOCAL_AWS_ECS_CLUSTER", "connect-aws");
        this.family = value(env, "LOCAL_AWS_ECS_FAMILY", "connect-aws-worker");
        this.revision = value(env, "LOCAL_AWS_ECS_REVISION", "1");
        this.containerName = value(env, "LOCAL_AWS_ECS_CONTAINER_NAME", "connect");
        this.image = value(env, "LOCAL_AWS_ECS_IMAGE", LocalAws.ACCOUNT_ID + ".dkr.ecr." + region
            + ".amazonaws.com/connect-aws:latest");
        this.taskCpu = new BigDecimal(value(env, "LOCAL_AWS_ECS_TASK_CPU", "1")).stripTrailingZeros();
        this.taskMemoryMiB = Long.parseLong(value(env, "LOCAL_AWS_ECS_TASK_MEMORY_MIB", "2048"));
        String containerMemory = value(env, "LOCAL_AWS_ECS_CONTAINER_MEMORY_MIB", null);
        this.containerMemoryMiB = containerMemory == null ? null : Long.valueOf(containerMemory);
        this.started = clock.instant();
        this.pulled = started.minusSeconds(2);
    }

    /** The Availability Zone every task is in. */
    String availabilityZone() {
        return availabilityZone;
    }

    /** Answers {@code GET /v4/{containerId}[/task]} for the caller at {@code remote}; 404 for other paths. */
    ApiResponse handle(String method, String path, InetSocketAddress remote) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return ApiResponse.text(404, "404 page not found");
        }
        if (!"GET".equals(method)) {
            return ApiResponse.text(405, "Method Not Allowed");
        }
        String containerId = m.group(1);
        ObjectNode container = container(containerId, remote.getAddress());
        return ApiResponse.json(200, m.group(2) == null ? container : task(containerId, container));
    }

    private String taskId(String containerId) {
        Matcher fargate = FARGATE_CONTAINER_ID.matcher(containerId);
        return fargate.matches() ? fargate.group(1) : containerId;
    }

    private String clusterArn() {
        return "arn:aws:ecs:" + region + ":" + LocalAws.ACCOUNT_ID + ":cluster/" + clusterName;
    }

    private String taskArn(String containerId) {
        return "arn:aws:ecs:" + region + ":" + LocalAws.ACCOUNT_ID + ":task/" + clusterName + "/" + taskId(containerId);
    }

    private ObjectNode container(String containerId, InetAddress caller) {
        ObjectNode c = LocalAws.JSON.createObjectNode();
        c.put("DockerId", containerId);
        c.put("Name", containerName);
        c.put("DockerName", containerName);
        c.put("Image", image);
        c.put("ImageID", "sha256:" + sha256(image));
        ObjectNode labels = c.putObject("Labels");
        labels.put("com.amazonaws.ecs.cluster", clusterArn());
        labels.put("com.amazonaws.ecs.container-name", containerName);
        labels.put("com.amazonaws.ecs.task-arn", taskArn(containerId));
        labels.put("com.amazonaws.ecs.task-definition-family", family);
        labels.put("com.amazonaws.ecs.task-definition-version", revision);
        c.put("DesiredStatus", "RUNNING");
        c.put("KnownStatus", "RUNNING");
        ObjectNode limits = c.putObject("Limits");
        limits.put("CPU", 0);
        if (containerMemoryMiB != null) {
            limits.put("Memory", containerMemoryMiB);
        }
        c.put("CreatedAt", started.toString());
        c.put("StartedAt", started.toString());
        c.put("Type", "NORMAL");
        c.put("LogDriver", "awslogs");
        ObjectNode log = c.putObject("LogOptions");
        log.put("awslogs-create-group", "true");
        log.put("awslogs-group", "/ecs/" + family);
        log.put("awslogs-region", region);
        log.put("awslogs-stream", "ecs/" + containerName + "/" + taskId(containerId));
        c.put("ContainerARN", "arn:aws:ecs:" + region + ":" + LocalAws.ACCOUNT_ID + ":container/" + clusterName + "/"
            + taskId(containerId) + "/" + UUID.nameUUIDFromBytes(containerId.getBytes(StandardCharsets.UTF_8)));
        ArrayNode networks = c.putArray("Networks");
        ObjectNode network = networks.addObject();
        network.put("NetworkMode", "awsvpc");
        String address = caller.getHostAddress();
        if (caller instanceof Inet4Address) {
            byte[] b = caller.getAddress();
            String subnet = (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".";
            network.putArray("IPv4Addresses").add(address);
            network.put("AttachmentIndex", 0);
            network.put("MACAddress", String.format("0a:00:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3]));
            network.put("IPv4SubnetCIDRBlock", subnet + "0/24");
            network.putArray("DomainNameServers").add(subnet + "2");
            network.putArray("DomainNameSearchList").add(dnsDomain());
            network.put("PrivateDNSName", "ip-" + address.replace('.', '-') + "." + dnsDomain());
            network.put("SubnetGatewayIpv4Address", subnet + "1/24");
        } else {
            // an IPv6-only caller: Fargate lists such addresses under IPv6Addresses
            network.putArray("IPv6Addresses").add(address);
            network.put("AttachmentIndex", 0);
        }
        c.put("Snapshotter", "overlayfs");
        return c;
    }

    private ObjectNode task(String containerId, ObjectNode container) {
        ObjectNode t = LocalAws.JSON.createObjectNode();
        t.put("Cluster", clusterArn());
        t.put("TaskARN", taskArn(containerId));
        t.put("Family", family);
        t.put("Revision", revision);
        t.put("DesiredStatus", "RUNNING");
        t.put("KnownStatus", "RUNNING");
        ObjectNode limits = t.putObject("Limits");
        limits.put("CPU", taskCpu);
        limits.put("Memory", taskMemoryMiB);
        t.put("PullStartedAt", pulled.toString());
        t.put("PullStoppedAt", started.toString());
        t.put("AvailabilityZone", availabilityZone);
        t.put("LaunchType", "FARGATE");
        t.putArray("Containers").add(container);
        ObjectNode clock = t.putObject("ClockDrift");
        clock.put("ClockErrorBound", 0.5);
        clock.put("ReferenceTimestamp", started.toString());
        clock.put("ClockSynchronizationStatus", "SYNCHRONIZED");
        ObjectNode storage = t.putObject("EphemeralStorageMetrics");
        storage.put("Utilized", 208);
        storage.put("Reserved", 20496);
        return t;
    }

    private String dnsDomain() {
        return "us-east-1".equals(region) ? "ec2.internal" : region + ".compute.internal";
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
