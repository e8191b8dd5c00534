package io.connectaws.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure of the comparison: raw samples per side ("ours", "stock", and "limit" for the machine's physical
 * limit where there is one), their medians, the ours/stock ratio and the target for it.
 */
final class Measurement {

    static final String OURS = "ours";
    static final String STOCK = "stock";
    static final String LIMIT = "limit";

    final String id;
    final String label;
    final String unit;
    final boolean higherIsBetter;
    /** Target for ours/stock (e.g. 0.2 when lower is better: "<= 0.2x"), or null. */
    final Double target;
    final Map<String, List<Double>> samples = new LinkedHashMap<>();
    /** The sides the ratio divides: ours / stock unless {@link #sides} says otherwise (e.g. on / off). */
    String numerator = OURS;
    String denominator = STOCK;
    final List<String> notes = new ArrayList<>();

    Measurement(String id, String label, String unit, boolean higherIsBetter, Double target) {
        this.id = id;
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.target = target;
    }

    Measurement add(String side, double value) {
        samples.computeIfAbsent(side, s -> new ArrayList<>()).add(value);
        return this;
    }

    /** Makes the ratio (and the target) {@code numerator / denominator} instead of ours / stock. */
    Measurement sides(String numerator, String denominator) {
        this.numerator = numerator;
        this.denominator = denominator;
        return this;
    }

    /** Whether this is an ours-against-stock figure (the summary's main table). */
    boolean oursAgainstStock() {
        return OURS.equals(numerator) && STOCK.equals(denominator);
    }

    Measurement note(String note) {
        notes.add(note);
        return this;
    }

    /** Median of a side's samples, or null without samples. */
    Double median(String side) {
        List<Double> values = samples.get(side);
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** ours / stock of the medians (or the two {@link #sides}), or null. */
    Double ratio() {
        return ratio(numerator);
    }

    /** {@code side} / the denominator side of the medians, or null. */
    Double ratio(String side) {
        Double a = median(side);
        Double b = median(denominator);
        return a == null || b == null || b == 0 ? null : a / b;
    }

    /** ours / limit of the medians, or null. */
    Double ofLimit() {
        Double ours = median(OURS);
        Double limit = median(LIMIT);
        return ours == null || limit == null || limit == 0 ? null : ours / limit;
    }

    /** Whether the ratio meets the target; null without a target or a ratio. */
    Boolean met() {
        Double ratio = ratio();
        if (target == null || ratio == null) {
            return null;
        }
        return higherIsBetter ? ratio >= target : ratio <= target;
    }

    String targetText() {
        return target == null ? "" : (higherIsBetter ? ">= " : "<= ") + trim(target) + "x";
    }

    static String trim(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) {
            return Long.toString((long) value);
        }
        return Math.abs(value) >= 100 ? String.format("%.0f", value)
                : Math.abs(value) >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
    }
}
