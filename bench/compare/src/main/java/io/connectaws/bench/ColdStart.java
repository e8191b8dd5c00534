package io.connectaws.bench;

import java.time.Duration;
import java.util.List;

/**
 * Cold start, interleaved (ours, stock, stock, ours, ...) so drift on the machine hits both alike: from the
 * container's start to REST ready (Kafka's GET /health answers 200), and to a PostgreSQL connector, created the moment
 * REST is ready, RUNNING with its first event in Kafka. Each run is a new container and a new Connect group.
 */
final class ColdStart {

    private ColdStart() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        Measurement rest = results.measure("start.rest", "Start to REST ready", "s", false, null);
        Measurement running = results.measure("start.running", "Start to connector RUNNING + first event", "s", false, 0.2);
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase("colddb");
        workloads.postgresTable("colddb", "public.items", 10);
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (int run = 0; run < settings.coldRuns; run++) {
                for (Flavour flavour : settings.order(run)) {
                    String tag = "cold" + flavour.label + run;
                    String topic = tag + ".public.items";
                    topics.create(List.of(topic));
                    try (Worker worker = Worker.start(lab, flavour, "bench-" + tag, flavour.env("bench-" + tag),
                            settings.workerMemory)) {
                        long ready = worker.awaitReady(Duration.ofMinutes(3));
                        worker.rest().putConnector(tag, Workloads.postgres("colddb", tag, tag, "public.items", "initial"));
                        long up = Waits.until(tag + " RUNNING", Duration.ofMinutes(3), 25,
                                () -> "RUNNING".equals(worker.rest().connectorState(tag)));
                        long first = Waits.until(tag + " first event", Duration.ofMinutes(3), 25, () -> topics.end(topic) >= 1);
                        rest.add(flavour.label, Waits.seconds(worker.startedNanos, ready));
                        running.add(flavour.label, Waits.seconds(worker.startedNanos, Math.max(up, first)));
                        System.out.printf("bench: cold start %s run %d: REST ready %.2f s, RUNNING + first event %.2f s%n",
                                flavour.label, run + 1, Waits.seconds(worker.startedNanos, ready),
                                Waits.seconds(worker.startedNanos, Math.max(up, first)));
                    }
                    workloads.dropInactiveSlots();
                }
            }
        }
    }
}
