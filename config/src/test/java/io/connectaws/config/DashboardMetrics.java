package io.connectaws.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The metrics a CloudWatch dashboard body draws: each metric row of a metric widget ({@code [namespace, name,
 * dimension, value, ..., {options}]}) and each {@code SEARCH('{namespace,dimension,...} MetricName="name" ...')}
 * expression, with the widget's title and y axis label.
 */
final class DashboardMetrics {
    private static final Pattern SEARCH = Pattern.compile(
            "SEARCH\\('\\{(\\$\\{[^}]+}|[^,}]+)((?:,[^,}]+)*)}\\s+MetricName=\"([^\"]+)\"[^']*',\\s*'([A-Za-z0-9.]+)',\\s*(\\d+)\\)");

    /** One drawn metric; {@code search} when it comes from a SEARCH expression (one line per connector). */
    record Metric(String widget, String axisLabel, String namespace, String name, List<String> dimensions, String stat, boolean search) {
    }

    private DashboardMetrics() {
    }

    static List<Metric> read(Path dashboard) throws IOException {
        return read(CfnTemplate.JSON.readTree(dashboard.toFile()));
    }

    static List<Metric> read(JsonNode body) {
        List<Metric> metrics = new ArrayList<>();
        for (JsonNode w : body.get("widgets")) {
            if (!w.path("type").asText().equals("metric")) {
                continue;
            }
            String title = w.at("/properties/title").asText();
            String axis = w.at("/properties/yAxis/left/label").asText("");
            for (JsonNode row : w.at("/properties/metrics")) {
                if (row.get(0).isTextual()) {
                    List<String> dims = new ArrayList<>();
                    int options = row.get(row.size() - 1).isObject() ? row.size() - 1 : row.size();
                    for (int i = 2; i + 1 < options; i += 2) {
                        dims.add(row.get(i).asText());
                    }
                    String stat = row.get(row.size() - 1).path("stat").asText(w.at("/properties/stat").asText("Average"));
                    metrics.add(new Metric(title, axis, row.get(0).asText(), row.get(1).asText(), dims, stat, false));
                } else {
                    Matcher m = SEARCH.matcher(row.get(0).path("expression").asText());
                    while (m.find()) {
                        List<String> dims = new ArrayList<>();
                        for (String d : m.group(2).split(",")) {
                            if (!d.isBlank()) {
                                dims.add(d.trim());
                            }
                        }
                        metrics.add(new Metric(title, axis, m.group(1), m.group(3), dims, m.group(4), true));
                    }
                }
            }
        }
        return metrics;
    }
}
