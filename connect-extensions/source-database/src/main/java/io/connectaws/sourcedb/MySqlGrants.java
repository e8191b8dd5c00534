package io.connectaws.sourcedb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MySQL or MariaDB account's privileges, read from its {@code SHOW GRANTS} lines: global ({@code ON *.*}),
 * per database (a name or a {@code LIKE} pattern) and per table. Column privileges and routine grants are ignored: a
 * snapshot reads whole tables. Only privilege names are kept; the lines themselves (which may carry a password hash)
 * are never kept or shown.
 */
final class MySqlGrants {

    /** What the connector needs, with every name a server shows for it. */
    enum Need {
        /** Reading the binlog stream. MariaDB 10.5+ and MySQL 8.0.26+ also call it REPLICATION REPLICA. */
        REPLICATION_SLAVE("REPLICATION SLAVE", "REPLICATION SLAVE", "REPLICATION REPLICA"),
        /**
         * {@code SHOW MASTER STATUS}/{@code SHOW BINARY LOG STATUS} and {@code SHOW BINARY LOGS}. MariaDB 10.5+ shows
         * it as BINLOG MONITOR; MySQL's SUPER includes it. MariaDB's REPLICA MONITOR (alias SLAVE MONITOR) is not it:
         * that one allows {@code SHOW REPLICA STATUS} only.
         */
        REPLICATION_CLIENT("REPLICATION CLIENT", "REPLICATION CLIENT", "BINLOG MONITOR", "SUPER"),
        /** {@code FLUSH TABLES WITH READ LOCK}, the snapshot's global read lock. */
        RELOAD("RELOAD", "RELOAD"),
        /** Table-level locks, the snapshot's fallback where the global read lock is refused (RDS, Aurora). */
        LOCK_TABLES("LOCK TABLES", "LOCK TABLES"),
        /** Reading the captured tables in the snapshot. */
        SELECT("SELECT", "SELECT");

        private final String grantName;
        private final Set<String> names;

        Need(String grantName, String... names) {
            this.grantName = grantName;
            this.names = Set.of(names);
        }

        /** The name to write in a GRANT statement. */
        String grantName() {
            return grantName;
        }
    }

    private static final Pattern GRANT = Pattern.compile(
            "^GRANT\\s+(.+?)\\s+ON\\s+(?:TABLE\\s+)?((?:`(?:[^`]|``)*`|[^\\s.`]+|\\*)\\.(?:`(?:[^`]|``)*`|[^\\s`]+|\\*))\\s+TO\\s",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ROUTINE = Pattern.compile("^GRANT\\s+.+?\\s+ON\\s+(FUNCTION|PROCEDURE|PACKAGE)\\s",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final Set<String> global;
    private final Map<String, Set<String>> databases;
    private final Map<String, Set<String>> tables;
    private final boolean mariadb;

    private MySqlGrants(Set<String> global, Map<String, Set<String>> databases, Map<String, Set<String>> tables,
                        boolean mariadb) {
        this.global = global;
        this.databases = databases;
        this.tables = tables;
        this.mariadb = mariadb;
    }

    /**
     * Parses {@code SHOW GRANTS} output; lines other than privilege grants (role grants, SET DEFAULT ROLE, REVOKE) are
     * skipped.
     */
    static MySqlGrants parse(List<String> lines, boolean mariadb) {
        Set<String> global = new HashSet<>();
        Map<String, Set<String>> databases = new HashMap<>();
        Map<String, Set<String>> tables = new HashMap<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (ROUTINE.matcher(trimmed).find()) {
                continue;
            }
            Matcher m = GRANT.matcher(trimmed);
            if (!m.find()) {
                continue;
            }
            Set<String> privileges = privileges(m.group(1));
            String[] object = splitObject(m.group(2));
            if (object[0].equals("*") && object[1].equals("*")) {
                global.addAll(privileges);
            } else if (object[1].equals("*")) {
                databases.computeIfAbsent(object[0], k -> new HashSet<>()).addAll(privileges);
            } else {
                tables.computeIfAbsent(object[0] + "." + object[1], k -> new HashSet<>()).addAll(privileges);
            }
        }
        return new MySqlGrants(global, databases, tables, mariadb);
    }

    /** Whether the account holds {@code need} on every database ({@code ON *.*}). */
    boolean global(Need need) {
        return satisfies(global, need);
    }

    /** Whether the account holds {@code need} on database {@code db} as a whole (globally or on the database). */
    boolean onDatabase(Need need, String db) {
        if (global(need)) {
            return true;
        }
        for (Map.Entry<String, Set<String>> e : databases.entrySet()) {
            if (satisfies(e.getValue(), need) && like(e.getKey(), db)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the account holds {@code need} on table {@code db.table}, at any level. */
    boolean onTable(Need need, String db, String table) {
        if (onDatabase(need, db)) {
            return true;
        }
        Set<String> privileges = tables.get(db.toLowerCase(Locale.ROOT) + "." + table.toLowerCase(Locale.ROOT));
        return privileges != null && satisfies(privileges, need);
    }

    private boolean satisfies(Set<String> held, Need need) {
        if (held.contains("ALL") || held.contains("ALL PRIVILEGES")) {
            return true;
        }
        for (String name : need.names) {
            if (held.contains(name) && !(mariadb && name.equals("SUPER"))) {
                return true;
            }
        }
        return false;
    }

    /** Splits a privilege list on commas outside parentheses; a column privilege ({@code SELECT (a, b)}) is dropped. */
    static Set<String> privileges(String list) {
        Set<String> out = new HashSet<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean columns = false;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '(') {
                depth++;
                columns = true;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String name = current.toString().trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
                if (!name.isEmpty() && !columns) {
                    out.add(name);
                }
                current.setLength(0);
                columns = false;
            } else if (depth == 0) {
                current.append(c);
            }
        }
        return out;
    }

    /** {@code `db`.`table`} as its two unquoted, lower-case parts ({@code *} stays {@code *}). */
    static String[] splitObject(String object) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < object.length(); i++) {
            char c = object.charAt(i);
            if (c == '`') {
                if (quoted && i + 1 < object.length() && object.charAt(i + 1) == '`') {
                    current.append('`');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return new String[] {parts.get(0).toLowerCase(Locale.ROOT),
                parts.size() > 1 ? parts.get(1).toLowerCase(Locale.ROOT) : "*"};
    }

    /** Whether database {@code name} matches a database-level grant's name, which may use LIKE's % and _. */
    static boolean like(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(name).matches();
    }
}
