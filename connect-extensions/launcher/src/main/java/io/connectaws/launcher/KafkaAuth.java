package io.connectaws.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the worker authenticates to Kafka, chosen by one variable, {@value #MODE}: {@code plaintext}, {@code tls},
 * {@code scram} or {@code iam} (Amazon MSK IAM). {@link #clientSettings()} gives the client properties the mode
 * stands for; {@link WorkerConfiguration} applies them to every client the worker and its connectors create.
 */
public final class KafkaAuth {

    public static final String MODE = "CONNECT_AWS_KAFKA_AUTH";
    public static final String TLS = "CONNECT_AWS_KAFKA_TLS";
    public static final String IAM_ROLE_ARN = "CONNECT_AWS_KAFKA_IAM_ROLE_ARN";
    public static final String IAM_SESSION_NAME = "CONNECT_AWS_KAFKA_IAM_SESSION_NAME";
    public static final String IAM_STS_REGION = "CONNECT_AWS_KAFKA_IAM_STS_REGION";
    public static final String SCRAM_USERNAME = "CONNECT_AWS_KAFKA_SCRAM_USERNAME";
    public static final String SCRAM_PASSWORD = "CONNECT_AWS_KAFKA_SCRAM_PASSWORD";
    public static final String SCRAM_MECHANISM = "CONNECT_AWS_KAFKA_SCRAM_MECHANISM";

    /** Every variable this class reads. */
    static final List<String> VARIABLES = List.of(MODE, TLS, IAM_ROLE_ARN, IAM_SESSION_NAME, IAM_STS_REGION,
            SCRAM_USERNAME, SCRAM_PASSWORD, SCRAM_MECHANISM);

    /** The accepted modes. */
    public enum Mode { PLAINTEXT, TLS, SCRAM, IAM }

    static final String IAM_LOGIN_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule";
    static final String IAM_CALLBACK_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}:]+:[^}]+}");
    /** MSK broker host names carry their region: b-1.name.abc123.c2.kafka.eu-west-1.amazonaws.com. */
    private static final Pattern MSK_HOST = Pattern.compile("(?i)[^,]*\\.kafka(-serverless)?\\.[a-z0-9-]+\\.amazonaws\\.com(:\\d+)?");

    private final Mode mode;
    private final Map<String, String> settings;

    private KafkaAuth(Mode mode, Map<String, String> settings) {
        this.mode = mode;
        this.settings = settings;
    }

    /**
     * Reads the mode and its options; {@code null} mode when {@value #MODE} is unset (the worker's own
     * {@code security.protocol} and {@code sasl.*} settings, if any, then stand as written).
     *
     * @param groupId the worker's group id, for the default IAM role session name
     * @throws LauncherException naming the variable when a value is unknown, missing or does not fit the mode
     */
    public static KafkaAuth fromEnvironment(Map<String, String> env, String bootstrapServers, String groupId) {
        String raw = value(env, MODE);
        if (raw == null) {
            for (String option : VARIABLES) {
                if (value(env, option) != null) {
                    throw new LauncherException(option + " is set but " + MODE + " is not: set " + MODE
                            + "=" + (option.contains("_IAM_") ? "iam" : option.contains("_SCRAM_") ? "scram" : "tls or scram or iam")
                            + ", or remove " + option);
                }
            }
            return new KafkaAuth(null, Map.of());
        }
        Mode mode;
        try {
            mode = Mode.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LauncherException(MODE + "=" + raw + " is not a Kafka auth mode: use plaintext, tls, scram "
                    + "(SASL/SCRAM, password from a config provider) or iam (Amazon MSK IAM)");
        }
        boolean tls = tls(env, mode);
        Map<String, String> s = new LinkedHashMap<>();
        switch (mode) {
            case PLAINTEXT -> s.put("security.protocol", "PLAINTEXT");
            case TLS -> s.put("security.protocol", "SSL");
            case SCRAM -> {
                onlyFor(env, mode, IAM_ROLE_ARN, IAM_SESSION_NAME, IAM_STS_REGION);
                String user = required(env, SCRAM_USERNAME, "the SCRAM user name, e.g. connect");
                String password = required(env, SCRAM_PASSWORD,
                        "a config provider reference such as ${secretsmanager:AmazonMSK_connect:password}");
                if (!REFERENCE.matcher(password).matches()) {
                    throw new LauncherException(SCRAM_PASSWORD + " must be a config provider reference such as "
                            + "${secretsmanager:AmazonMSK_connect:password}, not the password itself: the reference is "
                            + "resolved at run time, so the password is never stored in a config or printed");
                }
                String mechanism = env.getOrDefault(SCRAM_MECHANISM, "SCRAM-SHA-512").trim().toUpperCase(Locale.ROOT);
                if (!mechanism.equals("SCRAM-SHA-512") && !mechanism.equals("SCRAM-SHA-256")) {
                    throw new LauncherException(SCRAM_MECHANISM + "=" + mechanism
                            + " is not a SCRAM mechanism: use SCRAM-SHA-512 (the only one MSK offers) or SCRAM-SHA-256");
                }
                s.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
                s.put("sasl.mechanism", mechanism);
                s.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + jaasEscape(user) + "\" password=\"" + password + "\";");
            }
            case IAM -> {
                onlyFor(env, mode, SCRAM_USERNAME, SCRAM_PASSWORD, SCRAM_MECHANISM);
                StringBuilder jaas = new StringBuilder(IAM_LOGIN_MODULE).append(" required");
                String roleArn = value(env, IAM_ROLE_ARN);
                if (roleArn != null) {
                    if (!ROLE_ARN.matcher(roleArn).matches()) {
                        throw new LauncherException(IAM_ROLE_ARN + "=" + roleArn + " is not an IAM role ARN: use "
                                + "arn:aws:iam::<account>:role/<name>, or unset it to use the task role itself");
                    }
                    String session = value(env, IAM_SESSION_NAME);
                    if (session == null) {
                        session = defaultSessionName(groupId);
                    } else if (!SESSION_NAME.matcher(session).matches()) {
                        throw new LauncherException(IAM_SESSION_NAME + "=" + session + " is not a role session name: "
                                + "use 2 to 64 letters, digits or +=,.@_-");
                    }
                    jaas.append(" awsRoleArn=\"").append(roleArn).append("\" awsRoleSessionName=\"").append(session).append('"');
                    String stsRegion = value(env, IAM_STS_REGION);
                    if (stsRegion != null) {
                        if (!REGION.matcher(stsRegion).matches()) {
                            throw new LauncherException(IAM_STS_REGION + "=" + stsRegion + " is not an AWS region, e.g. eu-west-1");
                        }
                        jaas.append(" awsStsRegion=\"").append(stsRegion).append('"');
                    }
                } else {
                    onlyWith(env, IAM_SESSION_NAME, IAM_ROLE_ARN);
                    onlyWith(env, IAM_STS_REGION, IAM_ROLE_ARN);
                }
                if (value(env, "AWS_REGION") == null && value(env, "AWS_DEFAULT_REGION") == null
                        && !allMskHosts(bootstrapServers)) {
                    throw new LauncherException("MSK IAM signs for a region, and the bootstrap servers " + bootstrapServers
                            + " are not MSK host names that carry one: set AWS_REGION (ECS sets it for you)");
                }
                s.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
                s.put("sasl.mechanism", "AWS_MSK_IAM");
                s.put("sasl.jaas.config", jaas.append(';').toString());
                s.put("sasl.client.callback.handler.class", IAM_CALLBACK_HANDLER);
            }
            default -> throw new IllegalStateException(mode.name());
        }
        return new KafkaAuth(mode, Map.copyOf(s));
    }

    /** The chosen mode, or {@code null} when none was chosen. */
    public Mode mode() {
        return mode;
    }

    /** Client properties (unprefixed) the mode stands for; empty when no mode was chosen. */
    public Map<String, String> clientSettings() {
        return settings;
    }

    /** A stable session name, so a re-authentication keeps the same assumed-role principal. */
    static String defaultSessionName(String groupId) {
        String name = ("connect-" + (groupId == null ? "" : groupId)).replaceAll("[^\\w+=,.@-]", "-");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static boolean tls(Map<String, String> env, Mode mode) {
        String raw = value(env, TLS);
        if (raw == null) {
            return true;
        }
        if (mode != Mode.SCRAM && mode != Mode.IAM) {
            throw new LauncherException(TLS + " applies to scram and iam only (" + MODE + "=" + mode.name().toLowerCase(Locale.ROOT)
                    + " decides TLS itself): remove " + TLS);
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LauncherException(TLS + "=" + raw + " is not true or false (false only for a local broker "
                    + "without TLS; MSK requires TLS for SCRAM and IAM)");
        };
    }

    private static boolean allMskHosts(String bootstrapServers) {
        for (String host : bootstrapServers.split(",")) {
            if (!MSK_HOST.matcher(host.trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String required(Map<String, String> env, String variable, String what) {
        String v = value(env, variable);
        if (v == null) {
            throw new LauncherException(variable + " is not set: " + MODE + "=scram needs it, " + what);
        }
        return v;
    }

    private static void onlyFor(Map<String, String> env, Mode mode, String... variables) {
        for (String variable : variables) {
            if (value(env, variable) != null) {
                throw new LauncherException(variable + " does not apply to " + MODE + "=" + mode.name().toLowerCase(Locale.ROOT)
                        + ": remove it, or choose the mode it belongs to");
            }
        }
    }

    private static void onlyWith(Map<String, String> env, String variable, String companion) {
        if (value(env, variable) != null) {
            throw new LauncherException(variable + " applies only together with " + companion
                    + " (without a role the task role's own session is used): set " + companion + " or remove " + variable);
        }
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String value(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
