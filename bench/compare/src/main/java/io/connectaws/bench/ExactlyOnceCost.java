package io.connectaws.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The cost of exactly-once source delivery (issue 19): our image only, with {@code CONNECT_AWS_EXACTLY_ONCE} off (the
 * default, at-least-once) and on (KIP-618: each source task writes its records and offsets in one Kafka transaction
 * per poll batch; Debezium's connector is created with {@code exactly.once.support=required} by the image), plus
 * variants that try Kafka's and Debezium's levers, interleaved, EOS_RUNS runs each. The workload is the stream
 * scenario's small transactions: EOS_ROWS (STREAM_ROWS) rows in TXN_ROWS-row transactions committed back to back by
 * the database while the connector streams.
 * <p>
 * Every run is a new worker container (a new Connect group), a new connector, slot and topics. Records are read back
 * with {@code isolation.level=read_committed} (records of aborted transactions are not counted). Two clocks per
 * record, both against PostgreSQL's {@code source.ts_ms} (its commit time): the broker's {@code LogAppendTime} (what
 * the stream scenario reports) and the moment the record became visible to a read_committed consumer, i.e. the first
 * time the partition's last stable offset, polled every {@value #LSO_POLL_MS} ms, passed it. At-least-once records are
 * visible when appended; a transaction's only at its commit, which the append time does not show. Rates: rows /
 * (last append, or last visible - first commit). CPU seconds per 1,000 events of the worker JVM and of the broker's
 * container over the streaming, the machine's load and busy share, and the transactions (commit markers, from the
 * offsets the records skip) are kept per run.
 */
final class ExactlyOnceCost {

    /** Variants run beside off and on unless EOS_VARIANTS says otherwise. */
    static final String DEFAULT_VARIANTS = "on+interval1000,on+batch8192";
    /** The target: exactly-once keeps at least this share of at-least-once streaming throughput. */
    static final double TARGET = 0.85;
    static final String OFF = "off";
    static final String ON = "on";
    private static final long LSO_POLL_MS = 10;
    private static final String DATABASE = "eosdb";

    private ExactlyOnceCost() {
    }

    /** A worker environment and connector settings on top of the image's defaults. */
    record Variant(String name, Map<String, String> env, Map<String, String> connector) {
    }

