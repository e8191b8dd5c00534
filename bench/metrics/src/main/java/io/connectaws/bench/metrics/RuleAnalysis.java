package io.connectaws.bench.metrics;

import static io.connectaws.bench.metrics.ExporterBench.*;
import static io.connectaws.bench.metrics.Measurement.*;
import static io.connectaws.bench.metrics.SyntheticWorker.*;
import static io.connectaws.bench.metrics.Report.*;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.apache.kafka.common.metrics.Metrics;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.connectaws.metrics.CloudWatchShaper;
import io.connectaws.metrics.Datum;
import io.connectaws.metrics.EmfFormatter;
import io.connectaws.metrics.EmfMetricCount;
import io.connectaws.metrics.EmfValidator;
import io.connectaws.metrics.JmxSampler;
import io.connectaws.metrics.MetricsRules;
import io.connectaws.metrics.MetricsSettings;
import io.connectaws.metrics.Sample;
import io.prometheus.jmx.JmxCollector;

/** The cycle split into phases, jmx_exporter's rule loop counted, what-if variants of the rules, the EMF line check. */
final class RuleAnalysis {
    private RuleAnalysis() {
    }

    /** The MBeans includeObjectNames selects, as jmx_exporter queries them. */
    static final class Scope {
        final List<ObjectName> include = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Scope(String rulesText) throws Exception {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(rulesText);
            for (Object n : (List<Object>) yaml.get("includeObjectNames")) include.add(new ObjectName(n.toString()));
        }

        Set<ObjectName> matched() {
            Set<ObjectName> names = new HashSet<>();
            for (ObjectName p : include) {
                for (ObjectInstance i : SERVER.queryMBeans(p, null)) names.add(i.getObjectName());
            }
            return names;
        }

        int attributes() throws Exception {
            int n = 0;
            for (ObjectName o : matched()) n += SERVER.getMBeanInfo(o).getAttributes().length;
            return n;
        }

