package io.connectaws.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything one run measured, written as it goes: {@code results.json} (machine, versions, settings, every raw
 * sample, medians, ratios), {@code samples.csv} (one raw sample a line), {@code summary.md} (the table the README
 * shows) and {@code plot.png}. Written after each scenario, so a run that fails late keeps what it measured.
 */
final class Results {

    final Instant started = Instant.now();
    final Map<String, Object> machine = new LinkedHashMap<>();
    final Map<String, Object> versions = new LinkedHashMap<>();
    final Map<String, Object> details = new LinkedHashMap<>();
    final List<Measurement> measurements = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    /** Markdown sections of scenarios whose figures are not ours against stock, appended to summary.md by name. */
    final Map<String, String> sections = new LinkedHashMap<>();
    private final Settings settings;

    Results(Settings settings) {
        this.settings = settings;
    }

    Measurement measure(String id, String label, String unit, boolean higherIsBetter, Double target) {
        Measurement m = new Measurement(id, label, unit, higherIsBetter, target);
        measurements.add(m);
        return m;
    }

    Measurement get(String id) {
        return measurements.stream().filter(m -> m.id.equals(id)).findFirst().orElse(null);
    }

    void write() throws IOException {
        Files.createDirectories(settings.out);
        ObjectNode root = Rest.JSON.createObjectNode();
        ObjectNode run = root.putObject("run");
        run.put("started", started.toString());
        run.put("written", Instant.now().toString());
        run.set("settings", Rest.JSON.valueToTree(settings.describe()));
        run.set("failures", Rest.JSON.valueToTree(failures));
        root.set("machine", Rest.JSON.valueToTree(machine));
        root.set("versions", Rest.JSON.valueToTree(versions));
        ArrayNode list = root.putArray("measurements");
        for (Measurement m : measurements) {
            ObjectNode node = list.addObject();
            node.put("id", m.id);
            node.put("label", m.label);
            node.put("unit", m.unit);
            node.put("better", m.higherIsBetter ? "higher" : "lower");
            ObjectNode medians = node.putObject("median");
            for (String side : m.samples.keySet()) {
                medians.put(side, m.median(side));
            }
            if (!m.oursAgainstStock()) {
                node.put("ratioOf", m.numerator + "/" + m.denominator);
            }
            putNumber(node, "ratio", m.ratio());
            putNumber(node, "ofLimit", m.ofLimit());
            if (m.target != null) {
                node.put("target", m.targetText());
                node.put("met", m.met());
            }
            node.set("samples", Rest.JSON.valueToTree(m.samples));
            node.set("notes", Rest.JSON.valueToTree(m.notes));
        }
        root.set("details", Rest.JSON.valueToTree(details));
        Rest.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(settings.out.resolve("results.json").toFile(), root);
        writeCsv();
        Files.writeString(settings.out.resolve("summary.md"), summary(), StandardCharsets.UTF_8);
        Plot.write(this, settings.out.resolve("plot.png"));
    }

    private static void putNumber(ObjectNode node, String field, Double value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private void writeCsv() throws IOException {
        try (Writer w = Files.newBufferedWriter(settings.out.resolve("samples.csv"), StandardCharsets.UTF_8)) {
            w.write("measurement,unit,side,sample,value\n");
            for (Measurement m : measurements) {
                for (var entry : m.samples.entrySet()) {
                    for (int i = 0; i < entry.getValue().size(); i++) {
                        w.write(m.id + "," + m.unit + "," + entry.getKey() + "," + i + "," + entry.getValue().get(i) + "\n");
                    }
                }
            }
        }
    }

    /** The Markdown table of medians: what the README links. */
    String summary() {
        StringBuilder md = new StringBuilder();
        md.append("| measurement | ours | stock | ours/stock | target | limit | ours/limit |\n");
        md.append("|---|---:|---:|---:|---|---:|---:|\n");
        for (Measurement m : measurements) {
            if (!m.oursAgainstStock()) {
                continue;
            }
            Double ratio = m.ratio();
            Boolean met = m.met();
            md.append("| ").append(m.label).append(" (").append(m.unit).append(") | ")
                    .append(cell(m.median(Measurement.OURS))).append(" | ")
                    .append(cell(m.median(Measurement.STOCK))).append(" | ")
                    .append(ratio == null ? "" : Measurement.trim(ratio) + "x").append(" | ")
                    .append(m.targetText()).append(met == null ? "" : met ? " met" : " **missed**").append(" | ")
                    .append(cell(m.median(Measurement.LIMIT))).append(" | ")
                    .append(m.ofLimit() == null ? "" : String.format("%.0f%%", 100 * m.ofLimit())).append(" |\n");
        }
        for (String section : sections.values()) {
            md.append('\n').append(section);
        }
        return md.toString();
    }

    private static String cell(Double value) {
        return value == null ? "" : Measurement.trim(value);
    }
}