    /**
     * {@code off}; {@code on}; or {@code on+LEVER+...} with levers {@code interval<ms>} (transaction.boundary=interval
     * every ms), {@code batch<n>} (Debezium max.batch.size=n, max.queue.size=4n), {@code poll<ms>} (Debezium
     * poll.interval.ms), {@code linger<ms>} (producer.override.linger.ms), {@code batchbytes<n>}
     * (producer.override.batch.size) or {@code key=value} (any connector setting).
     */
    static Variant variant(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> connector = new LinkedHashMap<>();
        String[] parts = name.split("\\+");
        if (parts[0].equals(OFF) && parts.length == 1) {
            return new Variant(name, env, connector);
        }
        if (!parts[0].equals(ON)) {
            throw new IllegalArgumentException("EOS_VARIANTS: '" + name + "' is neither off nor on[+lever...]");
        }
        env.put("CONNECT_AWS_EXACTLY_ONCE", "true");
        for (String lever : Arrays.copyOfRange(parts, 1, parts.length)) {
            int eq = lever.indexOf('=');
            if (eq > 0) {
                connector.put(lever.substring(0, eq), lever.substring(eq + 1));
            } else if (lever.matches("interval\\d+")) {
                connector.put("transaction.boundary", "interval");
                connector.put("transaction.boundary.interval.ms", lever.substring(8));
            } else if (lever.matches("batchbytes\\d+")) {
                connector.put("producer.override.batch.size", lever.substring(10));
            } else if (lever.matches("batch\\d+")) {
                int n = Integer.parseInt(lever.substring(5));
                connector.put("max.batch.size", Integer.toString(n));
                connector.put("max.queue.size", Integer.toString(Math.max(8192, 4 * n)));
            } else if (lever.matches("poll\\d+")) {
                connector.put("poll.interval.ms", lever.substring(4));
            } else if (lever.matches("linger\\d+")) {
                connector.put("producer.override.linger.ms", lever.substring(6));
            } else {
                throw new IllegalArgumentException("EOS_VARIANTS: unknown lever '" + lever + "' in '" + name + "'");
            }
        }
        return new Variant(name, env, connector);
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        List<Variant> variants = new ArrayList<>(List.of(variant(OFF), variant(ON)));
        for (String v : settings.eosVariants) {
            if (!v.equals(OFF) && !v.equals(ON)) {
                variants.add(variant(v));
            }
        }
        int n = settings.eosRows;
        String what = "PostgreSQL streaming, " + n + " rows in " + settings.txnRows + "-row transactions";
        Measurement rate = results.measure("eos.rate", "Exactly-once: " + what + ", visible to read_committed",
                "events/s", true, TARGET).sides(ON, OFF);
        Measurement appendRate = results.measure("eos.appendRate", "Exactly-once: " + what + ", by append time",
                "events/s", true, null).sides(ON, OFF);
        Measurement p50 = results.measure("eos.visible.p50", "Exactly-once: commit to visible, p50", "ms", false, null).sides(ON, OFF);
        Measurement p99 = results.measure("eos.visible.p99", "Exactly-once: commit to visible, p99", "ms", false, null).sides(ON, OFF);
        Measurement ap50 = results.measure("eos.append.p50", "Exactly-once: commit to append, p50", "ms", false, null).sides(ON, OFF);
        Measurement ap99 = results.measure("eos.append.p99", "Exactly-once: commit to append, p99", "ms", false, null).sides(ON, OFF);
        Measurement cpu = results.measure("eos.workerCpu", "Exactly-once: worker CPU per 1,000 events", "CPU s", false, null).sides(ON, OFF);
        Measurement brokerCpu = results.measure("eos.brokerCpu", "Exactly-once: broker CPU per 1,000 events", "CPU s", false, null).sides(ON, OFF);
        Measurement pp50 = results.measure("eos.paced.visible.p50", "Exactly-once: paced " + settings.eosPacedRate
                + " rows/s, commit to visible, p50", "ms", false, null).sides(ON, OFF);
        Measurement pp99 = results.measure("eos.paced.visible.p99", "Exactly-once: paced " + settings.eosPacedRate
                + " rows/s, commit to visible, p99", "ms", false, null).sides(ON, OFF);
        Measurement perTxn = results.measure("eos.recordsPerTransaction", "Exactly-once: records per transaction",
                "records", true, null).sides(ON, OFF);

        String image = pin(Flavour.OURS.image);
        results.details.put("exactlyOnce.image", image);
        results.details.put("exactlyOnce.variants", variants);
        List<Map<String, Object>> runs = new ArrayList<>();
        results.details.put("exactlyOnce.runs", runs);
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase(DATABASE);
        try (Topics topics = new Topics(lab.bootstrap()); Admin admin = admin(lab.bootstrap())) {
            for (int run = 0; run < settings.eosRuns; run++) {
                // interleaved: each run starts one variant later, so every variant takes every place in the order
                List<Variant> order = new ArrayList<>(variants);
                java.util.Collections.rotate(order, -run);
                if (variants.size() == 2 && run % 2 == 1) {
                    order = List.of(variants.get(1), variants.get(0));
                }
                for (Variant variant : order) {
                    Map<String, Object> s = once(lab, settings, topics, admin, image, variant, run);
                    runs.add(s);
                    if (s.containsKey("error")) {
                        results.failures.add("exactly-once " + variant.name + " run " + (run + 1) + ": " + s.get("error"));
                        continue;
                    }
                    rate.add(variant.name, (Double) s.get("visibleRate"));
                    appendRate.add(variant.name, (Double) s.get("appendRate"));
                    p50.add(variant.name, (Double) s.get("visibleP50"));
                    p99.add(variant.name, (Double) s.get("visibleP99"));
                    ap50.add(variant.name, (Double) s.get("appendP50"));
                    ap99.add(variant.name, (Double) s.get("appendP99"));
                    cpu.add(variant.name, (Double) s.get("workerCpuSecondsPer1000Events"));
                    brokerCpu.add(variant.name, (Double) s.get("brokerCpuSecondsPer1000Events"));
                    if (s.containsKey("pacedVisibleP50")) {
                        pp50.add(variant.name, (Double) s.get("pacedVisibleP50"));
                        pp99.add(variant.name, (Double) s.get("pacedVisibleP99"));
                    }
                    if (s.get("recordsPerTransaction") != null) {
                        perTxn.add(variant.name, (Double) s.get("recordsPerTransaction"));
                    }
                    System.out.printf(Locale.ROOT, "bench: exactly-once %s run %d: %,.0f events/s visible (%,.0f by append),"
                                    + " visible p50 %.0f / p99 %.0f ms, append p50 %.0f / p99 %.0f ms, worker %.3f CPU s per 1000,"
                                    + " %.0f records per transaction, load %s%n", variant.name, run + 1, s.get("visibleRate"),
                            s.get("appendRate"), s.get("visibleP50"), s.get("visibleP99"), s.get("appendP50"), s.get("appendP99"),
                            s.get("workerCpuSecondsPer1000Events"), s.get("recordsPerTransaction"), s.get("loadBefore"));
                    if (s.containsKey("pacedVisibleP50")) {
                        System.out.printf(Locale.ROOT, "bench: exactly-once %s run %d, paced %,.0f rows/s: visible p50 %.0f /"
                                        + " p99 %.0f ms, append p50 %.0f / p99 %.0f ms%n", variant.name, run + 1,
                                s.get("pacedGeneratorRowsPerSecond"), s.get("pacedVisibleP50"), s.get("pacedVisibleP99"),
                                s.get("pacedAppendP50"), s.get("pacedAppendP99"));
                    }
                }
                results.sections.put("exactly-once", section(settings, variants, image, runs,
                        List.of(rate, appendRate, p50, p99, ap50, ap99, cpu, brokerCpu, perTxn, pp50, pp99)));
                results.write();
            }
        } finally {
            try {
                Shell.run("docker", "image", "rm", "-f", pinTag(image)); // the tag only: a container may still use the image
            } catch (RuntimeException e) {
                System.err.println("bench: exactly-once: could not remove the pin tag: " + e.getMessage());
            }
        }
    }

