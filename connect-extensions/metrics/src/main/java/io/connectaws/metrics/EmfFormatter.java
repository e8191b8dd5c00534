package io.connectaws.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Formats data points as CloudWatch Embedded Metric Format lines (one JSON object per line) within EMF's limits
 * (100 metrics per object, 30 dimensions per set) and under the 16 KiB at which the awslogs driver splits a line.
 * Points that share their own dimensions go into one object that declares their rollup sets as well; objects
 * are split when a limit would be crossed.
 */
public final class EmfFormatter {
    public static final int MAX_METRICS = 100;
    public static final int MAX_DIMENSIONS_PER_SET = 30;
    /** Line budget in bytes, newline excluded: below awslogs' 16,384 with room for a runtime's own framing. */
    public static final int MAX_LINE_BYTES = 15 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final String namespace;
    private final DimensionPlan plan;
    private final Map<String, String> properties;

    /**
     * @param properties string members added to every object and not dimensions (e.g. WorkerId, EcsTaskArn), so
     *                   a replaced task does not start new metric streams
     */
    public EmfFormatter(String namespace, DimensionPlan plan, Map<String, String> properties) {
        this.namespace = namespace;
        this.plan = plan;
        this.properties = new LinkedHashMap<>(properties);
    }

    /**
     * The EMF lines (without newline) for one interval's points, timestamped {@code timestampMillis}; points the plan
     * publishes under no dimension set (not at this detail level) are left out.
     */
    public List<String> format(List<Datum> data, long timestampMillis) {
        Map<Group, List<Datum>> groups = new LinkedHashMap<>();
        for (Datum d : data) {
            List<List<String>> sets = plan.setsFor(d.name(), d.dimensions());
            if (!sets.isEmpty()) {
                groups.computeIfAbsent(new Group(d.dimensions(), sets), k -> new ArrayList<>()).add(d);
            }
        }
        List<String> lines = new ArrayList<>();
        groups.forEach((group, points) -> {
            int base = write(group, List.of(), timestampMillis).length;
            List<Datum> chunk = new ArrayList<>();
            int size = base;
            for (Datum d : points) {
                int cost = estimate(d);
                if (!chunk.isEmpty() && (chunk.size() == MAX_METRICS || size + cost > MAX_LINE_BYTES)) {
                    emit(group, chunk, timestampMillis, lines);
                    chunk = new ArrayList<>();
                    size = base;
                }
                chunk.add(d);
                size += cost;
            }
            if (!chunk.isEmpty()) {
                emit(group, chunk, timestampMillis, lines);
            }
        });
        return lines;
    }

    /** Points that share their own dimension values and the sets they are published under: one EMF object. */
    private record Group(Map<String, String> dims, List<List<String>> sets) {}

    private void emit(Group group, List<Datum> chunk, long timestamp, List<String> lines) {
        byte[] line = write(group, chunk, timestamp);
        if (line.length > MAX_LINE_BYTES && chunk.size() > 1) {
            // the estimate was short (escaped characters): split in halves until each fits
            emit(group, chunk.subList(0, chunk.size() / 2), timestamp, lines);
            emit(group, chunk.subList(chunk.size() / 2, chunk.size()), timestamp, lines);
            return;
        }
        lines.add(new String(line, StandardCharsets.UTF_8));
    }

    /** Bytes one point adds: its directive entry and its member, with separators. */
    private static int estimate(Datum d) {
        int name = d.name().getBytes(StandardCharsets.UTF_8).length + 2;
        return (name + d.unit().length() + 22) + (name + 1 + 24 + 2);
    }

    private byte[] write(Group group, List<Datum> points, long timestamp) {
        Map<String, String> dims = group.dims();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestamp);
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            Map<String, String> all = new LinkedHashMap<>(plan.extra());
            all.putAll(dims);
            for (List<String> set : group.sets()) {
                g.writeStartArray();
                for (String name : set) {
                    g.writeString(name);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (Datum d : points) {
                g.writeStartObject();
                g.writeStringField("Name", d.name());
                g.writeStringField("Unit", d.unit());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            for (Map.Entry<String, String> e : all.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, String> e : properties.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            for (Datum d : points) {
                g.writeFieldName(d.name());
                writeNumber(g, d.value());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void writeNumber(JsonGenerator g, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            g.writeNumber((long) value);
        } else {
            g.writeNumber(value);
        }
    }
}
