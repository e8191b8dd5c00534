package io.connectaws.health;

/** A connector instance ({@code task == null}) or one of its tasks, with the state Connect reports for it. */
record Unit(String connector, Integer task, String state, String workerId, String trace) {

    /** Stable key: {@code name} for the connector, {@code name/3} for task 3. */
    String key() {
        return task == null ? connector : connector + "/" + task;
    }

    /** How logs name it: {@code connector orders} or {@code task orders-0}, as Connect's own logs do. */
    String label() {
        return task == null ? "connector " + connector : "task " + connector + "-" + task;
    }
}
