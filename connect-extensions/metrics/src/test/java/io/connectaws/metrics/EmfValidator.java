package io.connectaws.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a line against the rules of CloudWatch's Embedded Metric Format specification and the awslogs line
 * limit; returns the problems found (empty when the line is valid). Shared with the image tests (test-jar).
 */
public final class EmfValidator {
    /** awslogs (Docker's log driver) splits lines of 16 KiB and more. */
    public static final int AWSLOGS_LINE_LIMIT = 16 * 1024;
    public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfValidator() {
    }

    /** True when a log line is meant as EMF (a JSON object with an {@code _aws} member). */
    public static boolean isEmf(String line) {
        return line.startsWith("{") && line.contains("\"_aws\"");
    }

    /** The problems of one line (without its newline). */
    public static List<String> problems(String line) {
        List<String> problems = new ArrayList<>();
        if (line.getBytes(StandardCharsets.UTF_8).length + 1 >= AWSLOGS_LINE_LIMIT) {
            problems.add("line of " + line.length() + " bytes would be split by awslogs");
        }
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (Exception e) {
            problems.add("not JSON: " + e.getMessage());
            return problems;
        }
        if (!root.isObject()) {
            problems.add("root is not an object");
            return problems;
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            problems.add("_aws missing or not an object");
            return problems;
        }
        JsonNode ts = aws.get("Timestamp");
        if (ts == null || !ts.isIntegralNumber() || ts.asLong() < 1_000_000_000_000L) {
            problems.add("_aws.Timestamp missing or not epoch milliseconds");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics missing or not an array");
            return problems;
        }
        Set<String> metricNames = new HashSet<>();
        for (JsonNode d : directives) {
            JsonNode ns = d.get("Namespace");
            if (ns == null || !ns.isTextual() || ns.asText().isEmpty() || ns.asText().length() > 255) {
                problems.add("Namespace missing or not 1-255 characters");
            }
            JsonNode dims = d.get("Dimensions");
            if (dims == null || !dims.isArray()) {
                problems.add("Dimensions missing or not an array");
            } else {
                for (JsonNode set : dims) {
                    if (!set.isArray()) {
                        problems.add("a dimension set is not an array");
                        continue;
                    }
                    if (set.size() > 30) {
                        problems.add("a dimension set has " + set.size() + " dimensions (max 30)");
                    }
                    for (JsonNode name : set) {
                        JsonNode value = name.isTextual() ? root.get(name.asText()) : null;
                        if (value == null || !value.isTextual()) {
                            problems.add("dimension " + name + " has no string member");
                        } else if (value.asText().isEmpty() || value.asText().length() > 1024) {
                            problems.add("dimension " + name + " value is not 1-1024 characters");
                        } else if (name.asText().length() > 255 || name.asText().startsWith(":")) {
                            problems.add("dimension name " + name + " is invalid");
                        }
                    }
                }
            }
            JsonNode metrics = d.get("Metrics");
            if (metrics == null || !metrics.isArray()) {
                problems.add("Metrics missing or not an array");
                continue;
            }
            if (metrics.size() > 100) {
                problems.add("directive has " + metrics.size() + " metrics (max 100)");
            }
            for (JsonNode m : metrics) {
                JsonNode name = m.get("Name");
                if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 255) {
                    problems.add("metric Name missing or not 1-255 characters: " + name);
                    continue;
                }
                if (!metricNames.add(name.asText())) {
                    problems.add("metric " + name + " declared twice");
                }
                JsonNode unit = m.get("Unit");
                if (unit != null && !UNITS.contains(unit.asText())) {
                    problems.add("metric " + name + " has unit " + unit + ", not a CloudWatch unit");
                }
                JsonNode resolution = m.get("StorageResolution");
                if (resolution != null && resolution.asInt() != 1 && resolution.asInt() != 60) {
                    problems.add("metric " + name + " has StorageResolution " + resolution);
                }
                JsonNode value = root.get(name.asText());
                if (value == null) {
                    problems.add("metric " + name + " has no member");
                } else if (value.isArray()) {
                    if (value.size() > 100) {
                        problems.add("metric " + name + " has more than 100 values");
                    }
                    for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                        if (!it.next().isNumber()) {
                            problems.add("metric " + name + " has a non-numeric value");
                        }
                    }
                } else if (!value.isNumber()) {
                    problems.add("metric " + name + " value is not a number");
                }
            }
        }
        return problems;
    }
}