    /** One run of one variant on a new worker, connector, slot and topics; its figures, or "error". */
    private static Map<String, Object> once(Lab lab, Settings settings, Topics topics, Admin admin, String image,
                                            Variant variant, int run) throws Exception {
        int n = settings.eosRows;
        String tag = "eos" + run + variant.name.replaceAll("[^a-z0-9]", "_");
        String topic = tag + ".public.orders";
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", run + 1);
        s.put("variant", variant.name);
        s.put("startedUtc", java.time.Instant.now().toString());
        s.put("loadBefore", loadAverage());
        s.put("otherContainers", otherContainers());
        topics.create(List.of(topic, tag + ".public.ping"));
        Map<String, String> env = new LinkedHashMap<>(Flavour.OURS.env("bench-" + tag));
        env.putAll(variant.env);
        Worker worker = null;
        LsoPoller poller = null;
        try {
            worker = Worker.start(lab, Flavour.OURS, image, "bench-" + tag, env, settings.workerMemory, null);
            worker.awaitReady(Duration.ofMinutes(3));
            Map<String, String> config = Workloads.postgres(DATABASE, tag, tag, "public.orders,public.ping", "no_data");
            config.putAll(variant.connector);
            Rest rest = worker.rest();
            rest.putConnector(tag, config);
            Worker w = worker;
            Waits.until(tag + " RUNNING", Duration.ofMinutes(3), 100, () -> "RUNNING".equals(w.rest().connectorState(tag)));
            var stored = rest.json("/connectors/" + tag + "/config");
            s.put("connectorExactlyOnceSupport", stored == null ? null : stored.path("exactly.once.support").asText(null));
            awaitVisible(admin, tag + ".public.ping", () -> workloads(lab).ping(DATABASE));

            poller = new LsoPoller(admin, new TopicPartition(topic, 0));
            poller.start();
            String kafkaId = lab.kafka.getContainerId();
            String pgId = lab.postgres.getContainerId();
            double cpu0 = worker.cpuSeconds();
            double broker0 = containerCpuSeconds(kafkaId);
            double pg0 = containerCpuSeconds(pgId);
            long[] machine0 = machineTicks();
            workloads(lab).insertSmallTransactions(DATABASE, n, settings.txnRows);
            LsoPoller p = poller;
            Waits.until(tag + " " + n + " rows visible", Duration.ofMinutes(15), 100, () -> p.lso() >= n);
            double cpu = worker.cpuSeconds() - cpu0;
            double broker = containerCpuSeconds(kafkaId) - broker0;
            double pg = containerCpuSeconds(pgId) - pg0;
            long[] machine1 = machineTicks();
            // the last records of a transactional topic follow commit markers: wait for the stream to end before
            // reading, so the read does not compete with it
            Waits.until(tag + " stream quiet", Duration.ofMinutes(5), 100, () -> p.quietFor(2000));
            Read read = Read.committed(lab.bootstrap(), topic, 0, n);
            long lastOffset = read.offsets[n - 1];
            Waits.until(tag + " last record visible", Duration.ofMinutes(1), 20, () -> p.lso() > lastOffset);
            if (settings.eosPacedSeconds > 0) {
                try {
                    paced(lab, settings, tag, topic, poller, lastOffset + 1, s);
                } catch (Exception | Error e) {
                    s.put("pacedError", String.valueOf(e.getMessage()));
                    System.err.println("bench: exactly-once " + variant.name + " run " + (run + 1) + ": paced phase failed: " + e);
                }
            }
            poller.stop();

            long firstCommit = Long.MAX_VALUE;
            long lastCommit = Long.MIN_VALUE;
            long lastAppend = Long.MIN_VALUE;
            long lastVisible = Long.MIN_VALUE;
            long[] appendLatency = new long[n];
            long[] visibleLatency = new long[n];
            for (int i = 0; i < n; i++) {
                long commit = read.commits[i];
                long visible = poller.visibleAt(read.offsets[i]);
                firstCommit = Math.min(firstCommit, commit);
                lastCommit = Math.max(lastCommit, commit);
                lastAppend = Math.max(lastAppend, read.appends[i]);
                lastVisible = Math.max(lastVisible, visible);
                appendLatency[i] = read.appends[i] - commit;
                visibleLatency[i] = visible - commit;
            }
            Arrays.sort(appendLatency);
            Arrays.sort(visibleLatency);
            // offsets the records do not use: commit markers (one per transaction) and records of aborted transactions
            long skipped = lastOffset + 1 - n;
            s.put("visibleRate", n / Math.max(0.001, (lastVisible - firstCommit) / 1000.0));
            s.put("appendRate", n / Math.max(0.001, (lastAppend - firstCommit) / 1000.0));
            s.put("generatorRowsPerSecond", n / Math.max(0.001, (lastCommit - firstCommit) / 1000.0));
            s.put("visibleP50", (double) percentile(visibleLatency, 50));
            s.put("visibleP99", (double) percentile(visibleLatency, 99));
            s.put("visibleMax", (double) visibleLatency[n - 1]);
            s.put("appendP50", (double) percentile(appendLatency, 50));
            s.put("appendP99", (double) percentile(appendLatency, 99));
            s.put("workerCpuSecondsPer1000Events", 1000 * cpu / n);
            s.put("brokerCpuSecondsPer1000Events", 1000 * broker / n);
            s.put("postgresCpuSecondsPer1000Events", 1000 * pg / n);
            s.put("machineBusyShare", busyShare(machine0, machine1));
            s.put("offsetsSkipped", skipped);
            // none without transactions (at-least-once): no commit markers to count
            s.put("recordsPerTransaction", skipped == 0 ? null : n / (double) skipped);
            s.put("lsoSamples", poller.samples());
            s.put("loadAfter", loadAverage());
            if (variant.env.containsKey("CONNECT_AWS_EXACTLY_ONCE") == (skipped == 0)) {
                s.put("warning", skipped == 0 ? "no commit markers: the records were not written in transactions"
                        : "offsets skipped without exactly-once: aborted or duplicate sends?");
                System.err.println("bench: exactly-once " + variant.name + " run " + (run + 1) + ": " + s.get("warning"));
            }
        } catch (Exception | Error e) {
            s.put("error", String.valueOf(e.getMessage()));
            System.err.println("bench: exactly-once " + variant.name + " run " + (run + 1) + " failed: " + e);
            if (worker != null) {
                System.err.println(worker.logTail(40));
            }
        } finally {
            if (poller != null) {
                poller.stop();
            }
            Worker.closeQuietly(worker);
        }
        Waits.sleep(2000);
        workloads(lab).dropInactiveSlots();
        return s;
    }

