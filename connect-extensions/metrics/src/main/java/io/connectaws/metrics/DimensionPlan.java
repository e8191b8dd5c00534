package io.connectaws.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dimension sets a data point is published under: always its own (Cluster[, Connector[, Task]]), plus the
 * configured rollups to connector and cluster level, each led by the fixed extra dimensions. CloudWatch then
 * aggregates the points of all tasks and workers that share a rollup set (Sum, Maximum, ...).
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

    public DimensionPlan(Set<String> rollups, Map<String, String> extra) {
        this.connectorRollup = rollups.contains("connector");
        this.clusterRollup = rollups.contains("cluster");
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The fixed dimensions every set starts with (name to value). */
    public Map<String, String> extra() {
        return extra;
    }

    /** The dimension-name sets for a point with these own dimensions, most specific first. */
    public List<List<String>> setsFor(Map<String, String> own) {
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

    private List<String> withExtra(List<String> names) {
        if (extra.isEmpty()) {
            return List.copyOf(names);
        }
        List<String> all = new ArrayList<>(extra.keySet());
        all.addAll(names);
        return List.copyOf(all);
    }
}
