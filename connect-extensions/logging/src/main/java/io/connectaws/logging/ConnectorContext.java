package io.connectaws.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector, task and scope of a log event, parsed from the value Kafka Connect puts in the MDC under
 * {@value #MDC_KEY}. Connect 4.3.1 ({@code org.apache.kafka.connect.util.LoggingContext#prefixFor}) writes:
 * <ul>
 *   <li>{@code [my-connector|worker] } for the connector itself,</li>
 *   <li>{@code [my-connector|task-0] } for a task,</li>
 *   <li>{@code [my-connector|task-0|offsets] } for a task's offset commits,</li>
 * </ul>
 * and its {@code Scope} enum also has {@code validate}. A connector name may itself contain {@code |}, so the value is
 * read from its end. A value of another shape is kept whole as the connector (without the brackets), with no task or
 * scope.
 *
 * @param connector the connector's name
 * @param task      the task number, or {@code null} when the event is not a task's
 * @param scope     {@code worker}, {@code task}, {@code offsets}, {@code validate}, or {@code null} for an unknown shape
 */
public record ConnectorContext(String connector, Integer task, String scope) {

    /** The MDC key Connect's {@code LoggingContext} uses. */
    public static final String MDC_KEY = "connector.context";

    private static final String TASK_PREFIX = "task-";
    private static final String[] NON_TASK_SCOPES = {"worker", "offsets", "validate"};

    /** Parsed values: a worker has a handful of distinct contexts (connectors x tasks x scopes). */
    private static final Map<String, ConnectorContext> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 4096;

    /**
     * Parses an MDC value; {@code null} for {@code null} or a value without a connector name.
     */
    public static ConnectorContext parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        ConnectorContext cached = CACHE.get(value);
        if (cached != null) {
            return cached;
        }
        ConnectorContext parsed = doParse(value);
        if (parsed != null) {
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear();
            }
            CACHE.put(value, parsed);
        }
        return parsed;
    }

    private static ConnectorContext doParse(String value) {
        String inner = value.strip();
        if (!inner.startsWith("[") || !inner.endsWith("]")) {
            return inner.isEmpty() ? null : new ConnectorContext(inner, null, null);
        }
        inner = inner.substring(1, inner.length() - 1);
        String scope = null;
        for (String candidate : NON_TASK_SCOPES) {
            if (inner.endsWith("|" + candidate)) {
                scope = candidate;
                inner = inner.substring(0, inner.length() - candidate.length() - 1);
                break;
            }
        }
        Integer task = null;
        int bar = inner.lastIndexOf('|');
        // the worker scope is the connector's own: Connect writes no task number with it
        if (!"worker".equals(scope) && bar > 0 && inner.startsWith(TASK_PREFIX, bar + 1)) {
            task = parseTaskNumber(inner.substring(bar + 1 + TASK_PREFIX.length()));
            if (task != null) {
                inner = inner.substring(0, bar);
                if (scope == null) {
                    scope = "task";
                }
            }
        }
        if (inner.isEmpty()) {
            return null;
        }
        // scope null: not a shape Connect writes, the bracketed text is kept whole as the connector
        return new ConnectorContext(inner, task, scope);
    }

    private static Integer parseTaskNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 9) {
            return null;
        }
        int start = digits.charAt(0) == '-' ? 1 : 0; // ConnectorTaskId allows any int
        if (start == digits.length()) {
            return null;
        }
        for (int i = start; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.valueOf(digits);
    }
}
