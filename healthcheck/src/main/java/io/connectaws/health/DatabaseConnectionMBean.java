package io.connectaws.health;

/**
 * JMX view of one task of a Debezium source connector this worker owns:
 * {@code io.connectaws:type=database-connection,connector="NAME",task=N}. Present for every such task, so a
 * disconnected task reads 0 instead of being absent.
 */
public interface DatabaseConnectionMBean {
    /** 1 while the task is judged connected to its database, 0 once it has not been for health.disconnected.after.ms. */
    int getConnected();

    /** Seconds since the task was last seen connected (streaming-connected or snapshotting); 0 while it is. */
    long getNotConnectedSeconds();
}
