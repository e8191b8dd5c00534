package io.connectaws.sourcedb;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which tables a Debezium connector captures, read the way Debezium reads its filters: {@code schema.include.list} /
 * {@code schema.exclude.list} against the schema name, {@code table.include.list} / {@code table.exclude.list} against
 * {@code schema.table}; comma-separated regular expressions, case-insensitive, each matching the whole name.
 */
public final class TableFilter {

    private final Predicate<String> schemas;
    private final Predicate<String> tables;

    private TableFilter(Predicate<String> schemas, Predicate<String> tables) {
        this.schemas = schemas;
        this.tables = tables;
    }

    /** The filter of {@code candidate}'s config, with {@code schemaKey} the name Debezium gives the schema level. */
    public static TableFilter of(Candidate candidate, String schemaKey) {
        return new TableFilter(
                level(candidate.get(schemaKey + ".include.list", null), candidate.get(schemaKey + ".exclude.list", null)),
                level(candidate.get("table.include.list", null), candidate.get("table.exclude.list", null)));
    }

    /** Whether the table {@code schema.table} is captured. */
    public boolean captures(String schema, String table) {
        return schemas.test(schema) && tables.test(schema + "." + table);
    }

    private static Predicate<String> level(String include, String exclude) {
        if (include != null) {
            List<Pattern> patterns = patterns(include);
            return name -> patterns.stream().anyMatch(p -> p.matcher(name).matches());
        }
        if (exclude != null) {
            List<Pattern> patterns = patterns(exclude);
            return name -> patterns.stream().noneMatch(p -> p.matcher(name).matches());
        }
        return name -> true;
    }

    /** Splits on commas outside {@code {m,n}} quantifiers and {@code \,} escapes. */
    static List<Pattern> patterns(String list) {
        List<Pattern> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\' && i + 1 < list.length() && list.charAt(i + 1) == ',') {
                current.append(',');
                i++;
                continue;
            }
            if (c == '{') {
                braces++;
            } else if (c == '}' && braces > 0) {
                braces--;
            } else if (c == ',' && braces == 0) {
                add(out, current);
                continue;
            }
            current.append(c);
        }
        add(out, current);
        return out;
    }

    private static void add(List<Pattern> out, StringBuilder current) {
        String regex = current.toString().trim();
        current.setLength(0);
        if (!regex.isEmpty()) {
            out.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        }
    }
}
