package io.connectaws.health;

/**
 * A connector instance ({@code task == null}) or one of its tasks, with the state Connect reports for it, or the
 * health extension's DISCONNECTED for a RUNNING task that has not been connected to its database for too long, with
 * a {@code detail} saying so.
 */
record Unit(String connector, Integer task, String state, String workerId, String trace, String detail) {

    Unit(String connector, Integer task, String state, String workerId, String trace) {
        this(connector, task, state, workerId, trace, null);
    }

    /** The same unit in another state, with a detail that explains it. */
    Unit as(String newState, String newDetail) {
        return new Unit(connector, task, newState, workerId, trace, newDetail);
    }

    /** Stable key: {@code name} for the connector, {@code name/3} for task 3. */
    String key() {
        return task == null ? connector : connector + "/" + task;
    }

    /** How logs name it: {@code connector orders} or {@code task orders-0}, as Connect's own logs do. */
    String label() {
        return task == null ? "connector " + connector : "task " + connector + "-" + task;
    }
}