    /**
     * The paced phase: EOS_PACED_RATE rows/s in TXN_ROWS-row transactions for EOS_PACED_SECONDS on the same connector,
     * below what it can stream, so latency is the delivery's own (batching, transaction commits, boundary intervals)
     * rather than a backlog's.
     */
    private static void paced(Lab lab, Settings settings, String tag, String topic, LsoPoller poller, long from,
                              Map<String, Object> s) throws Exception {
        int perTxn = settings.txnRows;
        int m = Math.max(perTxn, settings.eosPacedRate * settings.eosPacedSeconds / perTxn * perTxn);
        long lsoBase = poller.lso();
        workloads(lab).insertPacedTransactions(DATABASE, m, perTxn, settings.eosPacedRate);
        Waits.until(tag + " paced rows visible", Duration.ofMinutes(10), 100, () -> poller.lso() >= lsoBase + m);
        Waits.until(tag + " paced stream quiet", Duration.ofMinutes(5), 100, () -> poller.quietFor(2000));
        Read read = Read.committed(lab.bootstrap(), topic, from, m);
        long last = read.offsets[m - 1];
        Waits.until(tag + " last paced record visible", Duration.ofMinutes(1), 20, () -> poller.lso() > last);
        long[] visible = new long[m];
        long[] append = new long[m];
        long firstCommit = Long.MAX_VALUE;
        long lastCommit = Long.MIN_VALUE;
        for (int i = 0; i < m; i++) {
            visible[i] = poller.visibleAt(read.offsets[i]) - read.commits[i];
            append[i] = read.appends[i] - read.commits[i];
            firstCommit = Math.min(firstCommit, read.commits[i]);
            lastCommit = Math.max(lastCommit, read.commits[i]);
        }
        Arrays.sort(visible);
        Arrays.sort(append);
        s.put("pacedRows", m);
        s.put("pacedGeneratorRowsPerSecond", m / Math.max(0.001, (lastCommit - firstCommit) / 1000.0));
        s.put("pacedVisibleP50", (double) percentile(visible, 50));
        s.put("pacedVisibleP99", (double) percentile(visible, 99));
        s.put("pacedAppendP50", (double) percentile(append, 50));
        s.put("pacedAppendP99", (double) percentile(append, 99));
        long skipped = last + 1 - from - m;
        s.put("pacedRecordsPerTransaction", skipped <= 0 ? null : m / (double) skipped);
    }

