package io.connectaws.sourcedb;

/**
 * One PostgreSQL connector's replication slot as its worker last read it ({@link SlotLagCollector}), registered as
 * {@code io.connectaws:type=replication-slot,connector="NAME"} on the worker that runs the connector's Connector
 * instance. Every value is null (no value) until the slot was read, and again while the database cannot be reached
 * or the slot does not exist: a stale figure would look like a healthy one.
 */
public interface ReplicationSlotMBean {

    /** The slot's name ({@code slot.name}, Debezium's default {@code debezium}). */
    String getSlotName();

    /**
     * WAL the slot keeps the server from removing, in bytes: {@code pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)}
     * ({@code pg_last_wal_receive_lsn()} on a standby). Exported as {@code connect_aws_replication_slot_retained_wal_bytes}.
     */
    Long getRetainedWalBytes();

    /** WAL written since the position the connector last confirmed, in bytes ({@code confirmed_flush_lsn}). */
    Long getConfirmedFlushLagBytes();

    /** 1 while a process (the connector's task) streams from the slot, else 0. Exported as {@code connect_aws_replication_slot_active}. */
    Integer getActive();

    /** {@code wal_status}: reserved, extended, unreserved or lost (PostgreSQL 13 and later). */
    String getWalStatus();

    /** {@code safe_wal_size}: bytes the slot may still fall behind before {@code max_slot_wal_keep_size} removes its WAL. */
    Long getSafeWalSizeBytes();

    /** Seconds since the slot was last read; null before the first reading. */
    Long getSecondsSinceLastReading();
}
