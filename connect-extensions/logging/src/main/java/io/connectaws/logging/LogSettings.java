package io.connectaws.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The image's logging settings from the environment, in the variables the Debezium and Confluent images use:
 * <ul>
 *   <li>{@value #LOG_FORMAT}: {@code text} (default) or {@code json}, one JSON object per line for CloudWatch Logs
 *       Insights. log4j2.properties itself picks the layout through the {@code ${connectaws:logFormat}} lookup
 *       ({@link ConnectAwsLookup}), from the first line on; this class only validates the value.</li>
 *   <li>{@value #LOG_LEVEL} (Debezium) or {@value #ROOT_LOGLEVEL} (Confluent): the root logger's level. Loggers the
 *       config file sets explicitly (the chattiest ones, quieted) keep their level.</li>
 *   <li>{@value #LOGGERS} (both): {@code logger.name=LEVEL} pairs separated by commas, e.g.
 *       {@code org.apache.kafka.connect.runtime.rest=WARN,io.debezium=DEBUG}.</li>
 * </ul>
 * Levels are log4j's: OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL, in any case. An unset or blank variable is
 * ignored.
 *
 * <p>Usage, first thing in {@code main}: {@code LogSettings.fromEnvironment(System.getenv()).apply()}, turning the
 * {@link IllegalArgumentException} into a one-line exit message.
 */
public final class LogSettings {

    /** {@code text} (default) or {@code json}. */
    public static final String LOG_FORMAT = "CONNECT_AWS_LOG_FORMAT";
    /** System property the {@code connectaws} lookup reads when {@value #LOG_FORMAT} is not set (tests, JVM options). */
    public static final String LOG_FORMAT_PROPERTY = "connect.aws.log.format";
    /** Root level, as in Debezium's image. */
    public static final String LOG_LEVEL = "LOG_LEVEL";
    /** Root level, as in Confluent's image. */
    public static final String ROOT_LOGLEVEL = "CONNECT_LOG4J_ROOT_LOGLEVEL";
    /** {@code logger=LEVEL,...}, as in Debezium's and Confluent's images. */
    public static final String LOGGERS = "CONNECT_LOG4J_LOGGERS";

    /** The layouts of log4j2.properties: each value names the appender that uses it. */
    public enum Format {
        TEXT, JSON;

        /** The value of {@value LogSettings#LOG_FORMAT}, which is also the appender's name in log4j2.properties. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<Level> LEVELS = List.of(Level.OFF, Level.FATAL, Level.ERROR, Level.WARN, Level.INFO,
            Level.DEBUG, Level.TRACE, Level.ALL);
    private static final String ACCEPTED_LEVELS = "use OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL";
    private static final String LOGGERS_EXAMPLE = "org.apache.kafka.connect.runtime.rest=WARN,io.debezium=DEBUG";

    private final Format format;
    private final Level rootLevel;
    private final String rootLevelVariable;
    private final Map<String, Level> loggerLevels;

    private LogSettings(Format format, Level rootLevel, String rootLevelVariable, Map<String, Level> loggerLevels) {
        this.format = format;
        this.rootLevel = rootLevel;
        this.rootLevelVariable = rootLevelVariable;
        this.loggerLevels = Collections.unmodifiableMap(loggerLevels);
    }

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalArgumentException with a one-line message naming the variable, its bad value and what it accepts
     */
    public static LogSettings fromEnvironment(Map<String, String> environment) {
        Format format = parseFormat(LOG_FORMAT, environment.get(LOG_FORMAT));

        Level debeziumRoot = parseLevel(LOG_LEVEL, environment.get(LOG_LEVEL));
        Level confluentRoot = parseLevel(ROOT_LOGLEVEL, environment.get(ROOT_LOGLEVEL));
        if (debeziumRoot != null && confluentRoot != null && debeziumRoot != confluentRoot) {
            throw new IllegalArgumentException(LOG_LEVEL + "=" + debeziumRoot + " and " + ROOT_LOGLEVEL + "=" + confluentRoot
                    + " set different root log levels: set one of them");
        }
        Level rootLevel = debeziumRoot != null ? debeziumRoot : confluentRoot;
        String rootLevelVariable = debeziumRoot != null ? LOG_LEVEL : confluentRoot != null ? ROOT_LOGLEVEL : null;

        String loggers = environment.get(LOGGERS);
        Level debeziumRootLogger = debeziumRootLogger(loggers);
        if (debeziumRootLogger != null) {
            // Debezium's image writes this variable into log4j.rootLogger ("INFO, stdout"): a root level, not pairs
            if (rootLevel != null && rootLevel != debeziumRootLogger) {
                throw new IllegalArgumentException(rootLevelVariable + "=" + rootLevel + " and " + LOGGERS + "=" + loggers
                        + " set different root log levels: set one of them");
            }
            return new LogSettings(format, debeziumRootLogger, rootLevelVariable == null ? LOGGERS : rootLevelVariable, Map.of());
        }
        return new LogSettings(format, rootLevel, rootLevelVariable, parseLoggers(loggers));
    }

    /**
     * The format a value of {@value #LOG_FORMAT} selects: {@code text} or {@code json} in any case; unset or blank is
     * {@code text}.
     *
     * @param variable the variable's name, for the message
     * @throws IllegalArgumentException for any other value
     */
    public static Format parseFormat(String variable, String value) {
        if (isBlank(value)) {
            return Format.TEXT;
        }
        String format = value.strip().toLowerCase(Locale.ROOT);
        for (Format candidate : Format.values()) {
            if (candidate.value().equals(format)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(
                variable + "=" + value + " is not a log format: use text (the default) or json");
    }

    /**
     * A log level by its name in any case; {@code null} for an unset or blank value.
     *
     * @param variable the variable's name, for the message
     * @throws IllegalArgumentException for a name that is not one of log4j's standard levels
     */
    public static Level parseLevel(String variable, String value) {
        if (isBlank(value)) {
            return null;
        }
        Level level = standardLevel(value.strip());
        if (level == null) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a log level: " + ACCEPTED_LEVELS);
        }
        return level;
    }

    /** The level of a Debezium-style root logger value ({@code INFO, stdout}), or null for any other value. */
    private static Level debeziumRootLogger(String value) {
        if (isBlank(value) || value.indexOf('=') >= 0) {
            return null;
        }
        return standardLevel(value.split(",")[0].strip());
    }

    private static Map<String, Level> parseLoggers(String value) {
        Map<String, Level> levels = new LinkedHashMap<>();
        if (isBlank(value)) {
            return levels;
        }
        for (String item : value.split(",")) {
            String pair = item.strip();
            if (pair.isEmpty()) {
                continue; // a trailing comma
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals).strip();
            String levelName = equals < 0 ? "" : pair.substring(equals + 1).strip();
            if (equals < 0 || name.isEmpty() || levelName.isEmpty() || levelName.indexOf('=') >= 0
                    || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(LOGGERS + "=" + value + " has \"" + pair
                        + "\", which is not logger.name=LEVEL: use comma-separated pairs such as " + LOGGERS_EXAMPLE);
            }
            Level level = standardLevel(levelName);
            if (level == null) {
                throw new IllegalArgumentException(LOGGERS + "=" + value + " has \"" + pair + "\": " + levelName
                        + " is not a log level: " + ACCEPTED_LEVELS);
            }
            Level previous = levels.put(name, level);
            if (previous != null && previous != level) {
                throw new IllegalArgumentException(LOGGERS + "=" + value + " sets " + name + " to both " + previous
                        + " and " + level + ": keep one");
            }
        }
        return levels;
    }

    private static Level standardLevel(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Level level : LEVELS) {
            if (level.name().equals(upper)) {
                return level;
            }
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The layout {@value #LOG_FORMAT} selects (log4j2.properties applies it by itself). */
    public Format format() {
        return format;
    }

    /** The root level from {@value #LOG_LEVEL} or {@value #ROOT_LOGLEVEL}; empty when neither is set. */
    public Optional<Level> rootLevel() {
        return Optional.ofNullable(rootLevel);
    }

    /** The levels of {@value #LOGGERS}, in their order there. */
    public Map<String, Level> loggerLevels() {
        return loggerLevels;
    }

    /**
     * Sets the root level and the loggers' levels in the running log4j configuration (the one of the caller's class
     * loader, the worker's in the image). Does nothing for what the environment does not set.
     */
    public void apply() {
        if (rootLevel != null) {
            Configurator.setRootLevel(rootLevel);
        }
        if (!loggerLevels.isEmpty()) {
            Configurator.setLevel(loggerLevels);
        }
    }

    /** One line for the launcher's startup log, e.g. {@code format json, root level DEBUG (LOG_LEVEL), loggers io.debezium=DEBUG}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("format ").append(format.value());
        text.append(", root level ").append(rootLevel == null ? "from log4j2.properties"
                : rootLevel + " (" + rootLevelVariable + ")");
        if (!loggerLevels.isEmpty()) {
            text.append(", loggers ").append(loggerLevels.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }
        return text.toString();
    }
}
