package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the pre-flight reads from a MySQL or MariaDB server, with the connector's own user and only SELECT and SHOW:
 * the binlog variables, the platform, the binlog retention, the user's grants and the tables it can see.
 *
 * @param mariadb whether the server is MariaDB (its GTIDs are always on; REPLICATION CLIENT is BINLOG MONITOR)
 * @param variables the global variables the checks need, lower-case names
 * @param retention the binlog retention; null when it could not be read ({@code retentionUnread} says why)
 * @param user the account as {@code CURRENT_USER()} names it ({@code cdc@%})
 * @param tables the base tables the user can see, as {@code db.table}
 * @param databases the databases the user can see
 */
record BinlogServer(boolean mariadb, BinlogPlatform platform, Map<String, String> variables, BinlogRetention retention,
                    String retentionUnread, String user, MySqlGrants grants, List<String> databases, List<String> tables) {

    static final List<String> VARIABLES = List.of("log_bin", "binlog_format", "binlog_row_image", "gtid_mode",
            "enforce_gtid_consistency", "binlog_expire_logs_seconds", "expire_logs_days", "binlog_row_value_options",
            "basedir", "aurora_version", "version");
    static final List<String> SYSTEM_DATABASES = List.of("mysql", "information_schema", "performance_schema", "sys");

    /** The variable's value, upper-case, or "" when the server has no such variable. */
    String variable(String name) {
        return variables.getOrDefault(name, "").toUpperCase(Locale.ROOT);
    }

    /** Reads the server through {@code db}. */
    static BinlogServer read(Connection db, boolean mariadb) throws SQLException {
        Map<String, String> variables = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SHOW GLOBAL VARIABLES WHERE Variable_name IN ("
                + String.join(", ", VARIABLES.stream().map(v -> "'" + v + "'").toList()) + ")");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                variables.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        String rdsHours = null;
        boolean rdsTable = false;
        String unread = null;
        try (PreparedStatement s = db.prepareStatement("SELECT value FROM mysql.rds_configuration WHERE name = "
                + "'binlog retention hours'");
             ResultSet rs = s.executeQuery()) {
            rdsTable = true;
            rdsHours = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            unread = Preflight.describe(e);
        }
        BinlogPlatform platform = BinlogPlatform.of(variables, rdsTable);
        BinlogRetention retention = platform.managed()
                ? (rdsTable ? BinlogRetention.rds(rdsHours) : null)
                : BinlogRetention.selfManaged(variables.get("binlog_expire_logs_seconds"), variables.get("expire_logs_days"));
        String user = strings(db, "SELECT CURRENT_USER()").get(0);
        MySqlGrants grants = MySqlGrants.parse(grants(db, mariadb), mariadb);
        List<String> databases = strings(db, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1");
        List<String> tables = strings(db, "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES "
                + "WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY 1");
        databases.removeIf(d -> SYSTEM_DATABASES.contains(d.toLowerCase(Locale.ROOT)));
        tables.removeIf(t -> SYSTEM_DATABASES.contains(t.substring(0, t.indexOf('.')).toLowerCase(Locale.ROOT)));
        return new BinlogServer(mariadb, platform, variables, retention, retention == null ? unread : null, user, grants,
                databases, tables);
    }

    /**
     * The user's grant lines. MariaDB's {@code SHOW GRANTS} includes the active role's; MySQL 8 shows a role's
     * privileges only with {@code USING}.
     */
    private static List<String> grants(Connection db, boolean mariadb) throws SQLException {
        if (!mariadb) {
            try {
                String roles = strings(db, "SELECT CURRENT_ROLE()").get(0);
                if (roles != null && !roles.isBlank() && !roles.equalsIgnoreCase("NONE")) {
                    return strings(db, "SHOW GRANTS FOR CURRENT_USER() USING " + roles);
                }
            } catch (SQLException e) {
                // MySQL 5.7 has no roles
            }
        }
        return strings(db, "SHOW GRANTS");
    }

    private static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
