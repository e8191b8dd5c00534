package io.connectaws.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigTransformer;

/**
 * Where a connector config may hold a config provider reference ({@code ${secretsmanager:NAME:KEY}}, {@code ${ssm:/P}},
 * any provider the worker configures): only in a key its plugin declares as a password, or in an identity key
 * ({@code database.user}, {@code database.hostname}, ...) and there only a secret key of the same meaning
 * ({@code username} in {@code database.user}, {@code host} in {@code database.hostname}). Anywhere else a resolved
 * secret can end up in a topic name, a log line, an error message or a REST reply, so the config is refused before
 * any value is resolved. Checked by the herder at validation (every REST write and the validate endpoint, hence
 * declared connectors too) and again when a stored config is resolved to start a connector or task.
 */
public final class SecretReferencePolicy {

    /** The keys a plugin class declares as {@code ConfigDef.Type.PASSWORD}; empty for a class it cannot load. */
    @FunctionalInterface
    public interface PasswordKeys {
        Set<String> of(String pluginClass);
    }

    /** The worker setting that adds identity keys: {@code KEY=WORD|WORD} or {@code KEY=*}, comma-separated. */
    public static final String SETTING = "CONNECT_AWS_SECRET_REFERENCE_KEYS";

    /** Identity keys teams keep in secrets (RDS secrets hold host, port, username, dbname) and the words they accept. */
    public static final Map<String, List<String>> DEFAULT_IDENTITY_KEYS = defaults();

    /** Kafka's own reference pattern, {@code ${provider:[path:]key}}: what the worker resolves, no more, no less. */
    private static final Pattern REFERENCE = ConfigTransformer.DEFAULT_PATTERN;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    private static final List<String> CLIENT_PREFIXES = List.of("producer.override.", "consumer.override.",
            "admin.override.", "schema.history.internal.producer.", "schema.history.internal.consumer.",
            "database.history.producer.", "database.history.consumer.", "signal.consumer.");
    private static final List<String> PLUGIN_PREFIXES = List.of("key.converter.", "value.converter.", "header.converter.");

    private final Map<String, List<String>> identityKeys;
    private final Set<String> providers;

    private SecretReferencePolicy(Map<String, List<String>> identityKeys, Set<String> providers) {
        this.identityKeys = identityKeys;
        this.providers = providers;
    }

    /**
     * The policy for a worker whose config providers are {@code providers}, with the default identity keys plus those of
     * {@code extraKeys} (the {@link #SETTING} value, may be blank).
     *
     * @throws IllegalArgumentException naming the entry of {@code extraKeys} that cannot be read and the accepted form
     */
    public static SecretReferencePolicy of(Set<String> providers, String extraKeys) {
        TreeMap<String, List<String>> keys = new TreeMap<>(DEFAULT_IDENTITY_KEYS);
        for (String entry : extraKeys == null ? new String[0] : extraKeys.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String key = eq < 0 ? e : e.substring(0, eq).trim();
            String words = eq < 0 ? "" : e.substring(eq + 1).trim();
            List<String> list = Arrays.stream(words.split("\\|")).map(String::trim).filter(w -> !w.isEmpty())
                    .map(w -> w.toLowerCase(Locale.ROOT)).toList();
            boolean any = list.equals(List.of("*"));
            if (!KEY.matcher(key).matches() || list.isEmpty() || (!any && !list.stream().allMatch(w -> WORD.matcher(w).matches()))) {
                throw new IllegalArgumentException(SETTING + " has an entry that is not KEY=WORD|WORD or KEY=*: '"
                        + abbreviate(e) + "'. Example: " + SETTING + "=kafka.user=username|user "
                        + "(a reference in KEY may then name only a secret key ending in one of the words; * accepts any)");
            }
            keys.put(key, list);
        }
        return new SecretReferencePolicy(Collections.unmodifiableSortedMap(keys), Set.copyOf(providers));
    }

    /** The identity keys this policy accepts references in, in order, with their words ({@code *}: any secret key). */
    public Map<String, List<String>> identityKeys() {
        return identityKeys;
    }

