package io.connectaws.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Avro through a schema registry against the default JSON with schemas (issue 21): our image only, the same
 * PostgreSQL workloads through each, AVRO_RUNS runs each, interleaved. {@code json} is the image's default converter
 * (Kafka's JsonConverter format, the schema in every record); {@code avro} sets Apicurio's AvroConverter on the
 * connector (key and value), against the registry stand-in of it/apicurio-local (in-memory, as the official image's
 * {@code -mem} flavour; {@code -Dbench.image.apicurio=} takes another image serving {@code /apis/registry/v2}).
 * <p>
 * Per run, a new worker (a new Connect group), connector, slot and topics:
 * <ul>
 * <li>snapshot of AVRO_SNAPSHOT_ROWS rows: rows / (last record in Kafka - first record in Kafka), the topic's end offset
 * polled every 100 ms;</li>
 * <li>streaming of AVRO_STREAM_ROWS rows in one transaction, then in TXN_ROWS-row transactions committed back to back:
 * rows / (last record's broker append time - the commit, or the start of the generator for the small ones: JSON and
 * Avro records are timed alike, without reading their payloads);</li>
 * <li>bytes per event: key + value + headers as serialised (what a consumer fetches before decompression; Apicurio's
 * converter puts the schema's id in a header by default), and what the broker stores (the snapshot topic's log size on
 * disk / its records: after the producer's lz4 batches).</li>
 * </ul>
 */
final class AvroCost {

    static final String JSON = "json";
    static final String AVRO = "avro";
    private static final String DATABASE = "avrodb";
    private static final String REGISTRY_URL = "http://apicurio:8080/apis/registry/v2";

    private AvroCost() {
    }

    /** The connector settings of a variant on top of the image's defaults. */
    static Map<String, String> converters(String variant) {
        Map<String, String> c = new LinkedHashMap<>();
        if (variant.equals(AVRO)) {
            for (String side : List.of("key", "value")) {
                c.put(side + ".converter", "io.apicurio.registry.utils.converter.AvroConverter");
                c.put(side + ".converter.apicurio.registry.url", REGISTRY_URL);
                c.put(side + ".converter.apicurio.registry.auto-register", "true");
                c.put(side + ".converter.apicurio.registry.find-latest", "true");
            }
        }
        return c;
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        int snapshotRows = settings.avroSnapshotRows;
        int streamRows = settings.avroStreamRows;
        Measurement snapshot = results.measure("avro.snapshot.rate", "Avro/JSON: PostgreSQL snapshot, " + snapshotRows
                + " rows", "events/s", true, null).sides(AVRO, JSON);
        Measurement one = results.measure("avro.one.rate", "Avro/JSON: PostgreSQL streaming, " + streamRows
                + " rows in one transaction", "events/s", true, null).sides(AVRO, JSON);
        Measurement small = results.measure("avro.small.rate", "Avro/JSON: PostgreSQL streaming, " + streamRows + " rows in "
                + settings.txnRows + "-row transactions", "events/s", true, null).sides(AVRO, JSON);
        Measurement serialized = results.measure("avro.bytesPerEvent", "Avro/JSON: key + value + headers bytes per event",
                "bytes", false, null).sides(AVRO, JSON);
        Measurement stored = results.measure("avro.storedBytesPerEvent", "Avro/JSON: bytes per event stored by the broker",
                "bytes", false, null).sides(AVRO, JSON);
        Measurement cpu = results.measure("avro.workerCpu", "Avro/JSON: worker CPU per 1,000 snapshot events",
                "CPU s", false, null).sides(AVRO, JSON);
        List<Map<String, Object>> runs = new ArrayList<>();
        results.details.put("avro.runs", runs);
        results.details.put("avro.registryImage", registryImage().asCanonicalNameString());

        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase(DATABASE);
        workloads.postgresTable(DATABASE, "public.snap", snapshotRows);
        try (GenericContainer<?> registry = new GenericContainer<>(registryImage())
                .withNetwork(lab.network).withNetworkAliases("apicurio").withLabel(Lab.LABEL, "lab")
                .withExposedPorts(8080).waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(2)));
             Topics topics = new Topics(lab.bootstrap())) {
            registry.start();
            for (int run = 0; run < settings.avroRuns; run++) {
                for (String variant : run % 2 == 0 ? List.of(JSON, AVRO) : List.of(AVRO, JSON)) {
                    String tag = "avro" + variant + run;
                    Map<String, Object> sample = new LinkedHashMap<>();
                    sample.put("run", run);
                    sample.put("variant", variant);
                    runs.add(sample);
                    String snapTopic = tag + ".public.snap";
                    String streamTopic = tag + ".public.orders";
                    topics.create(List.of(snapTopic, streamTopic, tag + ".public.ping"));
                    try (Worker worker = Worker.start(lab, Flavour.OURS, "bench-" + tag, Flavour.OURS.env("bench-" + tag),
                            settings.workerMemory)) {
                        worker.awaitReady(Duration.ofMinutes(3));
                        Map<String, String> connector = Workloads.postgres(DATABASE, tag, tag,
                                "public.snap,public.orders,public.ping", "initial");
                        connector.putAll(converters(variant));
                        double cpu0 = worker.cpuSeconds();
                        worker.rest().putConnector(tag, connector);
                        long[] first = {0};
                        long done = Waits.until(tag + " snapshot", Duration.ofMinutes(30), 100, () -> {
                            long end = topics.end(snapTopic);
                            if (end > 0 && first[0] == 0) {
                                first[0] = System.nanoTime();
                            }
                            return end >= snapshotRows;
                        });
                        double seconds = Waits.seconds(first[0], done);
                        snapshot.add(variant, snapshotRows / seconds);
                        cpu.add(variant, 1000 * (worker.cpuSeconds() - cpu0) / snapshotRows);
                        double[] sizes = serializedBytes(topics, snapTopic, snapshotRows);
                        serialized.add(variant, sizes[0] + sizes[1] + sizes[2]);
                        double onDisk = (double) topics.logSize(snapTopic) / snapshotRows;
                        stored.add(variant, onDisk);

                        Throughput.awaitStreaming(topics, tag + ".public.ping", () -> workloads.ping(DATABASE));
                        long base = topics.end(streamTopic);
                        long commit = workloads.insertOneTransaction(DATABASE, "public.orders", streamRows);
                        Waits.until(tag + " one transaction", Duration.ofMinutes(15), 100,
                                () -> topics.end(streamTopic) >= base + streamRows);
                        double oneRate = Throughput.Latencies.read(topics, streamTopic, base, streamRows, v -> commit).rate();
                        one.add(variant, oneRate);

                        long base2 = base + streamRows;
                        long start = System.currentTimeMillis();
                        workloads.insertSmallTransactions(DATABASE, streamRows, settings.txnRows);
                        Waits.until(tag + " small transactions", Duration.ofMinutes(15), 100,
                                () -> topics.end(streamTopic) >= base2 + streamRows);
                        double smallRate = Throughput.Latencies.read(topics, streamTopic, base2, streamRows, v -> start).rate();
                        small.add(variant, smallRate);

                        sample.put("snapshotEventsPerSecond", snapshotRows / seconds);
                        sample.put("keyBytesPerEvent", sizes[0]);
                        sample.put("valueBytesPerEvent", sizes[1]);
                        sample.put("headerBytesPerEvent", sizes[2]);
                        sample.put("storedBytesPerEvent", onDisk);
                        sample.put("oneTransactionEventsPerSecond", oneRate);
                        sample.put("smallTransactionsEventsPerSecond", smallRate);
                        System.out.printf("bench: avro/json %s run %d: snapshot %,.0f events/s, %,.0f + %,.0f + %,.0f bytes per event"
                                        + " (%,.0f stored); streaming one txn %,.0f events/s, small txns %,.0f events/s%n",
                                variant, run, snapshotRows / seconds, sizes[0], sizes[1], sizes[2], onDisk, oneRate, smallRate);
                    }
                    workloads.dropInactiveSlots();
                    results.sections.put("avro", section(List.of(snapshot, one, small, cpu, serialized, stored)));
                    results.write();
                }
            }
        }
    }

    static DockerImageName registryImage() {
        return DockerImageName.parse(System.getProperty("bench.image.apicurio", "connect-aws-it/apicurio-local:local"));
    }

    /** The summary's section: medians of each converter and avro / json. */
    private static String section(List<Measurement> measurements) {
        StringBuilder md = new StringBuilder("### Avro through Apicurio against JSON with schemas (our image)\n\n");
        md.append("| measurement | json | avro | avro/json |\n|---|---:|---:|---:|\n");
        for (Measurement m : measurements) {
            Double ratio = m.ratio();
            md.append("| ").append(m.label.replace("Avro/JSON: ", "")).append(" (").append(m.unit).append(") | ")
                    .append(cell(m.median(JSON))).append(" | ").append(cell(m.median(AVRO))).append(" | ")
                    .append(ratio == null ? "" : Measurement.trim(ratio) + "x").append(" |\n");
        }
        return md.toString();
    }

    private static String cell(Double value) {
        return value == null ? "" : Measurement.trim(value);
    }

    /** Mean key, value and header sizes of the first {@code count} records of {@code topic}, as serialised. */
    private static double[] serializedBytes(Topics topics, String topic, long count) {
        long[] sums = new long[3];
        topics.records(topic, count, r -> {
            sums[0] += Math.max(0, r.serializedKeySize());
            sums[1] += Math.max(0, r.serializedValueSize());
            for (var header : r.headers()) {
                sums[2] += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
        });
        return new double[] {(double) sums[0] / count, (double) sums[1] / count, (double) sums[2] / count};
    }
}
