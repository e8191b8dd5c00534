package io.connectaws.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The health check each image's users run, through `docker exec` in a running worker (as ECS runs a container
 * healthCheck): ours, the image's own probe JVM against GET /health/live; stock, curl against GET / (the image has no
 * probe of its own). Wall time of the exec; peak RSS of the probe's process, sampled from the container's cgroup
 * every 2 ms while it runs (a lower bound for a process that lives only milliseconds).
 */
final class Probe {

    private static final Map<Flavour, String[]> COMMAND = Map.of(
            Flavour.OURS, new String[] {"/opt/java/bin/java", "@/opt/connect/config/probe.args", "live"},
            Flavour.STOCK, new String[] {"curl", "-fsS", "-o", "/dev/null", "http://localhost:8083/"});

    private Probe() {
    }

    static void run(Worker worker, Settings settings, Results results) throws Exception {
        Measurement wall = results.get("probe.wall") != null ? results.get("probe.wall")
                : results.measure("probe.wall", "Health probe wall time (docker exec)", "ms", false, null);
        Measurement rss = results.get("probe.rss") != null ? results.get("probe.rss")
                : results.measure("probe.rss", "Health probe peak RSS", "MiB", false, null);
        Path procs = cgroupProcs(worker);
        for (int i = 0; i < settings.probeRuns; i++) {
            Set<String> before = Set.copyOf(Files.readAllLines(procs));
            Map<String, Long> peaks = new HashMap<>();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sample(procs, before, peaks);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "probe-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long[] result = worker.exec(COMMAND.get(worker.flavour));
            sampler.interrupt();
            sampler.join();
            if (result[0] != 0) {
                throw new IllegalStateException(worker.flavour.label + " health probe exited " + result[0]);
            }
            wall.add(worker.flavour.label, result[1] / 1e6);
            peaks.values().stream().mapToLong(Long::longValue).max()
                    .ifPresent(peak -> rss.add(worker.flavour.label, Memory.mib(peak)));
        }
    }

    private static void sample(Path procs, Set<String> before, Map<String, Long> peaks) {
        try {
            List<String> pids = Files.readAllLines(procs);
            for (String pid : pids) {
                if (before.contains(pid)) {
                    continue;
                }
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        peaks.merge(pid, kib * 1024, Math::max);
                    }
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between listing and reading
        }
    }

    /** cgroup.procs of the worker's container: cgroup v2's unified path, or v1's pids or memory controller. */
    private static Path cgroupProcs(Worker worker) throws IOException {
        String pid = Long.toString(worker.pid);
        for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
            String[] parts = line.split(":", 3);
            for (Path candidate : List.of(Path.of("/sys/fs/cgroup/" + parts[1], parts[2], "cgroup.procs"),
                    Path.of("/sys/fs/cgroup", parts[2], "cgroup.procs"))) {
                if ((parts[1].isEmpty() || parts[1].equals("pids") || parts[1].equals("memory")) && Files.isReadable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no readable cgroup.procs for the worker's PID " + pid);
    }
}
