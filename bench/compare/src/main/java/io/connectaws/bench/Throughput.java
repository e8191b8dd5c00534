package io.connectaws.bench;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events per second through each image with its defaults, from the database into Kafka:
 * <ul>
 * <li>PostgreSQL snapshot of a table of SNAPSHOT_ROWS rows: rows / (last record in Kafka - first record in Kafka),
 * from the topic's end offset polled every 100 ms;</li>
 * <li>PostgreSQL streaming of STREAM_ROWS rows committed in one transaction, and in transactions of TXN_ROWS rows
 * committed back to back while the connector runs: rows / (last record's append time - first commit), with each
 * record's latency = its broker append time - its commit time (the harness's clock after the single commit; the
 * source.ts_ms PostgreSQL reports for each small one);</li>
 * <li>MariaDB streaming of STREAM_ROWS rows in one transaction (binlog), measured like the PostgreSQL one.</li>
 * </ul>
 * The worker's CPU seconds per 1,000 events are recorded beside each rate.
 */
final class Throughput {

    /** The snapshot topic of our image's run: real record values for the producer's ceiling (Limits). */
    static String snapshotTopicOfOurs;

    private Throughput() {
    }

    static void snapshot(Lab lab, Settings settings, Results results) throws Exception {
        Measurement rate = results.measure("snapshot.rate", "PostgreSQL snapshot", "events/s", true, 3.0);
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase("snapdb");
        workloads.postgresTable("snapdb", "public.orders", settings.snapshotRows);
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (Flavour flavour : settings.flavours) {
                String tag = "snap" + flavour.label;
                String topic = tag + ".public.orders";
                topics.create(List.of(topic));
                try (Worker worker = Worker.start(lab, flavour, "bench-" + tag, flavour.env("bench-" + tag), settings.workerMemory,
                        flavour == Flavour.OURS && settings.runs("profile") ? Profile.scratch() : null)) {
                    worker.awaitReady(Duration.ofMinutes(3));
                    double cpu0 = worker.cpuSeconds();
                    long put = System.nanoTime();
                    worker.rest().putConnector(tag, Workloads.postgres("snapdb", tag, tag, "public.orders", "initial"));
                    long[] first = {0};
                    List<long[]> series = new ArrayList<>();
                    long done = Waits.until(tag + " snapshot of " + settings.snapshotRows + " rows", Duration.ofMinutes(30), 100, () -> {
                        long end = topics.end(topic);
                        long now = System.nanoTime();
                        series.add(new long[] {(now - put) / 1_000_000, end});
                        if (end > 0 && first[0] == 0) {
                            first[0] = now;
                        }
                        return end >= settings.snapshotRows;
                    });
                    double seconds = Waits.seconds(first[0], done);
                    double cpu = worker.cpuSeconds() - cpu0;
                    rate.add(flavour.label, settings.snapshotRows / seconds);
                    detail(results, "snapshot." + flavour.label, Map.of(
                            "secondsFromCreateToFirstRecord", Waits.seconds(put, first[0]),
                            "secondsFirstToLastRecord", seconds,
                            "workerCpuSecondsPer1000Events", 1000 * cpu / settings.snapshotRows,
                            "endOffsetSeries_msSinceCreate_offset", downsample(series, 200)));
                    System.out.printf("bench: snapshot %s: %,.0f events/s (%.1f s, %.2f CPU s per 1000)%n", flavour.label,
                            settings.snapshotRows / seconds, seconds, 1000 * cpu / settings.snapshotRows);
                    if (flavour == Flavour.OURS) {
                        snapshotTopicOfOurs = topic;
                        if (settings.runs("profile")) {
                            Profile.snapshot(lab, worker, settings, results);
                        }
                    }
                }
                workloads.dropInactiveSlots();
            }
        }
    }

    static void postgresStreaming(Lab lab, Settings settings, Results results) throws Exception {
        int n = settings.streamRows;
        Measurement one = results.measure("stream.one.rate", "PostgreSQL streaming, one transaction", "events/s", true, 3.0);
        Measurement oneP50 = results.measure("stream.one.p50", "PostgreSQL one transaction, latency p50", "ms", false, null);
        Measurement oneP99 = results.measure("stream.one.p99", "PostgreSQL one transaction, latency p99", "ms", false, null);
        Measurement small = results.measure("stream.small.rate", "PostgreSQL streaming, " + settings.txnRows + "-row transactions",
                "events/s", true, 3.0);
        Measurement smallP50 = results.measure("stream.small.p50", "PostgreSQL small transactions, latency p50", "ms", false, null);
        Measurement smallP99 = results.measure("stream.small.p99", "PostgreSQL small transactions, latency p99", "ms", false, null);
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase("streamdb");
        try (Topics topics = new Topics(lab.bootstrap())) {
            for (Flavour flavour : settings.flavours) {
                String tag = "stream" + flavour.label;
                String topic = tag + ".public.orders";
                topics.create(List.of(topic, tag + ".public.ping"));
                try (Worker worker = Worker.start(lab, flavour, "bench-" + tag, flavour.env("bench-" + tag), settings.workerMemory)) {
                    worker.awaitReady(Duration.ofMinutes(3));
                    worker.rest().putConnector(tag, Workloads.postgres("streamdb", tag, tag, "public.orders,public.ping", "no_data"));
                    Waits.until(tag + " RUNNING", Duration.ofMinutes(3), 100, () -> "RUNNING".equals(worker.rest().connectorState(tag)));
                    awaitStreaming(topics, tag + ".public.ping", () -> workloads.ping("streamdb"));

                    long base = topics.end(topic);
                    double cpu0 = worker.cpuSeconds();
                    long commit = workloads.insertOneTransaction("streamdb", "public.orders", n);
                    Waits.until(tag + " one transaction", Duration.ofMinutes(15), 100, () -> topics.end(topic) >= base + n);
                    double cpu = worker.cpuSeconds() - cpu0;
                    Latencies l1 = Latencies.read(topics, topic, base, n, value -> commit);
                    one.add(flavour.label, l1.rate());
                    oneP50.add(flavour.label, l1.percentile(50));
                    oneP99.add(flavour.label, l1.percentile(99));

                    long base2 = base + n;
                    double cpu1 = worker.cpuSeconds();
                    workloads.insertSmallTransactions("streamdb", n, settings.txnRows);
                    Waits.until(tag + " small transactions", Duration.ofMinutes(15), 100, () -> topics.end(topic) >= base2 + n);
                    double cpuSmall = worker.cpuSeconds() - cpu1;
                    Latencies l2 = Latencies.read(topics, topic, base2, n, Latencies::sourceMillis);
                    small.add(flavour.label, l2.rate());
                    smallP50.add(flavour.label, l2.percentile(50));
                    smallP99.add(flavour.label, l2.percentile(99));
                    detail(results, "stream." + flavour.label, Map.of(
                            "oneTransactionWorkerCpuSecondsPer1000Events", 1000 * cpu / n,
                            "smallTransactionsWorkerCpuSecondsPer1000Events", 1000 * cpuSmall / n,
                            "smallTransactionsGeneratorRowsPerSecond", l2.sourceRate()));
                    System.out.printf("bench: streaming %s: one txn %,.0f events/s (p50 %.0f ms, p99 %.0f ms); small txns %,.0f events/s"
                            + " (p50 %.0f ms, p99 %.0f ms; generator %,.0f rows/s)%n", flavour.label, l1.rate(), l1.percentile(50),
                            l1.percentile(99), l2.rate(), l2.percentile(50), l2.percentile(99), l2.sourceRate());
                }
                workloads.dropInactiveSlots();
            }
        }
    }

    static void mariadbStreaming(Lab lab, Settings settings, Results results) throws Exception {
        int n = settings.streamRows;
        Measurement rate = results.measure("mariadb.one.rate", "MariaDB streaming, one transaction", "events/s", true, null);
        Measurement p50 = results.measure("mariadb.one.p50", "MariaDB one transaction, latency p50", "ms", false, null);
        Measurement p99 = results.measure("mariadb.one.p99", "MariaDB one transaction, latency p99", "ms", false, null);
        Workloads workloads = new Workloads(lab);
        workloads.mariadbTables();
        try (Topics topics = new Topics(lab.bootstrap())) {
            int serverId = 6001;
            for (Flavour flavour : settings.flavours) {
                String tag = "maria" + flavour.label;
                String topic = tag + ".bench.orders";
                topics.create(List.of(topic, tag + ".bench.ping"));
                try (Worker worker = Worker.start(lab, flavour, "bench-" + tag, flavour.env("bench-" + tag), settings.workerMemory)) {
                    worker.awaitReady(Duration.ofMinutes(3));
                    worker.rest().putConnector(tag, Workloads.mariadb(tag, serverId++));
                    Waits.until(tag + " RUNNING", Duration.ofMinutes(3), 100, () -> "RUNNING".equals(worker.rest().connectorState(tag)));
                    awaitStreaming(topics, tag + ".bench.ping", workloads::mariadbPing);
                    long base = topics.end(topic);
                    long commit = workloads.mariadbOneTransaction(n);
                    Waits.until(tag + " one transaction", Duration.ofMinutes(15), 100, () -> topics.end(topic) >= base + n);
                    Latencies l = Latencies.read(topics, topic, base, n, value -> commit);
                    rate.add(flavour.label, l.rate());
                    p50.add(flavour.label, l.percentile(50));
                    p99.add(flavour.label, l.percentile(99));
                    System.out.printf("bench: MariaDB streaming %s: %,.0f events/s (p50 %.0f ms, p99 %.0f ms)%n", flavour.label,
                            l.rate(), l.percentile(50), l.percentile(99));
                }
            }
        }
    }

    interface SqlAction {
        void run() throws SQLException;
    }

    /** Pings until a ping row reaches Kafka: the connector is reading the change stream, not just RUNNING. */
    static void awaitStreaming(Topics topics, String pingTopic, SqlAction ping) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long before = topics.end(pingTopic);
        while (System.nanoTime() < deadline) {
            ping.run();
            long sent = System.nanoTime();
            while (System.nanoTime() - sent < 3_000_000_000L) {
                if (topics.end(pingTopic) > before) {
                    return;
                }
                Waits.sleep(100);
            }
        }
        throw new IllegalStateException("no ping reached " + pingTopic + " within 3 minutes: the connector is not streaming");
    }

    static void detail(Results results, String key, Map<String, Object> values) {
        results.details.put(key, new LinkedHashMap<>(values));
    }

    private static List<long[]> downsample(List<long[]> series, int max) {
        if (series.size() <= max) {
            return series;
        }
        List<long[]> out = new ArrayList<>();
        double step = series.size() / (double) max;
        for (int i = 0; i < max; i++) {
            out.add(series.get((int) (i * step)));
        }
        out.add(series.get(series.size() - 1));
        return out;
    }

    /** Latencies of records [from, from + count) of a topic: append time - commit time, and the rate they imply. */
    static final class Latencies {
        final long[] latencies;
        final long firstCommit;
        final long lastCommit;
        final long lastAppend;
        final int count;

        private Latencies(long[] latencies, long firstCommit, long lastCommit, long lastAppend) {
            this.latencies = latencies;
            this.firstCommit = firstCommit;
            this.lastCommit = lastCommit;
            this.lastAppend = lastAppend;
            this.count = latencies.length;
            Arrays.sort(latencies);
        }

        static Latencies read(Topics topics, String topic, long from, int count, java.util.function.ToLongFunction<byte[]> commitMillis) {
            long[] latencies = new long[count];
            long[] state = {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE}; // index, first commit, last commit, last append
            topics.read(topic, from + count, (append, value) -> {
                long i = state[0]++;
                if (i < from) {
                    return;
                }
                long commit = commitMillis.applyAsLong(value);
                latencies[(int) (i - from)] = append - commit;
                state[1] = Math.min(state[1], commit);
                state[2] = Math.max(state[2], commit);
                state[3] = Math.max(state[3], append);
            });
            return new Latencies(latencies, state[1], state[2], state[3]);
        }

        /** Events per second from the first commit to the last record appended. */
        double rate() {
            return count / Math.max(0.001, (lastAppend - firstCommit) / 1000.0);
        }

        /** Rows per second the database committed (first to last commit). */
        double sourceRate() {
            return count / Math.max(0.001, (lastCommit - firstCommit) / 1000.0);
        }

        double percentile(double p) {
            return nearestRank(latencies, count, p);
        }

        /** The nearest-rank {@code p}th percentile of the first {@code count} values of {@code sorted}. */
        static long nearestRank(long[] sorted, int count, double p) {
            int index = (int) Math.ceil(p / 100.0 * count) - 1;
            return sorted[Math.max(0, Math.min(count - 1, index))];
        }

        /** source.ts_ms of a Debezium change event value (JSON, with or without the schema envelope). */
        static long sourceMillis(byte[] value) {
            String json = new String(value, StandardCharsets.ISO_8859_1);
            int source = json.indexOf("\"source\":{");
            int ts = source < 0 ? -1 : json.indexOf("\"ts_ms\":", source);
            if (ts < 0) {
                throw new IllegalStateException("no source.ts_ms in a change event: "
                        + json.substring(0, Math.min(200, json.length())));
            }
            int start = ts + 8;
            int end = start;
            while (end < json.length() && Character.isDigit(json.charAt(end))) {
                end++;
            }
            return Long.parseLong(json.substring(start, end));
        }
    }
}
