package io.connectaws.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The jmx_exporter rules file that drives both the CloudWatch exporter and the Prometheus agent. {@link #load} has
 * jmx_exporter's own parser ({@code new JmxCollector(yaml)}) judge the file, and adds only what that parser does not
 * check or reports as a bare ClassCastException: unknown keys (the collector ignores them, so a typo silently exports
 * nothing), a remote {@code jmxUrl}/{@code hostPort}, an empty rule list, rule types, and values of the wrong type,
 * each as one message naming the file, the rule and the fix. Rules with a name and no pattern, or labels or help and no
 * name, are refused by the collector itself.
 */
public final class MetricsRules {
    /**
     * The jmx_exporter release whose keys {@link #TOP_LEVEL} and {@link #RULE_KEYS} list: the collector does not
     * publish the keys it reads, so ExporterVersionTest fails when the collector on the class path is another release,
     * and the lists are reviewed with each upgrade rather than refusing a newer release's keys.
     */
    static final String EXPORTER_VERSION = "1.0.1";
    /** Top-level keys jmx_exporter {@value #EXPORTER_VERSION} reads (the agent also reads httpServer). */
    static final Set<String> TOP_LEVEL = Set.of("startDelaySeconds", "lowercaseOutputName", "lowercaseOutputLabelNames",
            "includeObjectNames", "excludeObjectNames", "whitelistObjectNames", "blacklistObjectNames",
            "includeObjectNameAttributes", "excludeObjectNameAttributes", "rules", "httpServer",
            "hostPort", "jmxUrl", "username", "password", "ssl");
    /** Rule keys jmx_exporter {@value #EXPORTER_VERSION} reads. */
    static final Set<String> RULE_KEYS = Set.of("pattern", "name", "value", "valueFactor", "help", "labels", "type",
            "attrNameSnakeCase", "cache");
    static final Set<String> TYPES = Set.of("GAUGE", "COUNTER", "UNTYPED", "UNKNOWN");

    private final String yaml;
    private final Map<?, ?> document;
    private final int ruleCount;

    private MetricsRules(String yaml, Map<?, ?> document, int ruleCount) {
        this.yaml = yaml;
        this.document = document;
        this.ruleCount = ruleCount;
    }

    /** Reads and checks the rules file; throws {@link MetricsConfigException} naming what is wrong. */
    public static MetricsRules load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw fail(path, "cannot be read (" + e.getClass().getSimpleName() + "); set "
                    + MetricsSettings.RULES_FILE + " (CONNECT_METRICS_RULES_FILE) to a readable jmx_exporter rules file");
        }
        return parse(path, text);
    }

    static MetricsRules parse(Path path, String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            throw fail(path, "is not valid YAML: " + e.getProblem() + " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1));
        } catch (YAMLException e) {
            throw fail(path, "is not valid YAML: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw fail(path, "must be a YAML mapping with a 'rules:' list (jmx_exporter's format)");
        }
        for (Object key : top.keySet()) {
            String k = String.valueOf(key);
            if (!TOP_LEVEL.contains(k)) {
                throw fail(path, "has an unknown key '" + k + "'" + suggestion(k, TOP_LEVEL));
            }
        }
        if (top.containsKey("jmxUrl") || top.containsKey("hostPort")) {
            throw fail(path, "sets jmxUrl/hostPort: metrics are read in-process, remove them");
        }
        if (!(top.get("rules") instanceof List<?> rules) || rules.isEmpty()) {
            throw fail(path, "has no 'rules:' list; without rules jmx_exporter exports every MBean, which in CloudWatch "
                    + "is thousands of custom metrics. Start from the shipped /opt/connect/config/metrics-rules.yml");
        }
        for (int i = 0; i < rules.size(); i++) {
            checkRule(path, i + 1, rules.get(i));
        }
        try {
            newCollector(text);
        } catch (RuntimeException e) {
            throw fail(path, "is refused by jmx_exporter: " + e.getMessage());
        }
        return new MetricsRules(text, top, rules.size());
    }

    private static void checkRule(Path path, int number, Object rule) {
        if (!(rule instanceof Map<?, ?> map)) {
            throw fail(path, "rule " + number + " is not a mapping (expected '- pattern: ...')");
        }
        Object pattern = map.get("pattern");
        String where = "rule " + number + (pattern != null ? " (pattern '" + pattern + "')" : "");
        for (Object key : map.keySet()) {
            String k = String.valueOf(key);
            if (!RULE_KEYS.contains(k)) {
                throw fail(path, where + " has an unknown key '" + k + "'" + suggestion(k, RULE_KEYS));
            }
        }
        if (pattern != null) {
            try {
                Pattern.compile(String.valueOf(pattern));
            } catch (PatternSyntaxException e) {
                throw fail(path, where + ": the pattern is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        Object type = map.get("type");
        if (type != null && !TYPES.contains(String.valueOf(type))) {
            throw fail(path, where + " has type '" + type + "'; use GAUGE, COUNTER or UNTYPED");
        }
        Object labels = map.get("labels");
        if (labels != null) {
            if (!(labels instanceof Map<?, ?> l)) {
                throw fail(path, where + ": labels must be a mapping of label name to value");
            }
            for (Map.Entry<?, ?> e : l.entrySet()) {
                if (!(e.getValue() instanceof String)) {
                    throw fail(path, where + ": label '" + e.getKey() + "' must be a string (quote it: \"$1\")");
                }
            }
        }
        Object factor = map.get("valueFactor");
        if (factor != null && !(factor instanceof Number)) {
            throw fail(path, where + ": valueFactor must be a number, not '" + factor + "'");
        }
        for (String flag : List.of("attrNameSnakeCase", "cache")) {
            if (map.containsKey(flag) && !(map.get(flag) instanceof Boolean)) {
                throw fail(path, where + ": " + flag + " must be true or false");
            }
        }
        for (String text : List.of("name", "help", "value")) {
            Object v = map.get(text);
            if (v != null && !(v instanceof String) && !("value".equals(text) && v instanceof Number)) {
                throw fail(path, where + ": " + text + " must be a string");
            }
        }
    }

    /** A fresh collector over these rules, registered in a private registry (collect() needs its own gauges). */
    JmxCollector newCollector() {
        return newCollector(yaml);
    }

    private static JmxCollector newCollector(String yaml) {
        try {
            return new JmxCollector(yaml).register(new PrometheusRegistry());
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException("an object name in includeObjectNames/excludeObjectNames is malformed: "
                    + e.getMessage(), e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("a value has the wrong type (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Collectors that together read what {@link #newCollector()} reads, one per {@code includeObjectNames} entry,
     * each holding only the rules that can match that entry's MBeans (in the file's order), so a value is not
     * tried against rules written for other MBeans: jmx_exporter tries every rule in turn on every attribute, and
     * that loop is nearly all of the exporter's cost (bench/metrics). Entries are made disjoint by excluding the
     * ones before, so no MBean is read twice. A rule is left out of an entry only when its pattern starts with a
     * literal domain, or has a literal {@code <type=...}, that the entry cannot match.
     */
    List<JmxCollector> newPartitionedCollectors() {
        return newPartitionedCollectors((name, type) -> true);
    }

    /**
     * As {@link #newPartitionedCollectors()}, reading only what rules whose name and type {@code wanted} accepts give (a
     * detail level's metrics, {@link DimensionPlan#mayProduce}): every other rule becomes a rule that drops what it
     * matches, so each attribute still stops at the rule it stops at in the file and the wanted rules give exactly the
     * series they give there; dropping rules at the end of an entry's list are left out, and an entry left with none
     * is not read at all.
     */
    List<JmxCollector> newPartitionedCollectors(BiPredicate<String, String> wanted) {
        List<String> includes = stringList(document.containsKey("includeObjectNames") ? document.get("includeObjectNames")
                : document.get("whitelistObjectNames"));
        if (includes.isEmpty()) {
            return List.of(newCollector());
        }
        List<String> excludes = stringList(document.containsKey("excludeObjectNames") ? document.get("excludeObjectNames")
                : document.get("blacklistObjectNames"));
        List<?> rules = (List<?>) document.get("rules");
        List<JmxCollector> collectors = new ArrayList<>();
        for (int i = 0; i < includes.size(); i++) {
            javax.management.ObjectName include;
            try {
                include = new javax.management.ObjectName(includes.get(i));
            } catch (javax.management.MalformedObjectNameException e) {
                return List.of(newCollector()); // refused at load already; never here
            }
            Map<Object, Object> config = new java.util.LinkedHashMap<>(document);
            config.remove("whitelistObjectNames");
            config.remove("blacklistObjectNames");
            config.put("includeObjectNames", List.of(includes.get(i)));
            List<String> exclude = new ArrayList<>(excludes);
            exclude.addAll(includes.subList(0, i));
            config.put("excludeObjectNames", exclude);
            List<Object> own = new ArrayList<>();
            for (Object rule : rules) {
                Object pattern = ((Map<?, ?>) rule).get("pattern");
                if (pattern == null || canMatch(String.valueOf(pattern), include)) {
                    own.add(wantedOrDropping((Map<?, ?>) rule, wanted));
                }
            }
            while (!own.isEmpty() && dropping(own.get(own.size() - 1))) {
                own.remove(own.size() - 1);
            }
            if (own.isEmpty()) {
                continue;
            }
            config.put("rules", own);
            collectors.add(newCollector(new Yaml().dump(config)));
        }
        return collectors;
    }

    /** The rule itself when its name is wanted, else a rule with its pattern that drops what it matches. */
    private static Object wantedOrDropping(Map<?, ?> rule, BiPredicate<String, String> wanted) {
        Object name = rule.get("name");
        Object type = rule.get("type");
        if (dropping(rule) || wanted.test(name == null ? null : String.valueOf(name), type == null ? "UNTYPED" : String.valueOf(type))) {
            return rule;
        }
        Map<Object, Object> drop = new java.util.LinkedHashMap<>();
        for (String key : List.of("pattern", "attrNameSnakeCase", "cache")) {
            if (rule.containsKey(key)) {
                drop.put(key, rule.get(key));
            }
        }
        drop.put("name", "");
        return drop;
    }

    /** True for a rule whose empty name drops the attributes it matches. */
    private static boolean dropping(Object rule) {
        return rule instanceof Map<?, ?> map && map.containsKey("pattern") && "".equals(map.get("name"));
    }

    /** False only when the pattern's literal domain or literal type rules out every MBean {@code include} names. */
    static boolean canMatch(String pattern, javax.management.ObjectName include) {
        int lt = pattern.indexOf('<');
        String domain = lt < 0 ? null : literal(pattern.substring(0, lt));
        if (domain != null) {
            String wanted = include.getDomain();
            boolean fits = include.isDomainPattern()
                    ? domain.matches(wanted.replace(".", "\\.").replace("*", ".*").replace("?", "."))
                    : domain.equals(wanted);
            if (!fits) {
                return false;
            }
        }
        int at = pattern.indexOf("<type=");
        String typeValue = include.getKeyProperty("type");
        if (at >= 0 && typeValue != null && !include.isPropertyValuePattern("type")) {
            int end = at + "<type=".length();
            while (end < pattern.length() && pattern.charAt(end) != ',' && pattern.charAt(end) != '>') {
                end++;
            }
            String type = end < pattern.length() ? literal(pattern.substring(at + "<type=".length(), end)) : null;
            return type == null || type.equals(typeValue);
        }
        return true;
    }

    /** The text a regex fragment matches when it is a plain literal ({@code \.} allowed), else null. */
    private static String literal(String fragment) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fragment.length(); i++) {
            char c = fragment.charAt(i);
            if (c == '\\' && i + 1 < fragment.length() && fragment.charAt(i + 1) == '.') {
                out.append('.');
                i++;
            } else if ("\\()[]{}*+?|^$.".indexOf(c) >= 0) {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> stringList(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    /** Number of rules in the file. */
    public int ruleCount() {
        return ruleCount;
    }

    private static MetricsConfigException fail(Path path, String problem) {
        return new MetricsConfigException("metrics rules file " + path + " " + problem);
    }

    private static String suggestion(String key, Set<String> known) {
        return ClosestName.to(key, known).map(close -> " (did you mean '" + close + "'?)")
                .orElse(" (known keys: " + String.join(", ", new ArrayList<>(new java.util.TreeSet<>(known))) + ")");
    }
}
