package io.connectaws.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.DockerClientFactory;

/**
 * One Connect worker container of either image, created and started through the Docker API with a memory limit,
 * reached at its address on the lab's network (no published ports). Its JVM is read from the host's /proc.
 */
final class Worker implements AutoCloseable {

    private static final DockerClient DOCKER = DockerClientFactory.instance().client();

    final Flavour flavour;
    final String name;
    final String id;
    /** System.nanoTime() just before the container was started. */
    final long startedNanos;
    /** The container's PID 1 (the worker JVM) as the host sees it. */
    final long pid;
    private final String ip;

    private Worker(Flavour flavour, String name, String id, long startedNanos, long pid, String ip) {
        this.flavour = flavour;
        this.name = name;
        this.id = id;
        this.startedNanos = startedNanos;
        this.pid = pid;
        this.ip = ip;
    }

    /** Creates and starts a worker; returns at once (the JVM is still starting). */
    static Worker start(Lab lab, Flavour flavour, String name, Map<String, String> env, long memoryBytes) {
        return start(lab, flavour, name, env, memoryBytes, (Bind) null);
    }

    /** As above, with host directory {@code scratch} mounted writable at /scratch (JFR recordings: docker cp cannot read a tmpfs). */
    static Worker start(Lab lab, Flavour flavour, String name, Map<String, String> env, long memoryBytes, Path scratch) {
        return start(lab, flavour, name, env, memoryBytes,
                scratch == null ? null : new Bind(scratch.toString(), new Volume("/scratch")));
    }

    /** A bind of host directory {@code host} at {@code containerPath}, read-only (e.g. declaration files). */
    static Bind readOnly(Path host, String containerPath) {
        return new Bind(host.toString(), new Volume(containerPath), AccessMode.ro);
    }

    /** As above, with {@code bind} (a host directory) mounted, or nothing when it is null. */
    static Worker start(Lab lab, Flavour flavour, String name, Map<String, String> env, long memoryBytes, Bind bind) {
        return start(lab, flavour, flavour.image, name, env, memoryBytes, bind);
    }

    /**
     * As above, from {@code image} (an image id pinned at a scenario's start, so a rebuild of the tag by someone else
     * during the scenario cannot mix two builds in one comparison) instead of the flavour's tag.
     */
    static Worker start(Lab lab, Flavour flavour, String image, String name, Map<String, String> env, long memoryBytes,
                        Bind bind) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(lab.network.getId())
                .withMemory(memoryBytes).withMemorySwap(memoryBytes)
                .withReadonlyRootfs(flavour.readOnlyRoot);
        if (flavour.readOnlyRoot) {
            host.withTmpFs(Map.of("/tmp", "rw,size=256m"));
        }
        if (bind != null) {
            host.withBinds(bind);
        }
        String id = DOCKER.createContainerCmd(image).withName(name).withHostName(name)
                .withLabels(Map.of(Lab.LABEL, "worker"))
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(host).exec().getId();
        long started = System.nanoTime();
        DOCKER.startContainerCmd(id).exec();
        var inspected = DOCKER.inspectContainerCmd(id).exec();
        String ip = inspected.getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        return new Worker(flavour, name, id, started, inspected.getState().getPidLong(), ip);
    }

    /** Whether Connect's {@code worker_id} names this worker (advertised by address or by host name). */
    boolean isWorkerId(String workerId) {
        return workerId.equals(ip + ":8083") || workerId.equals(name + ":8083");
    }

    Rest rest() {
        return new Rest("http://" + ip + ":8083", flavour.connectorExtras());
    }

    /** Polls Kafka's GET /health until it answers 200 (the herder joined its group and read its configs). */
    long awaitReady(java.time.Duration timeout) {
        Rest rest = rest();
        try {
            return Waits.until(name + " REST ready", timeout, 25, () -> rest.status("/health") == 200);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; last log lines:\n" + logTail(40), e);
        }
    }

    /** The JVM's resident set now and its peak so far, in bytes (VmRSS, VmHWM of the container's PID 1). */
    long[] memory() {
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return new long[] {rss, hwm};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status of " + name + ": " + e, e);
        }
    }

    /** CPU time of the JVM so far (user + system), in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat of " + name + ": " + e, e);
        }
    }

    /** Runs {@code command} in the container; returns {exit code, wall nanoseconds}. */
    long[] exec(String... command) {
        String[] argv = new String[command.length + 3];
        argv[0] = "docker";
        argv[1] = "exec";
        argv[2] = id;
        System.arraycopy(command, 0, argv, 3, command.length);
        return Shell.timed(argv);
    }

    String logTail(int lines) {
        return Shell.run("docker", "logs", "--tail", Integer.toString(lines), id);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }

    /** Closes {@code worker} if there is one, ignoring that it may be gone already. */
    static void closeQuietly(Worker worker) {
        if (worker != null) {
            try {
                worker.close();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        try {
            DOCKER.stopContainerCmd(id).withTimeout(30).exec();
        } catch (RuntimeException alreadyStopped) {
            // removed below either way
        }
        DOCKER.removeContainerCmd(id).withForce(true).exec();
    }
}