    /**
     * Why {@code config} may not be resolved, or empty when each of its references sits where the policy accepts it.
     * The reason names the key and the rule; it quotes the reference (a name, never a value).
     */
    public Optional<String> refusal(Map<String, String> config, PasswordKeys passwordKeys) {
        // called each time the herder resolves a stored config: no copy, and the first key in order is reported
        String firstKey = null;
        String reason = null;
        Set<String> connectorPasswords = null;
        for (Map.Entry<String, String> e : config.entrySet()) {
            String value = e.getValue();
            String key = e.getKey();
            if (value == null || !value.contains("${") || (firstKey != null && key.compareTo(firstKey) >= 0)) {
                continue;
            }
            Matcher m = REFERENCE.matcher(value);
            while (m.find()) {
                if (!providers.contains(m.group(1))) {
                    continue; // Kafka leaves it as text: nothing is resolved
                }
                if (connectorPasswords == null) {
                    String cls = config.get("connector.class");
                    connectorPasswords = cls == null ? Set.of() : passwordKeys.of(cls);
                }
                if (isPassword(key, config, connectorPasswords, passwordKeys)) {
                    break;
                }
                String why = why(key, m);
                if (why != null) {
                    firstKey = key;
                    reason = why;
                    break;
                }
            }
        }
        return Optional.ofNullable(reason);
    }

    /** Why the reference {@code m} may not sit in {@code key} (not a password key), or null when it may. */
    private String why(String key, Matcher m) {
        List<String> words = identityKeys.get(key);
        String reference = m.group();
        if (words == null) {
            return key + " holds the config provider reference " + reference + ", but a reference "
                    + "is accepted only in a key its plugin declares as a password (such as database.password) or "
                    + "in an identity key (" + String.join(", ", identityKeys.keySet()) + "), "
                    + "so that no secret can reach a topic name, a log line or a REST reply. Write the value "
                    + "itself in " + key + ", or, if the team keeps this identity in a secret, add "
                    + key + "=WORD to " + SETTING + " (docs/security.md)";
        }
        if (!words.contains("*") && !means(m.group(4), words)) {
            return key + " may reference only a secret key meaning " + String.join(" or ", words)
                    + ", and " + reference + " names '" + lastSegment(m.group(4)) + "': an identity key's value "
                    + "can be echoed by drivers and logs, so it may not hold another kind of secret. Reference the "
                    + "secret's " + words.get(0) + " key, or widen the rule with " + SETTING + "=" + key + "=WORD "
                    + "(docs/security.md)";
        }
        return null;
    }

    private static boolean isPassword(String key, Map<String, String> config, Set<String> connectorPasswords,
                                      PasswordKeys passwordKeys) {
        if (connectorPasswords.contains(key)) {
            return true;
        }
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return ClientPasswords.of(prefix).contains(key.substring(prefix.length()));
            }
        }
        for (String prefix : PLUGIN_PREFIXES) {
            String cls = config.get(prefix.substring(0, prefix.length() - 1));
            if (key.startsWith(prefix) && cls != null) {
                return passwordKeys.of(cls.trim()).contains(key.substring(prefix.length()));
            }
        }
        for (String kind : List.of("transforms.", "predicates.")) {
            if (key.startsWith(kind)) {
                String rest = key.substring(kind.length());
                int dot = rest.indexOf('.');
                String cls = dot < 0 ? null : config.get(kind + rest.substring(0, dot) + ".type");
                return cls != null && passwordKeys.of(cls.trim()).contains(rest.substring(dot + 1));
            }
        }
        return false;
    }

    /** True when the reference's key (its last path segment) ends in one of {@code words}, at a word boundary. */
    static boolean means(String referenceKey, List<String> words) {
        List<String> parts = words(lastSegment(referenceKey));
        for (int i = 0; i < parts.size(); i++) {
            if (words.contains(String.join("", parts.subList(i, parts.size())))) {
                return true;
            }
        }
        return false;
    }

    private static String lastSegment(String referenceKey) {
        String k = referenceKey.trim();
        int cut = Math.max(k.lastIndexOf('/'), k.lastIndexOf(':'));
        return k.substring(cut + 1);
    }

    /** {@code masterUserName}, {@code DB_USER}, {@code db-user.name} as lower-case words. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String chunk : s.split("[^A-Za-z0-9]+")) {
            for (String w : chunk.split("(?<=[a-z0-9])(?=[A-Z])")) {
                if (!w.isEmpty()) {
                    out.add(w.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static Map<String, List<String>> defaults() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String k : List.of("database.user", "database.username", "connection.user", "connection.username")) {
            m.put(k, List.of("username", "user"));
        }
        for (String k : List.of("database.hostname", "database.host")) {
            m.put(k, List.of("host", "hostname"));
        }
        m.put("database.port", List.of("port"));
        for (String k : List.of("database.dbname", "database.names")) {
            m.put(k, List.of("dbname", "database", "databasename"));
        }
        return Map.copyOf(m);
    }
}