    private static Workloads workloads(Lab lab) {
        return new Workloads(lab);
    }

    /** Pings until a ping row is visible to read_committed consumers: the connector streams (and commits). */
    private static void awaitVisible(Admin admin, String pingTopic, Throughput.SqlAction ping) throws Exception {
        TopicPartition partition = new TopicPartition(pingTopic, 0);
        long before = lso(admin, partition);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            ping.run();
            long sent = System.nanoTime();
            while (System.nanoTime() - sent < 3_000_000_000L) {
                if (lso(admin, partition) > before) {
                    return;
                }
                Waits.sleep(100);
            }
        }
        throw new IllegalStateException("no ping became visible in " + pingTopic + " within 3 minutes");
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return Admin.create(props);
    }

    /** The last stable offset of {@code partition} (what a read_committed consumer can read up to); 0 when absent. */
    static long lso(Admin admin, TopicPartition partition) {
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(partition).get().offset();
        } catch (ExecutionException absent) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A thread polling a partition's last stable offset every LSO_POLL_MS ms, keeping (wall millis, offset) changes. */
    static final class LsoPoller {
        private final Admin admin;
        private final TopicPartition partition;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<long[]> changes = new ArrayList<>();
        private final Thread thread;
        private volatile long lso;
        private volatile long changedAt = System.currentTimeMillis();

        LsoPoller(Admin admin, TopicPartition partition) {
            this.admin = admin;
            this.partition = partition;
            this.lso = ExactlyOnceCost.lso(admin, partition);
            synchronized (changes) {
                changes.add(new long[] {System.currentTimeMillis(), lso});
            }
            thread = new Thread(this::loop, "lso-poller");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running.get()) {
                long value = ExactlyOnceCost.lso(admin, partition);
                long now = System.currentTimeMillis();
                if (value != lso) {
                    synchronized (changes) {
                        changes.add(new long[] {now, value});
                    }
                    lso = value;
                    changedAt = now;
                }
                Waits.sleep(LSO_POLL_MS);
            }
        }

        long lso() {
            return lso;
        }

        boolean quietFor(long millis) {
            return System.currentTimeMillis() - changedAt >= millis;
        }

        void stop() {
            running.set(false);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int samples() {
            synchronized (changes) {
                return changes.size();
            }
        }

        /** Wall millis of the first poll that saw the last stable offset past {@code offset}. */
        long visibleAt(long offset) {
            synchronized (changes) {
                int lo = 0;
                int hi = changes.size() - 1;
                if (changes.get(hi)[1] <= offset) {
                    throw new IllegalStateException("offset " + offset + " never became visible");
                }
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (changes.get(mid)[1] > offset) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                return changes.get(lo)[0];
            }
        }
    }

    /** n records of a topic from offset {@code from}, read with isolation.level=read_committed: offsets, append times, source.ts_ms. */
    record Read(long[] offsets, long[] appends, long[] commits) {
        static Read committed(String bootstrap, String topic, long from, int n) {
            Properties props = new Properties();
            props.put("bootstrap.servers", bootstrap);
            props.put("isolation.level", "read_committed");
            props.put("max.poll.records", "5000");
            props.put("fetch.max.bytes", Integer.toString(64 << 20));
            props.put("max.partition.fetch.bytes", Integer.toString(16 << 20));
            TopicPartition partition = new TopicPartition(topic, 0);
            long[] offsets = new long[n];
            long[] appends = new long[n];
            long[] commits = new long[n];
            int seen = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.assign(List.of(partition));
                consumer.seek(partition, from);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (seen < n) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("read only " + seen + " of " + n + " committed records from "
                                + topic + " after offset " + from);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (seen < n) {
                            offsets[seen] = r.offset();
                            appends[seen] = r.timestamp();
                            commits[seen] = Throughput.Latencies.sourceMillis(r.value());
                            seen++;
                        }
                    }
                }
            }
            return new Read(offsets, appends, commits);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return Throughput.Latencies.nearestRank(sorted, sorted.length, p);
    }

    /** The image's id now, tagged so nobody's prune removes it mid-scenario; workers start from the id. */
    private static String pin(String image) {
        String id = Shell.run("docker", "image", "inspect", "-f", "{{.Id}}", image).trim();
        Shell.run("docker", "tag", id, pinTag(id));
        System.out.println("bench: exactly-once: " + image + " pinned as " + id);
        return id;
    }

    private static String pinTag(String id) {
        return "connect-aws-bench/eos-pinned:" + id.replace("sha256:", "").substring(0, 12);
    }

    /** CPU seconds a container has used (cgroup v2 cpu.stat, or v1 cpuacct.usage), from its PID 1's cgroup. */
    static double containerCpuSeconds(String containerId) {
        String pid = Shell.run("docker", "inspect", "-f", "{{.State.Pid}}", containerId).trim();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts[0].equals("0") && parts[1].isEmpty()) {
                    Path stat = Path.of("/sys/fs/cgroup", parts[2], "cpu.stat");
                    if (Files.isReadable(stat)) {
                        for (String l : Files.readAllLines(stat)) {
                            if (l.startsWith("usage_usec ")) {
                                return Long.parseLong(l.substring(11).trim()) / 1e6;
                            }
                        }
                    }
                }
                if (Arrays.asList(parts[1].split(",")).contains("cpuacct")) {
                    Path usage = Path.of("/sys/fs/cgroup/cpuacct", parts[2], "cpuacct.usage");
                    if (!Files.isReadable(usage)) {
                        usage = Path.of("/sys/fs/cgroup/cpu,cpuacct", parts[2], "cpuacct.usage");
                    }
                    if (Files.isReadable(usage)) {
                        return Long.parseLong(Files.readString(usage).trim()) / 1e9;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cgroup of " + containerId + ": " + e, e);
        }
        return Double.NaN;
    }

    /** /proc/stat's cpu line: {busy, total} jiffies. */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static double busyShare(long[] a, long[] b) {
        return (b[0] - a[0]) / (double) Math.max(1, b[1] - a[1]);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Containers running beside the lab's own (others' integration tests): the noise this run shared the CPUs with. */
    private static int otherContainers() {
        String all = Shell.run("docker", "ps", "-q").trim();
        String ours = Shell.run("docker", "ps", "-q", "--filter", "label=" + Lab.LABEL).trim();
        return (int) (all.lines().filter(l -> !l.isBlank()).count() - ours.lines().filter(l -> !l.isBlank()).count());
    }

    /** The summary.md section: medians per variant, each against off, with the target and the load per run. */
    private static String section(Settings settings, List<Variant> variants, String image, List<Map<String, Object>> runs,
                                  List<Measurement> m) {
        Measurement rate = m.get(0);
        StringBuilder md = new StringBuilder();
        md.append("### Exactly-once source delivery (issue 19)\n\n")
                .append("Our image only (").append(image, 0, Math.min(image.length(), 19)).append("), PostgreSQL streaming of ")
                .append(settings.eosRows).append(" rows in ").append(settings.txnRows)
                .append("-row transactions; medians of up to ").append(settings.eosRuns)
                .append(" runs per variant, interleaved. Records read with isolation.level=read_committed. Target: on >= ")
                .append(Measurement.trim(TARGET)).append("x off (events/s visible).\n\n")
                .append("| variant | events/s (visible) | x off | events/s (append) | commit to visible p50 / p99 (ms) "
                        + "| commit to append p50 / p99 (ms) | worker CPU s / 1000 events | broker CPU s / 1000 events "
                        + "| records per transaction | paced " + settings.eosPacedRate + " rows/s: commit to visible p50 / p99 (ms) "
                        + "| target |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Variant v : variants) {
            Double ratio = rate.ratio(v.name);
            md.append("| ").append(v.name).append(v.connector.isEmpty() ? "" : " (" + v.connector + ")").append(" | ")
                    .append(cell(rate.median(v.name))).append(" | ")
                    .append(ratio == null ? "" : String.format(Locale.ROOT, "%.3f", ratio)).append(" | ")
                    .append(cell(m.get(1).median(v.name))).append(" | ")
                    .append(cell(m.get(2).median(v.name))).append(" / ").append(cell(m.get(3).median(v.name))).append(" | ")
                    .append(cell(m.get(4).median(v.name))).append(" / ").append(cell(m.get(5).median(v.name))).append(" | ")
                    .append(cell(m.get(6).median(v.name))).append(" | ")
                    .append(cell(m.get(7).median(v.name))).append(" | ")
                    .append(cell(m.get(8).median(v.name))).append(" | ")
                    .append(cell(m.get(9).median(v.name))).append(" / ").append(cell(m.get(10).median(v.name))).append(" | ")
                    .append(v.name.equals(OFF) || ratio == null ? "" : ratio >= TARGET ? "met" : "**missed**").append(" |\n");
        }
        md.append("\nRuns in order (load average before each, other containers on the machine, machine CPU busy during "
                + "the streaming):\n\n| run | variant | events/s | load (1/5/15 min) | other containers | machine busy |\n"
                + "|---:|---|---:|---|---:|---:|\n");
        for (Map<String, Object> r : runs) {
            md.append("| ").append(r.get("run")).append(" | ").append(r.get("variant")).append(" | ")
                    .append(r.containsKey("error") ? "failed: " + r.get("error")
                            : Measurement.trim((Double) r.get("visibleRate")))
                    .append(" | ").append(r.get("loadBefore")).append(" | ").append(r.get("otherContainers")).append(" | ")
                    .append(r.containsKey("machineBusyShare")
                            ? String.format(Locale.ROOT, "%.0f%%", 100 * (Double) r.get("machineBusyShare")) : "")
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String cell(Double value) {
        return value == null ? "" : Measurement.trim(value);
    }
}
