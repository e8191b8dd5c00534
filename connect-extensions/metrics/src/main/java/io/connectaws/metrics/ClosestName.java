package io.connectaws.metrics;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a misspelt one most likely meant, for the "did you mean" of an error message: the closest by
 * Levenshtein distance, ignoring case, when it is at most {@link #MAX_EDITS} edits away. Shared by the metrics rules
 * check and the launcher's {@code CONNECT_AWS_*} variable check.
 */
public final class ClosestName {
    /** Farther than this many edits, a name is not offered as the one meant. */
    public static final int MAX_EDITS = 3;

    private ClosestName() {
    }

    /** The first of {@code known} closest to {@code name}, if it is at most {@link #MAX_EDITS} edits away. */
    public static Optional<String> to(String name, Collection<String> known) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return known.stream()
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(Locale.ROOT), wanted)))
                .filter(k -> distance(k.toLowerCase(Locale.ROOT), wanted) <= MAX_EDITS);
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