        /** What JmxScraper reads per cycle: every readable attribute of every matched MBean. */
        int read() {
            int values = 0;
            for (ObjectName o : matched()) {
                try {
                    MBeanAttributeInfo[] infos = SERVER.getMBeanInfo(o).getAttributes();
                    List<String> readable = new ArrayList<>();
                    for (MBeanAttributeInfo i : infos) if (i.isReadable()) readable.add(i.getName());
                    AttributeList list = SERVER.getAttributes(o, readable.toArray(String[]::new));
                    values += list.size();
                } catch (Exception e) {
                    // as the scraper: skip
                }
            }
            return values;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Phases, rules, variant, profile

    static final class Phases {
        static final List<String> NAMES = List.of("query", "read", "collect", "sample", "shape", "format", "write");
        final Map<String, Cost[]> costs = new LinkedHashMap<>();
        LineCheck lineCheck;

        /**
         * Per cycle on the bench thread, with instances of their own (the shaper keeps state): the scraper's MBean
         * query; reading every attribute of the matched MBeans (getMBeanInfo + getAttributes, as JmxScraper does);
         * a bare JmxCollector.collect() (query + read + rule matching + snapshots); JmxSampler.sample() (collect +
         * conversion to Samples); CloudWatchShaper.shape(); EmfFormatter.format(); the lines' bytes to a stream.
         */
        static Phases run(Worker worker, MetricsRules rules, String rulesText, MetricsSettings settings, Scope scope) {
            Phases p = new Phases();
            JmxCollector collector = newCollector(rulesText);
            JmxSampler sampler = sampler(rules, settings);
            CloudWatchShaper shaper = shaper(settings, worker);
            EmfFormatter formatter = new EmfFormatter(settings.namespace(), settings.dimensionPlan(), Map.of());
            PrintStream stream = new PrintStream(new Counting(), false, StandardCharsets.UTF_8);
            for (String n : NAMES) p.costs.put(n, new Cost[DETAIL_CYCLES]);
            for (int i = -WARMUP; i < DETAIL_CYCLES; i++) {
                worker.traffic();
                int cycle = i;
                Map<String, Cost> c = onBench(() -> {
                    Map<String, Cost> m = new LinkedHashMap<>();
                    m.put("query", Cost.of(scope::matched));
                    m.put("read", Cost.of(scope::read));
                    m.put("collect", Cost.of(collector::collect));
                    List<Sample>[] samples = new List[1];
                    m.put("sample", Cost.of(() -> samples[0] = sampler.sample()));
                    List<Datum>[] data = new List[1];
                    m.put("shape", Cost.of(() -> data[0] = shaper.shape(samples[0])));
                    List<String>[] lines = new List[1];
                    long ts = System.currentTimeMillis();
                    m.put("format", Cost.of(() -> lines[0] = formatter.format(data[0], ts)));
                    m.put("write", Cost.of(() -> {
                        for (String line : lines[0]) {
                            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                            stream.write(bytes, 0, bytes.length);
                        }
                        stream.flush();
                    }));
                    if (cycle == DETAIL_CYCLES - 1) p.lineCheck = LineCheck.of(lines[0]);
                    return m;
                });
                if (i >= 0) c.forEach((k, v) -> p.costs.get(k)[cycle] = v);
            }
            return p;
        }
    }

    record LineCheck(int lines, int maxBytes, int maxMetrics, int problems, String firstProblem, EmfMetricCount custom) {
        static LineCheck of(List<String> lines) {
            EmfMetricCount custom = new EmfMetricCount();
            lines.forEach(custom::add);
            int maxBytes = 0;
            int maxMetrics = 0;
            int problems = 0;
            String first = null;
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : lines) {
                maxBytes = Math.max(maxBytes, line.getBytes(StandardCharsets.UTF_8).length + 1);
                try {
                    int metrics = json.readTree(line).get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").size();
                    maxMetrics = Math.max(maxMetrics, metrics);
                } catch (Exception e) {
                    problems++;
                }
                List<String> p = EmfValidator.problems(line);
                if (!p.isEmpty()) {
                    problems++;
                    if (first == null) first = p.get(0);
                }
            }
            return new LineCheck(lines.size(), maxBytes, maxMetrics, problems, first, custom);
        }
    }

    /**
     * How the rule loop goes for each attribute value the scraper hands over (top-level scalars; TabularData rows as
     * the scraper flattens them): the rules tried before the first match, or all of them.
     */
    record RuleStats(int rules, int values, int matched, int unmatched, long attempts, Map<String, int[]> byDomain) {
        @SuppressWarnings("unchecked")
        static RuleStats of(String rulesText, Scope scope) throws Exception {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(rulesText);
            List<Pattern> patterns = new ArrayList<>();
            for (Object r : (List<Object>) yaml.get("rules")) {
                // as JmxCollector compiles them: unanchored, so a value that matches no rule is searched at every offset
                patterns.add(Pattern.compile("^.*(?:" + ((Map<String, Object>) r).get("pattern") + ").*$"));
            }
            int values = 0;
            int matched = 0;
            long attempts = 0;
            Map<String, int[]> byDomain = new TreeMap<>();
            for (ObjectName o : scope.matched()) {
                MBeanAttributeInfo[] infos = SERVER.getMBeanInfo(o).getAttributes();
                List<String> readable = new ArrayList<>();
                for (MBeanAttributeInfo i : infos) if (i.isReadable()) readable.add(i.getName());
                AttributeList list = SERVER.getAttributes(o, readable.toArray(String[]::new));
                LinkedHashMap<String, String> props = new LinkedHashMap<>();
                for (String kv : o.getKeyPropertyListString().split(",")) {
                    int eq = kv.indexOf('=');
                    props.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                String kind = o.getDomain() + ":" + o.getKeyProperty("type");
                for (Attribute a : list.asList()) {
                    List<Object[]> leaves = new ArrayList<>();
                    leaves(props, a.getName(), a.getValue(), leaves);
                    for (Object[] leaf : leaves) {
                        values++;
                        String matchName = o.getDomain() + "<" + leaf[0].toString().replaceAll("^\\{|\\}$", "") + "><>"
                                + leaf[1] + ": " + leaf[2];
                        int tried = 0;
                        boolean hit = false;
                        for (Pattern p : patterns) {
                            tried++;
                            if (p.matcher(matchName).matches()) {
                                hit = true;
                                break;
                            }
                        }
                        attempts += tried;
                        int[] d = byDomain.computeIfAbsent(kind, k -> new int[3]);
                        d[0]++;
                        if (hit) {
                            matched++;
                            d[1]++;
                        }
                        d[2] += tried;
                    }
                }
            }
            return new RuleStats(patterns.size(), values, matched, values - matched, attempts, byDomain);
        }

        private static void leaves(LinkedHashMap<String, String> props, String name, Object value, List<Object[]> out) {
            if (value instanceof Number || value instanceof String || value instanceof Boolean) {
                out.add(new Object[] {props, name, value});
            } else if (value instanceof TabularData td) {
                List<String> index = td.getTabularType().getIndexNames();
                for (Object row : td.values()) {
                    CompositeData cd = (CompositeData) row;
                    LinkedHashMap<String, String> p = new LinkedHashMap<>(props);
                    for (String i : index) p.put(i, String.valueOf(cd.get(i)));
                    for (String k : cd.getCompositeType().keySet()) {
                        if (!index.contains(k)) leaves(p, k.equalsIgnoreCase("value") ? name : k, cd.get(k), out);
                    }
                }
            } else if (value instanceof CompositeData cd) {
                for (String k : cd.getCompositeType().keySet()) leaves(props, k, cd.get(k), out);
            }
        }
    }

