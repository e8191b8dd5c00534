package io.connectaws.launcher;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * Turns what stopped Connect's start (a settings error of Connect itself or of a REST extension, or anything else) into
 * the one line ECS shows last: the message, the setting's value masked when it looks secret, and the variable that set
 * it.
 */
final class StartFailure {

    private static final Pattern INVALID = Pattern.compile("Invalid value (.*?) for configuration ([^\\s:]+)(.*)",
            Pattern.DOTALL);
    private static final Pattern MISSING = Pattern.compile("Missing required configuration \"([^\"]+)\".*", Pattern.DOTALL);

    private StartFailure() {
    }

    /** Whether {@code failure} is a settings error (a {@link ConfigException} in its causes). */
    static boolean isSettings(Throwable failure) {
        return settingsError(failure) != null;
    }

    /**
     * The line, without the {@code connect-aws: cannot start:} prefix.
     *
     * @param originOf the variable (or "profile") that set a worker property, null when nothing did
     */
    static String describe(Throwable failure, Function<String, String> originOf) {
        ConfigException settings = settingsError(failure);
        if (settings == null) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return firstLine(root.getClass().getSimpleName() + ": " + root.getMessage());
        }
        String message = firstLine(settings.getMessage());
        Matcher invalid = INVALID.matcher(message);
        String key = null;
        if (invalid.matches()) {
            key = invalid.group(2);
            message = "Invalid value " + Masking.printable(key, invalid.group(1)) + " for configuration " + key
                    + invalid.group(3);
        } else {
            Matcher missing = MISSING.matcher(message);
            if (missing.matches()) {
                key = missing.group(1);
            }
        }
        if (key == null) {
            return message;
        }
        String origin = originOf.apply(key);
        String variable = origin == null ? EnvironmentMapping.variableFor(key)
                : origin.equals("profile") ? "the worker profile" : origin;
        return message + (message.endsWith(".") ? "" : ".") + " Set by " + variable
                + (origin == null ? " (unset: it is missing)" : "");
    }

    private static ConfigException settingsError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        String s = String.valueOf(text).strip();
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline);
    }
}
