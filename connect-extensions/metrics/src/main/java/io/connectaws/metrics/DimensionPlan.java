package io.connectaws.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dimension sets a data point is published under, each led by the fixed extra dimensions. At the full detail
 * level: its own (Cluster[, Connector[, Task]]) plus the configured rollups to connector and cluster level. At the
 * basic level (a {@link BasicMetrics} given): only the basic metrics, a connector's at connector level and those
 * {@link BasicMetrics#clusterCopy} names also at cluster level when the cluster rollup is on. CloudWatch then
 * aggregates the points of all tasks and workers that share a set (Sum, Maximum, ...).
 */
public final class DimensionPlan {
    public static final String CLUSTER = "Cluster";
    public static final String CONNECTOR = "Connector";
    public static final String TASK = "Task";
    /** Rollup levels a user can ask for. */
    public static final Set<String> ROLLUPS = Set.of("connector", "cluster");

    private final boolean connectorRollup;
    private final boolean clusterRollup;
    private final Map<String, String> extra;
    private final BasicMetrics basic;

    /** The full detail level: every metric, with these rollups. */
    public DimensionPlan(Set<String> rollups, Map<String, String> extra) {
        this(rollups, extra, null);
    }

    /** The basic level when {@code basic} is given, else the full level. */
    public DimensionPlan(Set<String> rollups, Map<String, String> extra, BasicMetrics basic) {
        this.connectorRollup = rollups.contains("connector");
        this.clusterRollup = rollups.contains("cluster");
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        this.basic = basic;
    }

    /** True when {@code metric} is published at all. */
    public boolean publishes(String metric) {
        return basic == null || basic.contains(metric);
    }

    /** True when a rule with this name template and type can give a published metric (see {@link BasicMetrics#mayProduce}). */
    public boolean mayProduce(String ruleName, String type) {
        return basic == null || basic.mayProduce(ruleName, type);
    }

    /** The fixed dimensions every set starts with (name to value). */
    public Map<String, String> extra() {
        return extra;
    }

    /** The dimension-name sets for a point of {@code metric} with these own dimensions, most specific first. */
    public List<List<String>> setsFor(String metric, Map<String, String> own) {
        if (basic != null) {
            return basicSetsFor(metric, own);
        }
        List<List<String>> sets = new ArrayList<>();
        List<String> ownSet = new ArrayList<>(3);
        for (String name : List.of(CLUSTER, CONNECTOR, TASK)) {
            if (own.containsKey(name)) {
                ownSet.add(name);
            }
        }
        sets.add(withExtra(ownSet));
        if (own.containsKey(TASK) && connectorRollup) {
            sets.add(withExtra(List.of(CLUSTER, CONNECTOR)));
        }
        if (own.containsKey(CONNECTOR) && clusterRollup) {
            sets.add(withExtra(List.of(CLUSTER)));
        }
        return sets;
    }

    private List<List<String>> basicSetsFor(String metric, Map<String, String> own) {
        if (!basic.contains(metric)) {
            return List.of();
        }
        if (!own.containsKey(CONNECTOR)) {
            return List.of(withExtra(List.of(CLUSTER)));
        }
        List<List<String>> sets = new ArrayList<>(2);
        sets.add(withExtra(List.of(CLUSTER, CONNECTOR)));
        if (clusterRollup && basic.clusterCopy(metric)) {
            sets.add(withExtra(List.of(CLUSTER)));
        }
        return sets;
    }

    private List<String> withExtra(List<String> names) {
        if (extra.isEmpty()) {
            return List.copyOf(names);
        }
        List<String> all = new ArrayList<>(extra.keySet());
        all.addAll(names);
        return List.copyOf(all);
    }
}
