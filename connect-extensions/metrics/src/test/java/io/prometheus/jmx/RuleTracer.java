package io.prometheus.jmx;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import javax.management.ObjectName;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Test-only window into jmx_exporter's collector (1.0.1): runs the collector's own {@link JmxScraper} and rule
 * {@code Receiver} over the platform MBean server, and records for every value the scraper reads which MBean it
 * came from, which rule (if any) matched it first, and the sample it became. {@link JmxCollector#collect()} only
 * returns the samples, so without this a test cannot tell an attribute no rule matched from one that was dropped.
 *
 * <p>It lives in the collector's package because the scraper, the receiver and the rule list are package-private.
 * The snapshots it returns are built by the collector's own converter from the same matched rules, so they are
 * what {@code collect()} returns; {@code RulesCoverageTest} checks that against a real {@code collect()}.
 */
public final class RuleTracer {

    /** One rule of the file, as the collector parsed it. */
    public record Rule(int index, String pattern, String name, String type, String value, double valueFactor,
                       Map<String, String> labels) {}

    /** The sample one read value became. */
    public record Sample(String name, String type, Map<String, String> labels, double value) {}

    /**
     * One value the scraper read: the MBean, its key properties as the collector saw them (a table row's index
     * appended, e.g. {@code key}), the attribute, the value, the matched rule ({@code -1}: none), the rule's name
     * after substitution and lowercasing but before the Prometheus client strips {@code _total}, and the sample
     * ({@code null}: no rule matched, or the value was not numeric).
     */
    public record Read(ObjectName mbean, Map<String, String> keys, List<String> attrKeys, String attribute, Object value,
                       String matchName, int ruleIndex, String ruleName, Sample sample) {}

    public record Trace(List<Rule> rules, List<ObjectName> includeObjectNames, List<Read> reads,
                        MetricSnapshots snapshots) {}

    private RuleTracer() {
    }

    /** What the collector itself returns for {@code yaml} now. */
    public static MetricSnapshots collect(String yaml) throws Exception {
        JmxCollector collector = new JmxCollector(yaml);
        collector.register(new PrometheusRegistry()); // collect() sets gauges that register() creates
        return collector.collect();
    }

    @SuppressWarnings("unchecked")
    public static Trace trace(String yaml) throws Exception {
        JmxCollector collector = new JmxCollector(yaml);
        Object config = field(JmxCollector.class, "config").get(collector);
        Class<?> configClass = config.getClass();
        List<ObjectName> include = (List<ObjectName>) field(configClass, "includeObjectNames").get(config);
        List<ObjectName> exclude = (List<ObjectName>) field(configClass, "excludeObjectNames").get(config);
        ObjectNameAttributeFilter filter = (ObjectNameAttributeFilter) field(configClass, "objectNameAttributeFilter").get(config);
        List<JmxCollector.Rule> rules = (List<JmxCollector.Rule>) field(configClass, "rules").get(config);
        boolean lowercaseNames = (boolean) field(configClass, "lowercaseOutputName").get(config);

        Constructor<JmxCollector.Receiver> ctor = JmxCollector.Receiver.class
                .getDeclaredConstructor(configClass, MatchedRulesCache.StalenessTracker.class);
        ctor.setAccessible(true);
        JmxCollector.Receiver receiver = ctor.newInstance(config, new MatchedRulesCache.StalenessTracker());

        CurrentBean current = new CurrentBean();
        List<Read> reads = new ArrayList<>();
        JmxScraper.MBeanReceiver tracing = (domain, beanProperties, attrKeys, attrName, attrType, attrDescription, value) -> {
            int before = receiver.matchedRules.size();
            receiver.recordBean(domain, beanProperties, attrKeys, attrName, attrType, attrDescription, value);
            MatchedRule produced = receiver.matchedRules.size() > before ? receiver.matchedRules.get(before) : null;

            String beanName = domain + angle(beanProperties.toString()) + angle(attrKeys.toString());
            int ruleIndex = -1;
            String ruleName = null;
            String matchName = beanName + attrName + ": " + value;
            for (int i = 0; i < rules.size(); i++) {
                JmxCollector.Rule rule = rules.get(i);
                String attribute = rule.attrNameSnakeCase ? JmxCollector.toSnakeAndLowerCase(attrName) : attrName;
                String candidate = beanName + attribute + ": " + (rule.cache ? "<cache>" : value);
                Matcher m = rule.pattern == null ? null : rule.pattern.matcher(candidate);
                if (m != null && !m.matches()) continue;
                ruleIndex = i;
                matchName = candidate;
                if (rule.name != null) {
                    ruleName = JmxCollector.safeName(m.replaceAll(rule.name));
                    if (lowercaseNames) ruleName = ruleName.toLowerCase();
                }
                break;
            }
            Sample sample = null;
            if (produced != null) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (int i = 0; i < produced.labelNames.size(); i++) labels.put(produced.labelNames.get(i), produced.labelValues.get(i));
                sample = new Sample(produced.name, produced.type, labels, produced.value);
            }
            reads.add(new Read(current.name, new LinkedHashMap<>(beanProperties), List.copyOf(attrKeys), attrName, value,
                    matchName, ruleIndex, ruleName, sample));
        };

        new JmxScraper("", "", "", false, include, exclude, filter, tracing, current).doScrape();

        List<Rule> ruleViews = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            JmxCollector.Rule r = rules.get(i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (r.labelNames != null) {
                for (int j = 0; j < r.labelNames.size(); j++) labels.put(r.labelNames.get(j), r.labelValues.get(j));
            }
            ruleViews.add(new Rule(i, r.pattern == null ? null : r.pattern.pattern(), r.name, r.type, r.value, r.valueFactor,
                    Collections.unmodifiableMap(labels)));
        }
        return new Trace(List.copyOf(ruleViews), List.copyOf(include), List.copyOf(reads),
                MatchedRuleToMetricSnapshotsConverter.convert(receiver.matchedRules));
    }

    private static String angle(String bracketed) {
        return "<" + bracketed.substring(1, bracketed.length() - 1) + ">";
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** The scraper asks the cache for an MBean's key properties just before it processes that MBean's values. */
    private static final class CurrentBean extends JmxMBeanPropertyCache {
        ObjectName name;

        @Override
        public LinkedHashMap<String, String> getKeyPropertyList(ObjectName mbeanName) {
            name = mbeanName;
            return super.getKeyPropertyList(mbeanName);
        }
    }
}
