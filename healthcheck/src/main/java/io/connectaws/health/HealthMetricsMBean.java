package io.connectaws.health;

/** JMX view of this worker's health ({@code io.connectaws:type=health}), for the metrics exporter and JConsole. */
public interface HealthMetricsMBean {
    /** 1 while liveness passes, else 0. */
    int getLive();

    /** 1 while readiness passes, else 0. */
    int getReady();

    /** Connector instances this worker runs (PAUSED/STOPPED connectors not counted). */
    int getOwnedConnectors();

    /** Tasks this worker runs (those of PAUSED/STOPPED connectors not counted). */
    int getOwnedTasks();

    /** Owned connectors in an unhealthy state, ignored ones excluded. */
    int getUnhealthyConnectors();

    /** Owned tasks in an unhealthy state, ignored ones excluded. */
    int getUnhealthyTasks();

    /**
     * Owned tasks of Debezium source connectors not connected to their database for {@code health.disconnected.after.ms}
     * (whatever their Connect state, ignore list or not): the number of {@code type=database-connection} MBeans with
     * Connected 0.
     */
    int getDisconnectedTasks();

    /** Owned connectors and tasks in an unhealthy state that the ignore list leaves out. */
    int getIgnoredUnhealthy();

    /** Restarts self-healing has made since the worker started (a counter). */
    long getSelfHealingRestarts();

    /** Restart requests Connect did not accept (a counter). */
    long getSelfHealingRefused();

    /** Seconds since the last completed health check. */
    long getSecondsSinceLastCheck();
}
