package io.connectaws.health;

/** Self-healing restarts of one connector and its tasks on this worker ({@code io.connectaws:type=self-healing,connector=NAME}). */
public interface ConnectorRestartsMBean {
    /** Restarts of the connector and its tasks since the worker started (a counter). */
    long getRestarts();
}
