package io.connectaws.logging;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.lookup.AbstractLookup;
import org.apache.logging.log4j.core.lookup.StrLookup;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The {@code connectaws} lookup of log4j2.properties. {@code ${connectaws:logFormat}} is {@code text} or {@code json}:
 * from the environment variable {@value LogSettings#LOG_FORMAT}, else the system property
 * {@value LogSettings#LOG_FORMAT_PROPERTY}, else {@code text}; in any case, blank meaning unset. The value names the
 * appender the root logger writes to, so the layout is chosen before the first line is logged and without a shell.
 *
 * <p>An invalid value gives {@code text} and a warning on stderr rather than a reference to no appender (which would
 * lose every line); the launcher then stops with {@link LogSettings#fromEnvironment}'s message. Config files should
 * still write {@code ${connectaws:logFormat:-text}}, which stays {@code text} should this plugin be missing.
 */
@Plugin(name = "connectaws", category = StrLookup.CATEGORY)
public final class ConnectAwsLookup extends AbstractLookup {

    /** The lookup's one key. */
    public static final String LOG_FORMAT_KEY = "logFormat";

    @Override
    public String lookup(LogEvent event, String key) {
        return LOG_FORMAT_KEY.equals(key) ? logFormat(System.getenv(), System::getProperty) : null;
    }

    static String logFormat(Map<String, String> environment, UnaryOperator<String> systemProperties) {
        String variable = LogSettings.LOG_FORMAT;
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            variable = LogSettings.LOG_FORMAT_PROPERTY;
            value = systemProperties.apply(variable);
        }
        try {
            return LogSettings.parseFormat(variable, value).value();
        } catch (IllegalArgumentException e) {
            StatusLogger.getLogger().warn("connect-aws: {}; logging as text", e.getMessage());
            return LogSettings.Format.TEXT.value();
        }
    }
}
