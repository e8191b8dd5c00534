package io.connectaws.sourcedb;

import java.util.Objects;

/**
 * One thing a pre-flight check found: the connector config key it concerns (where Connect's validation shows it), the
 * message (setting, current value, needed value and the fix), and whether it stops the connector from being created.
 */
public record Finding(String key, String message, boolean blocking) {

    public Finding {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** A prerequisite that is not met: the connector would fail, or would break the database's writes. */
    public static Finding error(String key, String message) {
        return new Finding(key, message, true);
    }

    /** A risk worth a log line that does not stop the connector (a short binlog retention, a filter matching nothing). */
    public static Finding warning(String key, String message) {
        return new Finding(key, message, false);
    }
}
