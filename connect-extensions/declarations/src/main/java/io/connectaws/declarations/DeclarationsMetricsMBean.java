package io.connectaws.declarations;

/** The declarations' figures, as MBean {@code io.connectaws:type=declarations}. */
public interface DeclarationsMetricsMBean {
    /** Connectors the sources declare (valid or not). */
    int getDeclared();

    /** Declarations and documents refused in the last round: the alarm's figure. */
    int getFailed();

    /** Connectors created from a declaration that is gone, kept because purge is off or a source was unreadable. */
    int getOrphaned();

    /** 1 while this worker is the one that applies (the group leader). */
    int getLeader();

    /** Connectors created, updated or moved to their declared state since start, once per connector and round. */
    long getAppliedTotal();

    /** Connectors deleted by purge since start. */
    long getDeletedTotal();

    /** Seconds since the last completed round, -1 before the first. */
    long getSecondsSinceLastRound();
}
