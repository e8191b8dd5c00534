package io.connectaws.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CloudFormation resource specification as AWS publishes it and npm serves it ({@code @aws-cdk/aws-service-spec},
 * its {@code db.json.gz}): each resource type's properties, which are required, their types; CloudWatch's metrics and
 * dimension sets per namespace. Fetched once with {@code npm pack} (npm's cache keeps it for offline runs) into
 * {@code ~/.cache/connect-aws/}; {@code -Daws.service.spec=/path/db.json.gz} uses a copy at hand instead.
 */
final class AwsServiceSpec {
    /** Pinned, so a test run reads the same specification until someone moves it on. */
    static final String VERSION = "0.1.216";
    static final String PACKAGE = "@aws-cdk/aws-service-spec";

    private final Map<String, JsonNode> resources = new HashMap<>();
    private final Map<String, JsonNode> types = new HashMap<>();
    private final Map<String, JsonNode> metricsById = new HashMap<>();
    private final Map<String, JsonNode> dimensionSets = new HashMap<>();
    private final JsonNode usesDimensionSet;

    private AwsServiceSpec(JsonNode db) {
        JsonNode schema = db.get("schema");
        schema.at("/resource/entities").forEach(r -> resources.put(r.get("cloudFormationType").asText(), r));
        schema.at("/typeDefinition/entities").forEach(t -> types.put(t.get("$id").asText(), t));
        schema.at("/metric/entities").forEach(m -> metricsById.put(m.get("$id").asText(), m));
        schema.at("/dimensionSet/entities").forEach(d -> dimensionSets.put(d.get("$id").asText(), d));
        usesDimensionSet = schema.at("/usesDimensionSet/forward");
    }

    /** The specification, or why it cannot be had (npm missing or unreachable and nothing cached). */
    static Result load() throws IOException, InterruptedException {
        Path db = Optional.ofNullable(System.getProperty("aws.service.spec")).map(Path::of).orElse(
                Path.of(System.getProperty("user.home"), ".cache", "connect-aws", "aws-service-spec-" + VERSION, "db.json.gz"));
        if (!Files.isRegularFile(db)) {
            String why = fetch(db);
            if (why != null) {
                return new Result(null, why);
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
            return new Result(new AwsServiceSpec(CfnTemplate.JSON.readTree(in)), null);
        }
    }

    record Result(AwsServiceSpec spec, String unavailable) {
    }

    private static String fetch(Path db) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("aws-service-spec");
        String out;
        try {
            Process pack = new ProcessBuilder("npm", "pack", PACKAGE + "@" + VERSION, "--prefer-offline", "--silent",
                    "--pack-destination", work.toString()).redirectErrorStream(true).start();
            out = new String(pack.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!pack.waitFor(300, TimeUnit.SECONDS) || pack.exitValue() != 0) {
                return "npm pack " + PACKAGE + "@" + VERSION + " failed: " + out.lines().reduce((a, b) -> b).orElse("");
            }
        } catch (IOException e) {
            return "npm is not installed (" + e.getMessage() + ")";
        }
        Path tgz = work.resolve(out.lines().reduce((a, b) -> b).orElse("").trim());
        Files.createDirectories(db.getParent());
        Process tar = new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", work.toString(), "package/db.json.gz")
                .redirectErrorStream(true).start();
        String tarOut = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            return "cannot unpack " + tgz + ": " + tarOut;
        }
        Path partial = db.resolveSibling("db.json.gz.part");
        Files.move(work.resolve("package/db.json.gz"), partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, db, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return null;
    }

    /** Problems of one resource with resolved {@code properties}: an unknown type or property, a missing required one, a wrong type. */
    List<String> check(String logicalId, String type, JsonNode properties) {
        List<String> problems = new ArrayList<>();
        JsonNode resource = resources.get(type);
        if (resource == null) {
            problems.add(logicalId + ": no resource type " + type + " in the CloudFormation specification");
            return problems;
        }
        checkObject(logicalId + " (" + type + ")", resource.get("properties"), properties, problems);
        return problems;
    }

    /** True when {@code type} has the attribute {@code Fn::GetAtt} asks for. */
    boolean hasAttribute(String type, String attribute) {
        JsonNode resource = resources.get(type);
        return resource != null && resource.path("attributes").has(attribute);
    }

    private void checkObject(String where, JsonNode spec, JsonNode value, List<String> problems) {
        if (!value.isObject()) {
            problems.add(where + ": expected an object, got " + value);
            return;
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode property = spec.get(name);
            if (property == null) {
                List<String> known = new ArrayList<>();
                spec.fieldNames().forEachRemaining(known::add);
                problems.add(where + ": unknown property " + name + " (known: " + String.join(", ", known) + ")");
            } else {
                checkValue(where + "." + name, property.get("type"), value.get(name), problems);
            }
        }
        spec.fields().forEachRemaining(p -> {
            if (p.getValue().path("required").asBoolean(false) && !value.has(p.getKey())) {
                problems.add(where + ": the required property " + p.getKey() + " is missing");
            }
        });
    }

    private void checkValue(String where, JsonNode type, JsonNode value, List<String> problems) {
        switch (type.get("type").asText()) {
            case "string", "date-time" -> {
                if (!value.isValueNode()) {
                    problems.add(where + ": expected a string, got " + value);
                }
            }
            case "integer", "number" -> {
                if (!(value.isNumber() || value.isTextual() && value.asText().matches("-?[0-9]+(\\.[0-9]+)?"))) {
                    problems.add(where + ": expected a number, got " + value);
                }
            }
            case "boolean" -> {
                if (!(value.isBoolean() || value.isTextual() && value.asText().matches("true|false"))) {
                    problems.add(where + ": expected a boolean, got " + value);
                }
            }
            case "json" -> { }
            case "tag" -> {
                if (!value.has("Key") || !value.has("Value") || value.size() != 2) {
                    problems.add(where + ": expected a tag {Key, Value}, got " + value);
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": expected a list, got " + value);
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        checkValue(where + "[" + i + "]", type.get("element"), value.get(i), problems);
                    }
                }
            }
            case "map" -> {
                if (!value.isObject()) {
                    problems.add(where + ": expected a map, got " + value);
                } else {
                    value.fields().forEachRemaining(e -> checkValue(where + "." + e.getKey(), type.get("element"), e.getValue(), problems));
                }
            }
            case "ref" -> checkObject(where, types.get(type.at("/reference/$ref").asText()).get("properties"), value, problems);
            case "union" -> {
                List<String> best = null;
                for (JsonNode alternative : type.get("types")) {
                    List<String> p = new ArrayList<>();
                    checkValue(where, alternative, value, p);
                    if (best == null || p.size() < best.size()) {
                        best = p;
                    }
                }
                problems.addAll(best);
            }
            default -> problems.add(where + ": type " + type + " is not known to this check");
        }
    }

    /** The dimension name sets CloudWatch publishes {@code metric} of {@code namespace} with; empty when it has no such metric. */
    List<List<String>> dimensionsOf(String namespace, String metric) {
        List<List<String>> sets = new ArrayList<>();
        metricsById.forEach((id, m) -> {
            if (m.path("namespace").asText().equals(namespace) && m.path("name").asText().equals(metric)) {
                for (JsonNode ref : usesDimensionSet.path(id)) {
                    List<String> names = new ArrayList<>();
                    dimensionSets.get(ref.get("$id").asText()).get("dimensions").forEach(d -> names.add(d.get("name").asText()));
                    sets.add(names);
                }
            }
        });
        return sets;
    }
}
