package io.connectaws.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.Transferable;

/**
 * What this machine can move at all, for the same workloads, with no Connect in the way:
 * <ul>
 * <li>PostgreSQL logical decoding: pg_recvlogical with pgoutput (the plugin the connectors use) to /dev/null over the
 * same rows, one transaction and small transactions, from a slot made just before the rows were written;</li>
 * <li>PostgreSQL reading the snapshot's table: COPY of the table to /dev/null in the server;</li>
 * <li>Kafka's producer ceiling for the same records: Kafka's own ProducerPerformance tool in the broker's container,
 * sending values sampled from our image's snapshot topic (the very records, so the very sizes), once with the
 * producer's defaults and once with larger batches, linger and lz4; the higher of the two is the ceiling.</li>
 * </ul>
 * Each throughput measurement's limit is the lower of its database figure and the producer ceiling.
 */
final class Limits {

    private static final Pattern RATE = Pattern.compile("([0-9]+) records sent, ([0-9.]+) records/sec");
    static final String TUNED_PRODUCER = "linger.ms=10 batch.size=524288 compression.type=lz4";

    private Limits() {
    }

    static void run(Lab lab, Settings settings, Results results) throws Exception {
        Workloads workloads = new Workloads(lab);
        workloads.postgresDatabase("limitdb");
        try (Connection c = lab.pg("limitdb"); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_publication WHERE pubname = 'lim_pub'")) {
                if (!r.next()) {
                    s.execute("CREATE PUBLICATION lim_pub FOR TABLE public.orders");
                }
            }
        }
        List<Double> oneTxn = new ArrayList<>();
        List<Double> smallTxns = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        for (int run = 0; run < settings.limitRuns; run++) {
            oneTxn.add(decode(lab, workloads, "lim_one_" + run, settings.streamRows, false, settings.txnRows));
            smallTxns.add(decode(lab, workloads, "lim_small_" + run, settings.streamRows, true, settings.txnRows));
            if (settings.runs("snapshot")) {
                copy.add(copyRate(lab, settings.snapshotRows));
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("pgoutputOneTransactionRowsPerSecond", oneTxn);
        detail.put("pgoutputSmallTransactionsRowsPerSecond", smallTxns);
        detail.put("copyToDevNullRowsPerSecond", copy);

        List<Double> producerDefault = new ArrayList<>();
        List<Double> producerTuned = new ArrayList<>();
        if (Throughput.snapshotTopicOfOurs != null) {
            byte[] payloads = payloads(lab, Throughput.snapshotTopicOfOurs, 2000);
            lab.kafka.copyFileToContainer(Transferable.of(payloads), "/tmp/payloads.txt");
            detail.put("producerPayloadMeanBytes", payloads.length / 2000);
            for (int run = 0; run < settings.limitRuns; run++) {
                producerDefault.add(produce(lab, settings.producerRecords, ""));
                producerTuned.add(produce(lab, settings.producerRecords, TUNED_PRODUCER));
            }
        } else {
            detail.put("producer", "not measured: the snapshot scenario did not run, so there are no records to send");
        }
        detail.put("producerDefaultRecordsPerSecond", producerDefault);
        detail.put("producerTunedRecordsPerSecond", producerTuned);
        detail.put("producerTunedSettings", TUNED_PRODUCER);
        results.details.put("limits", detail);
        System.out.println("bench: limits " + detail);

        for (int i = 0; i < settings.limitRuns; i++) {
            Double producer = producerTuned.isEmpty() ? null : Math.max(producerTuned.get(i), producerDefault.get(i));
            addLimit(results.get("stream.one.rate"), oneTxn.get(i), producer);
            addLimit(results.get("stream.small.rate"), smallTxns.get(i), producer);
            if (!copy.isEmpty()) {
                addLimit(results.get("snapshot.rate"), Math.min(copy.get(i), oneTxn.get(i)), producer);
            }
        }
    }

    private static void addLimit(Measurement m, double database, Double producer) {
        if (m != null) {
            m.add(Measurement.LIMIT, producer == null ? database : Math.min(database, producer));
        }
    }

    /** Rows per second pg_recvlogical (pgoutput) decodes of {@code rows} rows written after its slot was made. */
    private static double decode(Lab lab, Workloads workloads, String slot, int rows, boolean small, int perTxn) throws Exception {
        String endLsn;
        try (Connection c = lab.pg("limitdb"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        }
        if (small) {
            workloads.insertSmallTransactions("limitdb", rows, perTxn);
        } else {
            workloads.insertOneTransaction("limitdb", "public.orders", rows);
        }
        try (Connection c = lab.pg("limitdb"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_current_wal_lsn()")) {
            r.next();
            endLsn = r.getString(1);
        }
        double seconds = timedInPostgres(lab, "pg_recvlogical -h 127.0.0.1 -U postgres -d limitdb -S " + slot
                + " --start --no-loop -o proto_version=1 -o publication_names=lim_pub -E " + endLsn + " -f /dev/null");
        try (Connection c = lab.pg("limitdb"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
        return rows / seconds;
    }

    private static double copyRate(Lab lab, int rows) throws Exception {
        return rows / timedInPostgres(lab, "psql -h 127.0.0.1 -U postgres -d snapdb -qc \"COPY public.orders TO '/dev/null'\"");
    }

    /** Runs {@code command} in the PostgreSQL container, timed there (no docker exec start-up in the figure). */
    private static double timedInPostgres(Lab lab, String command) throws Exception {
        ExecResult result = lab.postgres.execInContainer("sh", "-c", "export PGPASSWORD=" + Lab.PG_PASSWORD
                + "; s=$(date +%s%N); " + command + " || exit 1; e=$(date +%s%N); echo $((e - s))");
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("`" + command + "` failed: " + result.getStderr() + result.getStdout());
        }
        String[] lines = result.getStdout().trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].trim()) / 1e9;
    }

    /** Records per second of Kafka's ProducerPerformance with the sampled payloads and {@code props}. */
    private static double produce(Lab lab, int records, String props) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx1g", "-cp", "/opt/kafka/libs/*",
                "org.apache.kafka.tools.ProducerPerformance", "--topic", "limit-perf", "--num-records", Integer.toString(records),
                "--throughput", "-1", "--payload-file", "/tmp/payloads.txt", "--producer-props", "bootstrap.servers=" + Lab.KAFKA_INTERNAL));
        if (!props.isBlank()) {
            cmd.addAll(List.of(props.split(" ")));
        }
        ExecResult result = lab.kafka.execInContainer(cmd.toArray(String[]::new));
        Matcher last = null;
        for (String line : result.getStdout().split("\n")) {
            Matcher m = RATE.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        if (result.getExitCode() != 0 || last == null) {
            throw new IllegalStateException("ProducerPerformance failed (" + result.getExitCode() + "): " + result.getStderr());
        }
        return Double.parseDouble(last.group(2));
    }

    /** {@code count} record values of {@code topic}, one a line (JsonConverter writes no newlines). */
    private static byte[] payloads(Lab lab, String topic, int count) {
        StringBuilder lines = new StringBuilder();
        try (Topics topics = new Topics(lab.bootstrap())) {
            topics.read(topic, count, (append, value) -> lines.append(new String(value, StandardCharsets.UTF_8)).append('\n'));
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
