package io.connectaws.health;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Shortens a failure's stack trace for the readiness reply and removes what looks like a credential from it. Connect's
 * own status endpoint shows the whole trace; this reply may go further (an alarm, a load balancer log), so literal
 * values of the connector's secret-like settings and {@code password=...} pairs are replaced.
 */
final class Traces {
    static final String HIDDEN = "[hidden]";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|passphrase|jaas\\.config|private\\.key|access\\.key|api\\.key)s?$");
    private static final Pattern INLINE = Pattern.compile(
            "(?i)((?:password|passwd|secret|token)\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&)\"']+)");

    private Traces() {
    }

    /** At most {@code max} characters of {@code trace}, secrets of {@code connectorConfig} hidden; null for 0 or none. */
    static String shorten(String trace, int max, Map<String, String> connectorConfig) {
        if (trace == null || trace.isBlank() || max <= 0) return null;
        String s = trace;
        for (Map.Entry<String, String> e : connectorConfig.entrySet()) {
            String v = e.getValue();
            if (v != null && v.length() >= 4 && !v.contains("${") && SECRET_KEY.matcher(e.getKey()).matches()) {
                s = s.replace(v, HIDDEN);
            }
        }
        s = INLINE.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + HIDDEN));
        s = s.strip();
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
