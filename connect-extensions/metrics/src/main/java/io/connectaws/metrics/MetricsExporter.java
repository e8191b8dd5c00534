package io.connectaws.metrics;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval, on one daemon thread: read the MBeans through the rules, shape the values for CloudWatch and
 * hand them to the sink. Closing runs one last cycle, so what happened since the last interval is not lost.
 */
public final class MetricsExporter implements MetricsExporterMBean, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsExporter.class);
    static final String MBEAN = "io.connectaws:type=metrics-exporter";
    private static final Duration FINAL_CYCLE_LIMIT = Duration.ofSeconds(10);

    private final JmxSampler sampler;
    private final CloudWatchShaper shaper;
    private final MetricsSink sink;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong failedCycles = new AtomicLong();
    private volatile int lastDataPoints;
    private volatile double lastCycleMillis;
    private boolean failing;
    private boolean registered;

    public MetricsExporter(JmxSampler sampler, CloudWatchShaper shaper, MetricsSink sink, Duration interval, Clock clock) {
        this.sampler = sampler;
        this.shaper = shaper;
        this.sink = sink;
        this.interval = interval;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connect-aws-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts exporting every interval, the first time one interval from now, and registers the exporter's MBean. */
    public void start() {
        long millis = interval.toMillis();
        executor.scheduleAtFixedRate(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(MBEAN);
            if (!server.isRegistered(name)) {
                server.registerMBean(this, name);
                registered = true;
            }
        } catch (JMException e) {
            log.warn("Cannot register {}: {}", MBEAN, e.toString());
        }
    }

    /** One cycle: sample, shape, publish. Never throws: a failed cycle is logged and counted. */
    public synchronized void runOnce() {
        long start = System.nanoTime();
        try {
            long timestamp = clock.millis();
            List<Datum> data = shaper.shape(sampler.sample());
            sink.publish(data, timestamp);
            lastDataPoints = data.size();
            if (failing) {
                log.info("Metrics export works again after {} failed cycles", failedCycles.get());
                failing = false;
            }
        } catch (RuntimeException | LinkageError e) {
            failedCycles.incrementAndGet();
            if (!failing) {
                log.warn("Metrics export cycle failed; this interval's points are lost (counters catch up next time)", e);
                failing = true;
            } else {
                log.warn("Metrics export cycle failed again: {}", e.toString());
            }
        } finally {
            cycles.incrementAndGet();
            lastCycleMillis = (System.nanoTime() - start) / 1e6;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(FINAL_CYCLE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                // the last interval's counts, e.g. a connector's final writes before the worker stops
                Thread last = new Thread(this::runOnce, "connect-aws-metrics-final");
                last.setDaemon(true);
                last.start();
                last.join(FINAL_CYCLE_LIMIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
        if (registered) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(MBEAN));
            } catch (JMException e) {
                // already gone
            }
        }
    }

    @Override
    public long getCycles() {
        return cycles.get();
    }

    @Override
    public long getFailedCycles() {
        return failedCycles.get();
    }

    @Override
    public int getLastDataPoints() {
        return lastDataPoints;
    }

    @Override
    public double getLastCycleMillis() {
        return lastCycleMillis;
    }

    @Override
    public int getPendingDataPoints() {
        return sink.pending();
    }
}