    /**
     * {@code JmxSampler.sample()} with the shipped rules and with what-if copies of them, alternately on the bench
     * thread, each checked to give the same series (metric name + labels) as the shipped rules:
     * <ul>
     * <li>{@code cache: true} on every rule whose pattern does not look at the value (ends in ": ");</li>
     * <li>a first rule that drops the producer-metrics attributes no rule exports ({@code name: ""} makes
     * jmx_exporter skip the attribute), so those values stop at rule 1 instead of trying all rules;</li>
     * <li>the rules partitioned by the MBeans they can match: one collector per includeObjectNames group, holding
     * only the rules whose pattern's literal head (domain, type) fits that group (what MetricsRules/JmxSampler
     * could do with the one file).</li>
     * </ul>
     */
    @SuppressWarnings("unchecked")
    static Map<String, Cost[]> whatIf(Worker worker, String rulesText, MetricsRules shipped) {
        Yaml yamlIo = new Yaml(new SafeConstructor(new LoaderOptions()));
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(1000);
        Yaml dumper = new Yaml(o);

        Map<String, Object> cachedYaml = yamlIo.load(rulesText);
        List<Object> rules = (List<Object>) cachedYaml.get("rules");
        int cached = 0;
        for (Object r : rules) {
            Map<String, Object> rule = (Map<String, Object>) r;
            if (String.valueOf(rule.get("pattern")).endsWith(": ")) {
                rule.put("cache", true);
                cached++;
            }
        }
        Map<String, Object> dropYaml = yamlIo.load(rulesText);
        Map<String, Object> drop = new LinkedHashMap<>();
        drop.put("pattern", "kafka\\.producer<type=producer-metrics, [^>]*><>(?!(?:record-(?:send|error|retry)-total|request-latency-(?:avg|max)): )");
        drop.put("name", "");
        ((List<Object>) dropYaml.get("rules")).add(0, drop);

        Map<String, List<JmxSampler>> variants = new LinkedHashMap<>();
        variants.put("shipped rules", List.of(new JmxSampler(shipped)));
        variants.put("`cache: true` on " + cached + " of " + rules.size() + " rules (those not looking at the value)",
                List.of(new JmxSampler(rulesFile("cached.yml", dumper.dump(cachedYaml)))));
        variants.put("a first rule dropping the producer-metrics attributes no rule exports (`name: \"\"`)",
                List.of(new JmxSampler(rulesFile("drop.yml", dumper.dump(dropYaml)))));
        List<JmxSampler> parts = new ArrayList<>();
        List<String> partNotes = new ArrayList<>();
        for (Map<String, Object> part : partition(yamlIo.load(rulesText))) {
            parts.add(new JmxSampler(rulesFile("part.yml", dumper.dump(part))));
            partNotes.add(((List<Object>) part.get("includeObjectNames")).size() + "/" + ((List<Object>) part.get("rules")).size());
        }
        variants.put("rules partitioned by MBean type: " + parts.size() + " collectors, each with its "
                + "includeObjectNames and only the rules that can match them", parts);
        PARTITION_NOTE = String.join(", ", partNotes);

        Map<String, Cost[]> out = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (String v : variants.keySet()) {
            out.put(v, new Cost[DETAIL_CYCLES]);
            keys.put(v, new HashSet<>());
        }
        for (int i = -WARMUP; i < DETAIL_CYCLES; i++) {
            worker.traffic();
            int cycle = i;
            Map<String, Cost> c = onBench(() -> {
                Map<String, Cost> m = new LinkedHashMap<>();
                variants.forEach((v, samplers) -> {
                    List<Sample> all = new ArrayList<>();
                    m.put(v, Cost.of(() -> {
                        for (JmxSampler s : samplers) all.addAll(s.sample());
                    }));
                    if (cycle == DETAIL_CYCLES - 1) for (Sample x : all) keys.get(v).add(x.name() + new TreeMap<>(x.labels()));
                });
                return m;
            });
            if (i >= 0) c.forEach((v, cost) -> out.get(v)[cycle] = cost);
        }
        Set<String> reference = keys.get("shipped rules");
        StringBuilder note = new StringBuilder();
        keys.forEach((v, k) -> {
            SERIES.put(v, k.size() + (k.equals(reference) ? "" : " (DIFFERENT from the shipped rules' series)"));
        });
        return out;
    }

