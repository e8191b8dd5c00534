package io.connectaws.bench;

import java.time.Duration;

/**
 * Many tenants on one worker: TENANTS PostgreSQL databases with one connector each, on a worker limited to
 * WORKER_MEMORY_MB (4 GiB). Measured per image: the time to deploy the set through REST (4 requests at a time)
 * until every connector and task is RUNNING with its snapshot in Kafka; the worker's RSS per connector (idle with the
 * set minus idle without it); the start time of the whole set (the worker replaced by a new container of the same
 * group, to every connector and task RUNNING); the rebalance when a second worker joins (to every connector and task
 * RUNNING again with the newcomer holding its balanced share). An OOM kill or a failed task ends the scenario.
 */
final class Density {

    private Density() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        int n = settings.tenants;
        Measurement deploy = results.measure("density.deploy", n + " tenant connectors: deploy to all RUNNING", "s", false, null);
        Measurement perConnector = results.measure("density.rss", "RSS per tenant connector", "MiB", false, null);
        Measurement total = results.measure("density.total", "Idle RSS with " + n + " tenant connectors", "MiB", false, null);
        Measurement restart = results.measure("start.density", "Worker start with " + n + " connectors to all RUNNING", "s", false, null);
        Measurement rebalance = results.measure("start.rebalance", "Second worker joins: rebalance to all RUNNING", "s", false, null);
        Tenants.createDatabases(lab, n);
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (Flavour flavour : settings.flavours) {
                String group = "bench-dens-" + flavour.label;
                String suffix = flavour.label;
                topics.create(Tenants.topics(n, suffix));
                Worker first = Worker.start(lab, flavour, group + "-1", flavour.env(group), settings.workerMemory);
                Worker second = null;
                Worker replacement = null;
                try {
                    first.awaitReady(Duration.ofMinutes(3));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    double idle0 = Memory.mib(first.memory()[0]);
                    long start = System.nanoTime();
                    Tenants.deployByRest(first, n, suffix);
                    long deployed = Tenants.awaitDeployed(first, topics, n, suffix, Duration.ofMinutes(30));
                    deploy.add(flavour.label, Waits.seconds(start, deployed));
                    Waits.sleep(settings.settleSeconds * 1000L);
                    double idleN = Memory.mib(first.memory()[0]);
                    total.add(flavour.label, idleN);
                    perConnector.add(flavour.label, (idleN - idle0) / n);
                    System.out.printf("bench: density %s: %d connectors deployed in %.1f s, RSS %.0f MiB (%.1f MiB each)%n",
                            flavour.label, n, Waits.seconds(start, deployed), idleN, (idleN - idle0) / n);

                    first.close();
                    replacement = Worker.start(lab, flavour, group + "-1b", flavour.env(group), settings.workerMemory);
                    Worker restarted = replacement;
                    long up = Waits.until(n + " tenants RUNNING after a restart", Duration.ofMinutes(30), 500,
                            () -> Tenants.allRunning(restarted, n, suffix, null));
                    restart.add(flavour.label, Waits.seconds(restarted.startedNanos, up));

                    second = Worker.start(lab, flavour, group + "-2", flavour.env(group), settings.workerMemory);
                    Worker joined = second;
                    long balanced = Waits.until("rebalance onto a second worker", Duration.ofMinutes(30), 500,
                            () -> Tenants.allRunning(restarted, n, suffix, joined));
                    rebalance.add(flavour.label, Waits.seconds(joined.startedNanos, balanced));
                    System.out.printf("bench: density %s: restart to all RUNNING %.1f s, rebalance onto a second worker %.1f s%n",
                            flavour.label, Waits.seconds(restarted.startedNanos, up), Waits.seconds(joined.startedNanos, balanced));
                } catch (RuntimeException e) {
                    results.failures.add("density " + flavour.label + ": " + e.getMessage());
                    System.err.println("bench: density " + flavour.label + " failed: " + e.getMessage());
                    System.err.println(first.logTail(30));
                } finally {
                    Worker.closeQuietly(first);
                    Worker.closeQuietly(replacement);
                    Worker.closeQuietly(second);
                }
                Waits.sleep(2000);
                new Workloads(lab).dropInactiveSlots();
            }
        }
        results.details.put("density.workerMemoryBytes", settings.workerMemory);
    }
}
