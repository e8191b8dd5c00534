package io.connectaws.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium 1.x connector property names, still in most tutorials, and their 2.x names: {@code database.server.name}
 * is {@code topic.prefix}, {@code database.history.*} is {@code schema.history.internal.*} (with the history classes
 * renamed), the white/black lists are include/exclude lists, SQL Server's {@code database.dbname} is
 * {@code database.names}. Debezium 2.x and 3.x ignore the old names, so a connector written with them is accepted and
 * its task fails at start. Used by the image's REST filter and by the declarations, so both write the same config.
 */
public final class DebeziumLegacyNames {

    /** One old name and the new one it became. */
    public record Rename(String from, String to) {
    }

    /** The config with new names only, and what was renamed. */
    public record Result(Map<String, String> config, List<Rename> renames) {
    }

    private static final Map<String, String> EXACT = Map.ofEntries(
            Map.entry("database.server.name", "topic.prefix"),
            Map.entry("database.history", "schema.history.internal"),
            Map.entry("database.whitelist", "database.include.list"),
            Map.entry("database.blacklist", "database.exclude.list"),
            Map.entry("schema.whitelist", "schema.include.list"),
            Map.entry("schema.blacklist", "schema.exclude.list"),
            Map.entry("table.whitelist", "table.include.list"),
            Map.entry("table.blacklist", "table.exclude.list"),
            Map.entry("column.whitelist", "column.include.list"),
            Map.entry("column.blacklist", "column.exclude.list"));
    private static final String OLD_HISTORY = "database.history.";
    private static final String NEW_HISTORY = "schema.history.internal.";
    private static final Map<String, String> HISTORY_CLASSES = Map.of(
            "io.debezium.relational.history.KafkaDatabaseHistory", "io.debezium.storage.kafka.history.KafkaSchemaHistory",
            "io.debezium.relational.history.FileDatabaseHistory", "io.debezium.storage.file.history.FileSchemaHistory",
            "io.debezium.relational.history.MemoryDatabaseHistory", "io.debezium.relational.history.MemorySchemaHistory");

    /** Debezium's relational connectors, by the aliases Connect also accepts (simple name, without "Connector"). */
    private static final Map<String, String> BY_ALIAS = aliases(List.of(
            "io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.mysql.MySqlConnector",
            "io.debezium.connector.mariadb.MariaDbConnector", "io.debezium.connector.sqlserver.SqlServerConnector",
            "io.debezium.connector.oracle.OracleConnector", "io.debezium.connector.db2.Db2Connector",
            "io.debezium.connector.informix.InformixConnector"));

    private DebeziumLegacyNames() {
    }

    private static Map<String, String> aliases(List<String> classes) {
        Map<String, String> byAlias = new java.util.HashMap<>();
        for (String c : classes) {
            String simple = c.substring(c.lastIndexOf('.') + 1);
            byAlias.put(simple, c);
            byAlias.put(simple.substring(0, simple.length() - "Connector".length()), c);
        }
        return Map.copyOf(byAlias);
    }

    /**
     * The full class name of a {@code connector.class} value, which Connect also accepts as the class's simple name or
     * that name without "Connector" ({@code MySqlConnector}, {@code MySql}); other values as they are, null as null.
     */
    public static String connectorClass(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return BY_ALIAS.getOrDefault(v, v);
    }

    /** The 2.x name of {@code key} in a config of {@code connectorClass}, or null when it is not a 1.x name. */
    public static String newName(String connectorClass, String key) {
        connectorClass = connectorClass(connectorClass);
        if (connectorClass == null || !connectorClass.startsWith("io.debezium.connector.")) {
            return null;
        }
        String exact = EXACT.get(key);
        if (exact != null) {
            return exact;
        }
        if (key.startsWith(OLD_HISTORY)) {
            return NEW_HISTORY + key.substring(OLD_HISTORY.length());
        }
        if (key.equals("database.dbname") && connectorClass.equals("io.debezium.connector.sqlserver.SqlServerConnector")) {
            return "database.names";
        }
        return null;
    }

    /**
     * The config with each 1.x name replaced by its 2.x name, in place of the old key.
     *
     * @throws IllegalArgumentException naming both keys when an old and a new name are both set, to different values
     */
    public static Result translate(Map<String, String> config) {
        return translate(config, config.get("connector.class"));
    }

    /**
     * As {@link #translate(Map)}, for a config of {@code connectorClass}: a PATCH body names only the keys it changes,
     * so its connector's class comes from the stored config. A key set to null (a PATCH removing it) keeps its name:
     * removing a 1.x name the stored config never had must not remove the 2.x one it has.
     */
    public static Result translate(Map<String, String> config, String connectorClass) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Rename> renames = new ArrayList<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String to = e.getValue() == null ? null : newName(connectorClass, e.getKey());
            if (to == null) {
                out.putIfAbsent(e.getKey(), e.getValue());
                continue;
            }
            String value = to.equals("schema.history.internal")
                    ? HISTORY_CLASSES.getOrDefault(e.getValue().trim(), e.getValue()) : e.getValue();
            String given = config.get(to);
            if (given != null && !given.equals(value)) {
                throw new IllegalArgumentException(e.getKey() + " is Debezium 1.x's name for " + to + ", and the config "
                        + "sets both to different values: remove " + e.getKey());
            }
            out.put(to, value);
            renames.add(new Rename(e.getKey(), to));
        }
        return new Result(out, List.copyOf(renames));
    }
}
