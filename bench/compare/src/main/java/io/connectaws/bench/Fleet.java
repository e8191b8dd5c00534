package io.connectaws.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tenant fleet from nothing (issue 16): FLEET_TENANTS (200) PostgreSQL tenants, from the worker container's start to
 * every tenant connector and task RUNNING with its snapshot (10 rows) in Kafka. Ours is deployed as the image is
 * meant to be: a template and a CSV tenant list in a host directory mounted read-only at /opt/connect/connectors,
 * from which the group leader creates the connectors itself. Stock is deployed as its users do it today: a deploy
 * script polls until the REST API answers (GET /health 200, polled every 25 ms: the best case of such a script), then
 * creates the connectors with a REST loop, 4 requests at a time. Both run the same connector configs, names and
 * topics ({@link Tenants#config}; ours adds only the reconciler's marker key), each run on a new Connect group with new
 * topics (made ahead, as every scenario does) over the same tenant databases; FLEET_RUNS runs interleaved (ours, stock,
 * stock, ours, ...). Also measured: RSS per connector = (idle RSS of the fleet's worker SETTLE_SECONDS after the fleet
 * is up - idle RSS of a worker of the same image with no connector, SETTLE_SECONDS after REST ready, measured once
 * per image before the runs) / tenants; and that idle RSS with the fleet itself. The per-connector figure leans on the
 * baseline, which the stock JVM makes noisy (G1 keeps whatever heap it grew at start: idle with no connector, 1,059 MiB
 * in the 2026-11-21 run's memory scenario, about 536 MiB in its density scenario); the total does not.
 */
final class Fleet {

    static final String DECLARATIONS_DIR = "/opt/connect/connectors";
    private static final String PLACEHOLDER = "{{tenant}}";

    private Fleet() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        int n = settings.fleetTenants;
        Measurement deploy = results.measure("fleet.deploy", n + " tenants: container start to all RUNNING + snapshots",
                "s", false, 0.5);
        Measurement perConnector = results.measure("fleet.rss", "RSS per tenant connector (fleet)", "MiB", false, null);
        Measurement total = results.measure("fleet.total", "Idle RSS with " + n + " tenant connectors (fleet)", "MiB", false, null);
        Tenants.createDatabases(lab, n);
        Map<String, Double> idle0 = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        results.details.put("fleet.idleWithoutConnectorsMiB", idle0);
        results.details.put("fleet.runs", runs);
        for (Flavour flavour : settings.flavours) {
            idle0.put(flavour.label, idleWithoutConnectors(lab, settings, flavour));
        }
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (int run = 0; run < settings.fleetRuns; run++) {
                for (Flavour flavour : settings.order(run)) {
                    Map<String, Object> sample = once(lab, settings, topics, flavour, run);
                    runs.add(sample);
                    if (sample.containsKey("error")) {
                        results.failures.add("fleet " + flavour.label + " run " + (run + 1) + ": " + sample.get("error"));
                        continue;
                    }
                    double seconds = (Double) sample.get("deploySeconds");
                    double each = ((Double) sample.get("idleMiB") - idle0.get(flavour.label)) / n;
                    deploy.add(flavour.label, seconds);
                    perConnector.add(flavour.label, each);
                    total.add(flavour.label, (Double) sample.get("idleMiB"));
                    long warnings = (Long) sample.getOrDefault("declarationWarnings", 0L);
                    System.out.printf("bench: fleet %s run %d: %d tenants RUNNING with their snapshots %.1f s after the"
                                    + " container's start (REST ready at %.1f s), idle RSS %.0f MiB (%.1f MiB per connector)%s%n",
                            flavour.label, run + 1, n, seconds, (Double) sample.get("restReadySeconds"),
                            (Double) sample.get("idleMiB"), each,
                            warnings > 0 ? "; " + warnings + " declaration warnings (results.json: details fleet.runs)" : "");
                }
            }
        }
    }

    /** One deploy of the fleet on a new group; its figures (seconds from the container's start), or "error". */
    private static Map<String, Object> once(Lab lab, Settings settings, Topics topics, Flavour flavour, int run)
            throws Exception {
        int n = settings.fleetTenants;
        String suffix = "f" + run + flavour.label;
        String group = "bench-fleet" + run + "-" + flavour.label;
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("run", run + 1);
        sample.put("flavour", flavour.label);
        topics.create(Tenants.topics(n, suffix));
        Path dir = flavour == Flavour.OURS ? declarations(n, suffix, flavour) : null;
        Worker worker = null;
        try {
            worker = Worker.start(lab, flavour, group, flavour.env(group), settings.workerMemory,
                    dir == null ? null : Worker.readOnly(dir, DECLARATIONS_DIR));
            long ready = worker.awaitReady(Duration.ofMinutes(3));
            sample.put("restReadySeconds", Waits.seconds(worker.startedNanos, ready));
            if (flavour != Flavour.OURS) {
                Tenants.deployByRest(worker, n, suffix);
                sample.put("restLoopDoneSeconds", Waits.seconds(worker.startedNanos, System.nanoTime()));
            }
            long done = Tenants.awaitDeployed(worker, topics, n, suffix, Duration.ofSeconds(Math.max(300, 9L * n)));
            sample.put("deploySeconds", Waits.seconds(worker.startedNanos, done));
            if (flavour == Flavour.OURS) {
                // a round whose writes were refused (e.g. 404 while Connect's REST resources are not up yet) is tried
                // again only after the interval: worth seeing beside the figure
                List<String> lines = logLines(worker, Fleet::declarationLine);
                sample.put("declarationWarnings", lines.stream().filter(l -> l.contains(" WARN ")).count());
                sample.put("declarationsLog", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            }
            Waits.sleep(settings.settleSeconds * 1000L);
            sample.put("idleMiB", Memory.mib(worker.memory()[0]));
        } catch (Exception e) {
            sample.put("error", String.valueOf(e.getMessage()));
            System.err.println("bench: fleet " + flavour.label + " run " + (run + 1) + " failed: " + e.getMessage());
            if (worker != null) {
                if (flavour == Flavour.OURS) {
                    System.err.println("bench: GET /declarations: " + declarationsReport(worker));
                    List<String> lines = logLines(worker, Fleet::declarationLine);
                    System.err.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
                System.err.println(worker.logTail(30));
            }
        } finally {
            Worker.closeQuietly(worker);
            delete(dir);
        }
        Waits.sleep(2000);
        new Workloads(lab).dropInactiveSlots();
        return sample;
    }

    /** Idle RSS (MiB) of a worker of {@code flavour} with no connector, SETTLE_SECONDS after REST ready. */
    private static double idleWithoutConnectors(Lab lab, Settings settings, Flavour flavour) {
        String group = "bench-fleet-idle-" + flavour.label;
        try (Worker worker = Worker.start(lab, flavour, group, flavour.env(group), settings.workerMemory)) {
            worker.awaitReady(Duration.ofMinutes(3));
            Waits.sleep(settings.settleSeconds * 1000L);
            double idle = Memory.mib(worker.memory()[0]);
            System.out.printf("bench: fleet %s: idle RSS with no connector %.0f MiB%n", flavour.label, idle);
            return idle;
        }
    }

    /**
     * A new host directory (0755) holding {@code tenants.yaml}, the template of {@link Tenants#config} with
     * {@code {{tenant}}} for the tenant id (plus the image's OURS_CONNECTOR extras, which the REST loop adds too), and
     * {@code tenants.csv}, the ids 001..n (files 0644: the image's user, uid 10001, only reads them).
     */
    static Path declarations(int n, String suffix, Flavour flavour) throws IOException {
        Path dir = Files.createTempDirectory("bench-fleet-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> config = new LinkedHashMap<>(Tenants.config(PLACEHOLDER, suffix));
        config.putAll(flavour.connectorExtras());
        StringBuilder yaml = new StringBuilder("template:\n  id: fleet\n  name: ")
                .append(quoted(Tenants.name(PLACEHOLDER, suffix))).append("\n  config:\n");
        for (Map.Entry<String, String> e : config.entrySet()) {
            yaml.append("    ").append(quoted(e.getKey())).append(": ").append(quoted(e.getValue())).append('\n');
        }
        yaml.append("tenants: tenants.csv\n");
        StringBuilder csv = new StringBuilder("tenant\n");
        for (int t = 1; t <= n; t++) {
            csv.append(Tenants.id(t)).append('\n');
        }
        write(dir.resolve("tenants.yaml"), yaml.toString());
        write(dir.resolve("tenants.csv"), csv.toString());
        return dir;
    }

    /** A YAML double-quoted scalar (a JSON string is one). */
    private static String quoted(String value) throws IOException {
        return Rest.JSON.writeValueAsString(value);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: fleet: could not remove " + dir + ": " + e);
        }
    }

    /** The declarations' round summaries and warnings (not the line per connector created). */
    private static boolean declarationLine(String line) {
        return line.contains("Declarations: ") || line.contains(" WARN ") && line.contains("Declar");
    }

    /** The worker's log lines {@code wanted} picks. */
    private static List<String> logLines(Worker worker, java.util.function.Predicate<String> wanted) {
        try {
            return Shell.run("docker", "logs", worker.id).lines().filter(wanted).toList();
        } catch (RuntimeException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    /** GET /declarations in short: role, note, problems and the outcome of each connector, counted. */
    private static String declarationsReport(Worker worker) {
        JsonNode report = worker.rest().json("/declarations");
        if (report == null) {
            return "(no answer)";
        }
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (JsonNode c : report.path("connectors")) {
            outcomes.merge(c.path("outcome").asText("none"), 1, Integer::sum);
        }
        List<String> problems = new ArrayList<>();
        report.path("problems").forEach(p -> problems.add(p.toString()));
        return "role " + report.path("role").asText() + ", note '" + report.path("note").asText() + "', connectors "
                + outcomes + ", problems " + problems.subList(0, Math.min(5, problems.size()));
    }
}
