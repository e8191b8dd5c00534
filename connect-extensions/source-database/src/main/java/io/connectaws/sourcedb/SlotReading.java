package io.connectaws.sourcedb;

/**
 * One reading of a replication slot; {@code walStatus} and {@code safeWalSizeBytes} are null where the server has no
 * such column (before PostgreSQL 13) or no value ({@code safe_wal_size} without {@code max_slot_wal_keep_size}).
 */
public record SlotReading(long retainedWalBytes, long confirmedFlushLagBytes, boolean active, String walStatus,
                          Long safeWalSizeBytes) {
}