    static final Map<String, String> SERIES = new LinkedHashMap<>();
    static String PARTITION_NOTE = "";

    /**
     * The rules file split by includeObjectNames entry: each entry gets the rules whose pattern's literal head
     * (the regex up to its first metacharacter, unescaped) is compatible with the entry's domain and type; entries
     * that end up with the same rules share one collector.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> partition(Map<String, Object> yaml) {
        List<Object> includes = (List<Object>) yaml.get("includeObjectNames");
        List<Object> rules = (List<Object>) yaml.get("rules");
        Map<List<Integer>, List<Object>> byRules = new LinkedHashMap<>();
        for (Object include : includes) {
            String name = include.toString();
            String domain = name.substring(0, name.indexOf(':'));
            String head = domain.contains("*") || domain.contains("?") ? domain.substring(0, domain.replaceAll("[*?].*", "").length())
                    : domain + "<" + name.substring(name.indexOf(':') + 1).split(",")[0];
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                String literal = literalHead(String.valueOf(((Map<String, Object>) rules.get(i)).get("pattern")));
                if (literal.startsWith(head) || head.startsWith(literal)) chosen.add(i);
            }
            byRules.computeIfAbsent(chosen, k -> new ArrayList<>()).add(include);
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        byRules.forEach((chosen, names) -> {
            Map<String, Object> part = new LinkedHashMap<>(yaml);
            part.put("includeObjectNames", names);
            List<Object> subset = new ArrayList<>();
            for (int i : chosen) subset.add(rules.get(i));
            part.put("rules", subset);
            if (!subset.isEmpty()) parts.add(part);
        });
        return parts;
    }

    /** The literal text a regex starts with: up to the first metacharacter; a quantified character is dropped. */
    static String literalHead(String regex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
                b.append(regex.charAt(++i));
            } else if ("?*+{".indexOf(c) >= 0) {
                if (b.length() > 0) b.setLength(b.length() - 1);
                break;
            } else if ("()[].|^$\\".indexOf(c) >= 0) {
                break;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
