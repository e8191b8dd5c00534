package io.connectaws.declarations;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers {@link DeclarationsMetricsMBean} while the worker runs; the image's exporter publishes it. */
final class DeclarationsMetrics implements DeclarationsMetricsMBean {
    private static final Logger log = LoggerFactory.getLogger(DeclarationsMetrics.class);
    static final String NAME = "io.connectaws:type=declarations";

    private volatile int declared;
    private volatile int failed;
    private volatile int orphaned;
    private volatile int leader;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private volatile long lastRoundNanos = -1;
    private boolean registered;

    void round(int declared, int failed, int orphaned, boolean leader, int appliedNow, int deletedNow, long nanos) {
        this.declared = declared;
        this.failed = failed;
        this.orphaned = orphaned;
        this.leader = leader ? 1 : 0;
        applied.addAndGet(appliedNow);
        deleted.addAndGet(deletedNow);
        lastRoundNanos = nanos;
    }

    @Override
    public int getDeclared() {
        return declared;
    }

    @Override
    public int getFailed() {
        return failed;
    }

    @Override
    public int getOrphaned() {
        return orphaned;
    }

    @Override
    public int getLeader() {
        return leader;
    }

    @Override
    public long getAppliedTotal() {
        return applied.get();
    }

    @Override
    public long getDeletedTotal() {
        return deleted.get();
    }

    @Override
    public long getSecondsSinceLastRound() {
        long last = lastRoundNanos;
        return last < 0 ? -1 : (System.nanoTime() - last) / 1_000_000_000L;
    }

    synchronized void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            registered = true;
        } catch (Exception e) {
            log.warn("Declarations: metrics MBean {} not registered: {}", NAME, e.toString());
        }
    }

    synchronized void unregister() {
        if (!registered) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(NAME));
        } catch (Exception e) {
            log.debug("Declarations: {} already gone", NAME);
        }
        registered = false;
    }
}
