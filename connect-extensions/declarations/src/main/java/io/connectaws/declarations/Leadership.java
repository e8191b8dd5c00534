package io.connectaws.declarations;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether this worker is the group leader, from Connect's own {@code leader-name} metric (the leader's advertised
 * REST URL) compared with this worker's id ({@code host:port}). Only the leader applies declarations, so N workers
 * started at once create each connector once and never fight; the leader is also where Connect executes every write.
 */
final class Leadership {
    static final String REBALANCE_MBEAN = "kafka.connect:type=connect-worker-rebalance-metrics";

    /** What is known of the leader. */
    enum Role {
        LEADER, FOLLOWER,
        /** the worker has not joined the group yet */
        UNKNOWN,
        /** Connect publishes no leader metric (another runtime): every worker applies, each call is idempotent */
        NO_METRIC
    }

    private final String workerId;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private volatile String leaderUrl = "";

    Leadership(String workerId) {
        this.workerId = workerId.toLowerCase(Locale.ROOT);
    }

    Role role() {
        Object value;
        try {
            value = server.getAttribute(new ObjectName(REBALANCE_MBEAN), "leader-name");
        } catch (InstanceNotFoundException e) {
            return Role.NO_METRIC;
        } catch (Exception e) {
            return Role.UNKNOWN;
        }
        String url = value == null ? "" : value.toString().trim();
        leaderUrl = url;
        Optional<String> leader = hostPort(url);
        if (leader.isEmpty()) {
            return Role.UNKNOWN;
        }
        return leader.get().equals(workerId) ? Role.LEADER : Role.FOLLOWER;
    }

    /** The leader's URL as last read, empty when unknown. */
    String leaderUrl() {
        return leaderUrl;
    }

    static Optional<String> hostPort(String url) {
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) {
                return Optional.empty();
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return Optional.of(u.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
