package io.connectaws.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The run's sizes, from environment variables (bench/compare/run.sh documents them); SMOKE=1 makes them tiny. */
final class Settings {

    static final Set<String> SCENARIOS = Set.of("size", "cold", "memory", "probe", "snapshot", "stream", "mariadb",
            "limits", "density", "fleet", "profile", "exactly-once", "avro");

    final boolean smoke = "1".equals(System.getenv("SMOKE"));
    final int coldRuns = integer("COLD_RUNS", 5, 2);
    final int snapshotRows = integer("SNAPSHOT_ROWS", 1_000_000, 5_000);
    final int streamRows = integer("STREAM_ROWS", 200_000, 5_000);
    final int txnRows = integer("TXN_ROWS", 10, 10);
    final int memoryRows = integer("MEMORY_ROWS", 100_000, 2_000);
    final int tenants = integer("TENANTS", 200, 3);
    /** Tenants of the fleet scenario (issue 16): TENANTS unless FLEET_TENANTS says otherwise; 5 in a smoke run. */
    final int fleetTenants = integer("FLEET_TENANTS", tenants, 5);
    final int fleetRuns = integer("FLEET_RUNS", 3, 1);
    /** Exactly-once cost (issue 19): runs of each variant (interleaved), rows in TXN_ROWS-row transactions, variants. */
    final int eosRuns = integer("EOS_RUNS", 3, 1);
    final int eosRows = integer("EOS_ROWS", streamRows, streamRows);
    /** Then a paced phase on the same connector, below capacity: latency without a backlog (0 seconds: none). */
    final int eosPacedRate = integer("EOS_PACED_RATE", 1000, 1000);
    final int eosPacedSeconds = integer("EOS_PACED_SECONDS", 20, 5);
    /** Variants beside off and on (ExactlyOnceCost.variant): "" for none; the default tries Kafka's and Debezium's levers. */
    final java.util.List<String> eosVariants = java.util.Arrays.stream(
                    System.getenv().getOrDefault("EOS_VARIANTS", ExactlyOnceCost.DEFAULT_VARIANTS).split(","))
            .map(String::trim).filter(v -> !v.isEmpty()).toList();
    /** Avro against JSON (issue 21): runs of each (interleaved), snapshot rows, streamed rows (one and small transactions). */
    final int avroRuns = integer("AVRO_RUNS", 3, 1);
    final int avroSnapshotRows = integer("AVRO_SNAPSHOT_ROWS", 200_000, 2_000);
    final int avroStreamRows = integer("AVRO_STREAM_ROWS", 100_000, 2_000);
    final int probeRuns = integer("PROBE_RUNS", 10, 3);
    final int limitRuns = integer("LIMIT_RUNS", 3, 1);
    final int producerRecords = integer("PRODUCER_RECORDS", 1_000_000, 20_000);
    final int settleSeconds = integer("SETTLE_SECONDS", 30, 5);
    final long workerMemory = (long) integer("WORKER_MEMORY_MB", 4096, 4096) * 1024 * 1024;
    final Set<String> only = scenarios(System.getenv().getOrDefault("ONLY", String.join(",", SCENARIOS)));
    /** FLAVOURS=ours for tuning trials of our image alone (default: both). */
    final java.util.List<Flavour> flavours = java.util.Arrays.stream(System.getenv().getOrDefault("FLAVOURS", "ours,stock").split(","))
            .map(f -> Flavour.valueOf(f.trim().toUpperCase(java.util.Locale.ROOT))).toList();
    final Path out;

    Settings(Path out) {
        this.out = out;
    }

    boolean runs(String scenario) {
        return only.contains(scenario);
    }

    /** The flavours in the order of run {@code run} of an interleaved scenario: as listed, reversed every other run. */
    java.util.List<Flavour> order(int run) {
        java.util.List<Flavour> order = new java.util.ArrayList<>(flavours);
        if (run % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("smoke", smoke);
        d.put("scenarios", only);
        d.put("flavours", flavours);
        d.put("coldRuns", coldRuns);
        d.put("snapshotRows", snapshotRows);
        d.put("streamRows", streamRows);
        d.put("txnRows", txnRows);
        d.put("memoryRows", memoryRows);
        d.put("tenants", tenants);
        d.put("fleetTenants", fleetTenants);
        d.put("fleetRuns", fleetRuns);
        d.put("eosRuns", eosRuns);
        d.put("eosRows", eosRows);
        d.put("eosPacedRate", eosPacedRate);
        d.put("eosPacedSeconds", eosPacedSeconds);
        d.put("eosVariants", eosVariants);
        d.put("avroRuns", avroRuns);
        d.put("avroSnapshotRows", avroSnapshotRows);
        d.put("avroStreamRows", avroStreamRows);
        d.put("probeRuns", probeRuns);
        d.put("limitRuns", limitRuns);
        d.put("producerRecords", producerRecords);
        d.put("settleSeconds", settleSeconds);
        d.put("workerMemoryBytes", workerMemory);
        for (String extra : new String[] {"OURS_ENV", "OURS_CONNECTOR", "STOCK_ENV", "STOCK_CONNECTOR"}) {
            if (System.getenv(extra) != null) {
                d.put(extra, System.getenv(extra));
            }
        }
        return d;
    }

    private int integer(String name, int full, int smokeValue) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return smoke ? smokeValue : full;
        }
        try {
            return Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number");
        }
    }

    private static Set<String> scenarios(String list) {
        Set<String> chosen = new TreeSet<>();
        for (String name : list.split(",")) {
            String s = name.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("ONLY names an unknown scenario '" + s + "'; known: "
                        + Arrays.toString(new TreeSet<>(SCENARIOS).toArray()));
            }
            chosen.add(s);
        }
        return chosen;
    }
}
