package io.connectaws.launcher;

import java.util.regex.Pattern;

/** Decides which configuration values are secret, for printing and for copying into connector configs. */
public final class Masking {

    /** What is printed instead of a secret value. */
    public static final String MASK = "********";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|secret|token|credential|\\.key$|apikey|api\\.key|private).*");
    private static final Pattern JAAS_KEY = Pattern.compile("(?i).*jaas\\.config$");
    /**
     * A JAAS option whose value is secret: {@code password="..."}, {@code clientSecret=...}, ... A quoted value never
     * closed runs to the end (Kafka refuses the config later, but it is printed first).
     */
    private static final Pattern JAAS_SECRET_OPTION = Pattern.compile(
            "(?i)(\\b[\\w.]*(password|secret|token|credential)[\\w.]*\\s*=\\s*)(\"(?:[^\"\\\\]|\\\\.)*(?:\"|$)|[^\\s;]+)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}:]+:[^}]+}");

    private Masking() {
    }

    /**
     * The value as it may be printed: secret-like keys masked whole, JAAS configs with each secret option masked
     * (so an IAM role ARN stays readable). A config provider reference is not a secret and is kept.
     */
    public static String printable(String key, String value) {
        // a provider's name (config.providers.secretsmanager.*) says nothing about its parameters' values
        String significant = key.replaceFirst("^config\\.providers\\.[^.]+\\.", "config.providers.");
        if (JAAS_KEY.matcher(significant).matches()) {
            return JAAS_SECRET_OPTION.matcher(value).replaceAll(m -> isReference(unquote(m.group(3)))
                    ? m.group().replace("\\", "\\\\").replace("$", "\\$")
                    : m.group(1).replace("$", "\\$") + MASK);
        }
        return SECRET_KEY.matcher(significant).matches() && !isReference(value) ? MASK : value;
    }

    /** True when printing the value as it is would show a secret. */
    public static boolean holdsSecret(String key, String value) {
        return !printable(key, value).equals(value);
    }

    private static boolean isReference(String value) {
        return REFERENCE.matcher(value.trim()).matches();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
