package io.connectaws.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where our image's time goes during a snapshot: a second snapshot of the same table by a second connector on the
 * same worker, under JFR (started with the image's own jcmd), read back with the JDK's JFR parser. Each execution
 * sample is charged to the first frame from the leaf that belongs to a known part (converter, producer, Debezium,
 * JDBC driver, logging, ...); GC is the pause time JFR recorded. Written to results.json under details.profile.
 */
final class Profile {

    /** Parts of the pipeline, by the package or class a frame belongs to; checked in this order. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("converter (JsonConverter, Jackson)", List.of("org.apache.kafka.connect.json.", "io.connectaws.json.", "com.fasterxml.jackson."));
        PARTS.put("producer (send, batching, compression, network)", List.of("org.apache.kafka.clients.producer.",
                "org.apache.kafka.common.record.", "org.apache.kafka.common.compress.", "net.jpountz.", "com.github.luben.",
                "org.xerial.snappy.", "org.apache.kafka.common.network.", "org.apache.kafka.clients.", "sun.nio.ch."));
        PARTS.put("Connect runtime (task loop, transforms, headers)", List.of("org.apache.kafka.connect."));
        PARTS.put("Debezium (events, queue, schema)", List.of("io.debezium."));
        PARTS.put("JDBC driver (PostgreSQL)", List.of("org.postgresql."));
        PARTS.put("logging", List.of("org.apache.logging.", "org.slf4j."));
    }

    private Profile() {
    }

    static void snapshot(Lab lab, Worker worker, Settings settings, Results results) throws Exception {
        String tag = "snapprof";
        String topic = tag + ".public.orders";
        try (Topics topics = new Topics(lab.bootstrap())) {
            topics.create(List.of(topic));
            long[] started = worker.exec("/opt/java/bin/jcmd", "1", "JFR.start", "name=bench", "settings=profile",
                    "filename=/scratch/bench.jfr");
            if (started[0] != 0) {
                results.details.put("profile", "JFR could not be started with jcmd in the image (exit " + started[0] + ")");
                return;
            }
            worker.rest().putConnector(tag, Workloads.postgres("snapdb", tag, tag, "public.orders", "initial"));
            Waits.until("profiled snapshot", Duration.ofMinutes(30), 200, () -> topics.end(topic) >= settings.snapshotRows);
            worker.exec("/opt/java/bin/jcmd", "1", "JFR.stop", "name=bench");
            worker.rest().delete("/connectors/" + tag);
        }
        Path recording = settings.out.resolve("snapshot-ours.jfr");
        Files.move(scratch().resolve("bench.jfr"), recording, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        results.details.put("profile", summarize(recording));
    }

    private static Path scratch;

    /** A host directory any container user may write, mounted at /scratch in the profiled worker. */
    static synchronized Path scratch() throws java.io.IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("bench-scratch-");
            scratch.toFile().setWritable(true, false);
            scratch.toFile().setExecutable(true, false);
        }
        return scratch;
    }

    /** Shares of execution samples by part and by thread, and GC pauses, of a JFR recording. */
    static Map<String, Object> summarize(Path jfr) throws Exception {
        Map<String, Long> byPart = new TreeMap<>();
        Map<String, Long> byThread = new TreeMap<>();
        long samples = 0;
        long gcCount = 0;
        double gcPauseMillis = 0;
        double firstSeconds = Double.MAX_VALUE;
        double lastSeconds = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            double at = event.getStartTime().toEpochMilli() / 1000.0;
            firstSeconds = Math.min(firstSeconds, at);
            lastSeconds = Math.max(lastSeconds, at);
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                byPart.merge(part(event), 1L, Long::sum);
                String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
                byThread.merge(threadGroup(thread), 1L, Long::sum);
            } else if (type.equals("jdk.GarbageCollection")) {
                gcCount++;
                gcPauseMillis += event.getDouble("sumOfPauses") > 0 ? event.getDuration("sumOfPauses").toNanos() / 1e6
                        : event.getDuration().toNanos() / 1e6;
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("executionSamples", samples);
        summary.put("sharesByPart", shares(byPart, samples));
        summary.put("sharesByThread", shares(byThread, samples));
        summary.put("gcCount", gcCount);
        summary.put("gcPauseMillis", Math.round(gcPauseMillis));
        summary.put("recordingSeconds", Math.round(lastSeconds - firstSeconds));
        return summary;
    }

    private static Map<String, String> shares(Map<String, Long> counts, long total) {
        Map<String, String> shares = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> shares.put(e.getKey(), String.format("%.1f%%", 100.0 * e.getValue() / Math.max(1, total))));
        return shares;
    }

    private static String part(RecordedEvent sample) {
        if (sample.getStackTrace() == null) {
            return "unknown";
        }
        for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            for (var part : PARTS.entrySet()) {
                for (String prefix : part.getValue()) {
                    if (type.startsWith(prefix)) {
                        return part.getKey();
                    }
                }
            }
        }
        return "JDK and other";
    }

    private static String threadGroup(String thread) {
        if (thread.startsWith("task-thread-") || thread.matches("pool-[0-9]+-thread-[0-9]+")) {
            return "Connect task thread (poll, convert, send)";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer network thread";
        }
        if (thread.contains("snapshot") || thread.contains("change-event-source-coordinator")) {
            return "Debezium snapshot/streaming thread";
        }
        return thread.replaceAll("[0-9]+", "N");
    }
}
