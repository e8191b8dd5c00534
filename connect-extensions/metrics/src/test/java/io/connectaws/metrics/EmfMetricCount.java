package io.connectaws.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CloudWatch custom metrics a stream of EMF lines creates: the distinct (namespace, metric name, dimension set
 * with its values) triples, which is what CloudWatch bills for; a triple with a Connector dimension belongs to that
 * connector, the rest to the cluster. Shared with the image tests (test-jar).
 */
public final class EmfMetricCount {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One custom metric. */
    public record Metric(String namespace, String name, Map<String, String> dimensions) {
        @Override
        public String toString() {
            return namespace + " " + name + " " + dimensions;
        }
    }

    private final Set<String> seen = new TreeSet<>();
    private final List<Metric> metrics = new ArrayList<>();

    /** Adds the metrics of one EMF line (a line that is not EMF adds nothing). */
    public EmfMetricCount add(String line) {
        if (!EmfValidator.isEmf(line)) {
            return this;
        }
        try {
            return add(JSON.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the metrics of one parsed EMF object. */
    public EmfMetricCount add(JsonNode emf) {
        for (JsonNode directive : emf.at("/_aws/CloudWatchMetrics")) {
            String namespace = directive.path("Namespace").asText();
            for (JsonNode set : directive.path("Dimensions")) {
                Map<String, String> dims = new TreeMap<>();
                set.forEach(name -> dims.put(name.asText(), emf.path(name.asText()).asText()));
                for (JsonNode m : directive.path("Metrics")) {
                    Metric metric = new Metric(namespace, m.path("Name").asText(), dims);
                    if (seen.add(metric.toString())) {
                        metrics.add(metric);
                    }
                }
            }
        }
        return this;
    }

    /** Every distinct custom metric seen. */
    public List<Metric> all() {
        return List.copyOf(metrics);
    }

    /** How many custom metrics in all. */
    public int total() {
        return metrics.size();
    }

    /** Custom metrics per connector (those with a Connector dimension), by connector name. */
    public Map<String, Integer> perConnector() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Metric m : metrics) {
            String connector = m.dimensions().get(DimensionPlan.CONNECTOR);
            if (connector != null) {
                counts.merge(connector, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The custom metrics of one connector, as "name [dimension names]". */
    public Set<String> of(String connector) {
        Set<String> out = new TreeSet<>();
        for (Metric m : metrics) {
            if (connector.equals(m.dimensions().get(DimensionPlan.CONNECTOR))) {
                out.add(m.name() + " " + m.dimensions().keySet());
            }
        }
        return out;
    }

    /** The custom metrics without a Connector dimension (worker metrics and cluster rollups), as "name [dimension names]". */
    public Set<String> clusterLevel() {
        Set<String> out = new TreeSet<>();
        for (Metric m : metrics) {
            if (!m.dimensions().containsKey(DimensionPlan.CONNECTOR)) {
                out.add(m.name() + " " + m.dimensions().keySet());
            }
        }
        return out;
    }
}
