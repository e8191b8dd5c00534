package io.connectaws.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark harness's entry point: this project's image beside the stock recipe and the machine's physical
 * limits, in one run on one machine. Usage: bench/compare/run.sh (which builds the images first).
 * Argument: the output directory. Scenarios and sizes come from environment variables (see Settings).
 */
public final class Compare {

    private Compare() {
    }

    interface Scenario {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Compare <output directory>");
            System.exit(2);
        }
        Settings settings = new Settings(Path.of(args[0]));
        Results results = new Results(settings);
        machine(results);
        System.out.println("bench: writing to " + settings.out + "; settings " + settings.describe());
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        try (Lab lab = new Lab()) {
            scenarios.put("size", () -> ImageSizes.run(settings, results));
            scenarios.put("cold", () -> ColdStart.run(lab, settings, results));
            scenarios.put("memory", () -> Memory.run(lab, settings, results));
            scenarios.put("snapshot", () -> Throughput.snapshot(lab, settings, results));
            scenarios.put("stream", () -> Throughput.postgresStreaming(lab, settings, results));
            scenarios.put("mariadb", () -> Throughput.mariadbStreaming(lab, settings, results));
            scenarios.put("limits", () -> Limits.run(lab, settings, results));
            scenarios.put("density", () -> Density.run(lab, settings, results));
            scenarios.put("fleet", () -> Fleet.run(lab, settings, results));
            scenarios.put("exactly-once", () -> ExactlyOnceCost.run(lab, settings, results));
            scenarios.put("avro", () -> AvroCost.run(lab, settings, results));
            for (var scenario : scenarios.entrySet()) {
                if (!settings.runs(scenario.getKey())) {
                    continue;
                }
                long start = System.nanoTime();
                System.out.println("bench: --- " + scenario.getKey());
                try {
                    scenario.getValue().run();
                } catch (Exception | Error e) {
                    results.failures.add(scenario.getKey() + ": " + e);
                    System.err.println("bench: scenario " + scenario.getKey() + " failed: " + e);
                    e.printStackTrace();
                }
                results.details.put("scenarioSeconds." + scenario.getKey(), Math.round(Waits.seconds(start, System.nanoTime())));
                results.write();
            }
        }
        results.write();
        System.out.println();
        System.out.println(results.summary());
        System.out.println("bench: results in " + settings.out.toAbsolutePath());
        if (!results.failures.isEmpty()) {
            System.err.println("bench: failed scenarios: " + results.failures);
            System.exit(1);
        }
    }

    private static void machine(Results results) throws Exception {
        results.machine.put("cores", Runtime.getRuntime().availableProcessors());
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                results.machine.put("memoryBytes", Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                results.machine.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                break;
            }
        }
        results.machine.put("kernel", Shell.run("uname", "-r").trim());
        results.machine.put("docker", Shell.run("docker", "version", "--format", "{{.Server.Version}}").trim());
        results.machine.put("harnessJava", System.getProperty("java.version"));
        String labels = Shell.run("docker", "image", "inspect", "-f", "{{json .Config.Labels}}", Flavour.OURS.image).trim();
        results.versions.put("oursLabels", Rest.JSON.readTree(labels));
        results.versions.put("kafka", "4.3.1");
    }
}
