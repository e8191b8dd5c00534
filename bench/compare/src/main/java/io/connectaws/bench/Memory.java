package io.connectaws.bench;

import java.time.Duration;
import java.util.List;

/**
 * Resident memory of the worker JVM under the same 4 GiB container limit: idle with no connector, then one
 * PostgreSQL connector (snapshot of its table, then idle streaming), then three; the peak (VmHWM) after each step's
 * snapshot, the idle figure after a settle time. The health probe is measured on the same worker at the end.
 */
final class Memory {

    private Memory() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        Measurement idle0 = results.measure("memory.idle0", "Idle RSS, no connector", "MiB", false, null);
        Measurement idle1 = results.measure("memory.idle1", "Idle RSS, 1 connector", "MiB", false, 0.4);
        Measurement idle3 = results.measure("memory.idle3", "Idle RSS, 3 connectors", "MiB", false, 0.4);
        Measurement peak1 = results.measure("memory.peak1", "Peak RSS, 1 connector", "MiB", false, null);
        Measurement peak3 = results.measure("memory.peak3", "Peak RSS, 3 connectors", "MiB", false, null);
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase("memdb");
        for (int t = 1; t <= 3; t++) {
            workloads.postgresTable("memdb", "public.mem" + t, settings.memoryRows);
        }
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (Flavour flavour : settings.flavours) {
                String group = "bench-mem-" + flavour.label;
                try (Worker worker = Worker.start(lab, flavour, group, flavour.env(group), settings.workerMemory)) {
                    worker.awaitReady(Duration.ofMinutes(3));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    idle0.add(flavour.label, mib(worker.memory()[0]));
                    deploy(worker, topics, flavour, List.of(1), settings.memoryRows);
                    peak1.add(flavour.label, mib(worker.memory()[1]));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    idle1.add(flavour.label, mib(worker.memory()[0]));
                    deploy(worker, topics, flavour, List.of(2, 3), settings.memoryRows);
                    peak3.add(flavour.label, mib(worker.memory()[1]));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    idle3.add(flavour.label, mib(worker.memory()[0]));
                    System.out.printf("bench: memory %s: idle %.0f / %.0f / %.0f MiB (0/1/3 connectors), peak %.0f / %.0f MiB%n",
                            flavour.label, idle0.samples.get(flavour.label).get(0), idle1.samples.get(flavour.label).get(0),
                            idle3.samples.get(flavour.label).get(0), peak1.samples.get(flavour.label).get(0),
                            peak3.samples.get(flavour.label).get(0));
                    if (settings.runs("probe")) {
                        Probe.run(worker, settings, results);
                    }
                }
                workloads.dropInactiveSlots();
            }
        }
    }

    /** Creates connectors for tables mem{n} at once and waits until each has written every snapshot row. */
    private static void deploy(Worker worker, Topics topics, Flavour flavour, List<Integer> tables, int rows) {
        for (int t : tables) {
            String name = "mem" + flavour.label + t;
            topics.create(List.of(name + ".public.mem" + t));
            worker.rest().putConnector(name, Workloads.postgres("memdb", name, name, "public.mem" + t, "initial"));
        }
        for (int t : tables) {
            String name = "mem" + flavour.label + t;
            Waits.until(name + " snapshot", Duration.ofMinutes(10), 200,
                    () -> topics.end(name + ".public.mem" + t) >= rows);
        }
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
