package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.ExporterBench.*;
import static io.connectaws.bench.metrics.SyntheticWorker.*;
import static io.connectaws.bench.metrics.RuleAnalysis.*;
import static io.connectaws.bench.metrics.Report.*;

import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import javax.management.ObjectName;

import io.connectaws.metrics.CloudWatchApiSink;
import io.connectaws.metrics.MetricsExporter;

/** CPU, allocation, wall time and heap of the exporter's cycles on one dedicated thread; the stream the emf sink writes to. */
final class Measurement {
    private Measurement() {
    }

    /** CPU, allocation and wall time of one piece of work on the calling thread. */
    record Cost(long cpu, long alloc, long wall) {
        static Cost of(Runnable work) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            long w0 = System.nanoTime();
            work.run();
            long w1 = System.nanoTime();
            long a1 = THREADS.getCurrentThreadAllocatedBytes();
            long c1 = THREADS.getCurrentThreadCpuTime();
            return new Cost(c1 - c0, a1 - a0, w1 - w0);
        }
    }

    static <T> T onBench(Callable<T> work) {
        try {
            return BENCH.submit(work).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Result {
        final String sink;
        Cost cold;
        long[] coldOutput;
        Cost[] cycles;
        long[][] outputs;
        long heapBefore;
        long heapAfter;
        long heapDropped;
        Histogram histogram;
        long gcCount;
        long gcMillis;
        long processCpu;
        long mainCpu;
        int exporterPoints;
        int samples;
        int pending;
        Supplier<long[]> output;

        Result(String sink) {
            this.sink = sink;
        }
    }

    static void measure(Result r, Worker worker, MetricsExporter exporter, Runnable afterCycle) {
        LOG.printf("bench: %s: cold cycle, %d warm-up, %d measured%n", r.sink, WARMUP, CYCLES);
        worker.traffic();
        r.output.get();
        r.cold = onBench(() -> Cost.of(exporter::runOnce));
        r.coldOutput = r.output.get();
        afterCycle.run();
        for (int i = 0; i < WARMUP; i++) {
            worker.traffic();
            onBench(() -> Cost.of(exporter::runOnce));
            r.output.get();
            afterCycle.run();
        }
        r.cycles = new Cost[CYCLES];
        r.outputs = new long[CYCLES][];
        long[] gc0 = gc();
        long process0 = processCpu();
        long main0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < CYCLES; i++) {
            worker.traffic();
            r.cycles[i] = onBench(() -> Cost.of(exporter::runOnce));
            r.outputs[i] = r.output.get();
            afterCycle.run();
        }
        r.mainCpu = THREADS.getCurrentThreadCpuTime() - main0;
        r.processCpu = processCpu() - process0;
        long[] gc1 = gc();
        r.gcCount = gc1[0] - gc0[0];
        r.gcMillis = gc1[1] - gc0[1];
        if (exporter.getFailedCycles() > 0) {
            throw new IllegalStateException(r.sink + ": " + exporter.getFailedCycles() + " failed cycles");
        }
    }

    /** The exporter and what only it references; cleared to measure the heap without it. */
    static final class Built {
        MetricsExporter exporter;
        CloudWatchApiSink sink;
    }

    /**
     * Heap with the warmed exporter and after closing and dropping it, at the same moment of the workload (no traffic
     * in between), so neither the workload's own growth nor one-off class data count; plus the growth since before
     * building it, which includes both.
     */
    static void retained(Result r, Built b, Runnable afterClose) {
        Histogram with = Histogram.take(); // first, so that it is in both heap readings
        r.heapAfter = usedAfterGc();
        b.exporter.close(); // runs one last cycle
        afterClose.run();
        b.exporter = null;
        b.sink = null;
        r.output = null;
        r.heapDropped = usedAfterGc();
        r.histogram = with.minus(Histogram.take());
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Heap in use after full collections: the lowest of five readings. */
    static long usedAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** The live objects by class, from the JVM's own GC.class_histogram (which runs a full collection first). */
    record Histogram(Map<String, long[]> byClass, long total) {
        static Histogram take() {
            try {
                String text = (String) SERVER.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
                Map<String, long[]> m = new HashMap<>();
                long total = 0;
                for (String line : text.split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4 && f[0].endsWith(":")) {
                        m.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                    } else if (f.length >= 3 && f[0].equals("Total")) {
                        total = Long.parseLong(f[2]);
                    }
                }
                return new Histogram(m, total);
            } catch (Exception e) {
                LOG.println("bench: no class histogram: " + e);
                return new Histogram(Map.of(), 0);
            }
        }

        Histogram minus(Histogram before) {
            Map<String, long[]> d = new HashMap<>();
            byClass.forEach((k, v) -> {
                long[] b = before.byClass.getOrDefault(k, new long[2]);
                if (v[1] != b[1]) d.put(k, new long[] {v[0] - b[0], v[1] - b[1]});
            });
            before.byClass.forEach((k, b) -> {
                if (!byClass.containsKey(k)) d.put(k, new long[] {-b[0], -b[1]});
            });
            return new Histogram(d, total - before.total);
        }
    }

    /** Discards what is written, counting writes (EmfSink writes each line at once) and bytes. */
    static final class Counting extends OutputStream {
        long writes;
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes += len;
        }
    }
}
