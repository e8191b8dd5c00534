package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Debezium's SQL Server prerequisites, read with the connector's own login: CDC enabled on each database of
 * {@code database.names}, on the tables {@code table.include.list} names, and SQL Server Agent running (it runs the CDC
 * capture jobs; without it the change tables stay empty and the connector streams nothing). Amazon RDS enables CDC
 * through {@code msdb.dbo.rds_cdc_enable_db} and runs the agent itself.
 */
public final class SqlServerCheck implements SourceCheck {

    static final String CONNECTOR = "io.debezium.connector.sqlserver.SqlServerConnector";
    static final String DRIVER = "com.microsoft.sqlserver.jdbc.SQLServerDriver";
    /** {@code SERVERPROPERTY('EngineEdition')}: Express has no agent; Azure SQL Database schedules CDC itself. */
    static final int EXPRESS = 4;
    static final int AZURE_SQL_DATABASE = 5;

    @Override
    public boolean handles(String connectorClass) {
        return CONNECTOR.equals(connectorClass);
    }

    @Override
    public List<Finding> check(Candidate candidate, Connections connections) throws SQLException {
        try (Connection db = connections.open(CONNECTOR, DRIVER, url(candidate), properties(candidate))) {
            return findings(candidate, read(db, databaseNames(candidate)));
        }
    }

    static String url(Candidate c) {
        String instance = c.get("database.instance", null);
        return "jdbc:sqlserver://" + c.get("database.hostname", "localhost") + ":" + c.get("database.port", "1433")
                + (instance == null ? "" : ";instanceName=" + instance);
    }

    static Properties properties(Candidate c) {
        Properties p = c.login(true);
        for (String key : List.of("encrypt", "trustServerCertificate", "trustStore", "trustStorePassword",
                "hostNameInCertificate")) {
            String value = c.config().get("database." + key);
            if (value != null && !value.isBlank()) {
                p.setProperty(key, value.trim());
            }
        }
        p.setProperty("databaseName", "master");
        p.setProperty("loginTimeout", "15");
        p.setProperty("socketTimeout", "30000");
        p.setProperty("applicationName", "connect-aws-preflight");
        return p;
    }

    /** {@code database.names} (or Debezium 1.x's {@code database.dbname}), trimmed. */
    static List<String> databaseNames(Candidate c) {
        String names = c.get("database.names", c.get("database.dbname", ""));
        List<String> out = new ArrayList<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                out.add(name.trim());
            }
        }
        return out;
    }

    /** What the pre-flight read from one server. */
    record Server(boolean rds, int engineEdition, List<Database> databases, Boolean agentRunning, String agentUnread) {
    }

    /**
     * One database of {@code database.names}.
     *
     * @param unreadable why its tables could not be listed (the login has no user there); null when they could
     */
    record Database(String name, boolean exists, boolean cdcEnabled, String unreadable, List<Table> tables) {
    }

    /** One user table and whether CDC tracks it. */
    record Table(String schema, String name, boolean tracked) {
    }

    static Server read(Connection db, List<String> names) throws SQLException {
        boolean rds;
        int edition;
        try (PreparedStatement s = db.prepareStatement("SELECT CASE WHEN DB_ID('rdsadmin') IS NULL THEN 0 ELSE 1 END, "
                + "CAST(SERVERPROPERTY('EngineEdition') AS int)");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            rds = rs.getInt(1) == 1;
            edition = rs.getInt(2);
        }
        List<Database> databases = new ArrayList<>();
        for (String name : names) {
            databases.add(database(db, name));
        }
        Boolean running = null;
        String unread = null;
        if (!rds && edition != AZURE_SQL_DATABASE) {
            try (PreparedStatement s = db.prepareStatement("SELECT status_desc FROM sys.dm_server_services WHERE "
                    + "servicename LIKE N'SQL Server Agent%'");
                 ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    running = "Running".equalsIgnoreCase(rs.getString(1));
                } else {
                    unread = "sys.dm_server_services lists no SQL Server Agent";
                }
            } catch (SQLException e) {
                unread = Preflight.describe(e);
            }
        }
        return new Server(rds, edition, databases, running, unread);
    }

    private static Database database(Connection db, String name) throws SQLException {
        boolean enabled;
        try (PreparedStatement s = db.prepareStatement("SELECT is_cdc_enabled FROM sys.databases WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new Database(name, false, false, null, List.of());
                }
                enabled = rs.getBoolean(1);
            }
        }
        List<Table> tables = new ArrayList<>();
        String quoted = bracket(name);
        try (PreparedStatement s = db.prepareStatement("SELECT s.name, t.name, t.is_tracked_by_cdc FROM " + quoted
                + ".sys.tables t JOIN " + quoted + ".sys.schemas s ON s.schema_id = t.schema_id WHERE t.is_ms_shipped = 0 "
                + "ORDER BY 1, 2");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tables.add(new Table(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        } catch (SQLException e) {
            return new Database(name, true, enabled, Preflight.describe(e), List.of());
        }
        return new Database(name, true, enabled, null, tables);
    }

    /** What {@code server} lacks for {@code c}; a pure function of what was read. */
    static List<Finding> findings(Candidate c, Server server) {
        List<Finding> out = new ArrayList<>();
        String login = c.get("database.user", "");
        if (server.databases().isEmpty()) {
            return out; // Connect's own validation requires database.names
        }
        if (server.engineEdition() == EXPRESS) {
            out.add(Finding.error("database.hostname", "this SQL Server is Express edition, which has no SQL Server Agent "
                    + "and cannot run CDC capture jobs; the connector needs Standard, Enterprise or Developer edition"
                    + (server.rds() ? " (on Amazon RDS: an instance of the Standard or Enterprise edition)" : "")));
        }
        TableFilter filter = TableFilter.of(c, "schema");
        boolean filtered = c.get("table.include.list", null) != null || c.get("schema.include.list", null) != null;
        for (Database d : server.databases()) {
            if (!d.exists()) {
                out.add(Finding.error("database.names", "database '" + d.name() + "' does not exist, or login '" + login
                        + "' may not see it. Fix: correct database.names, or GRANT VIEW ANY DATABASE TO "
                        + bracket(login) + ";"));
                continue;
            }
            if (!d.cdcEnabled()) {
                out.add(Finding.error("database.names", "CDC is not enabled on database '" + d.name() + "' "
                        + "(sys.databases.is_cdc_enabled = 0); the connector reads its change tables and needs it enabled. "
                        + "Fix: " + enableDatabase(d.name(), server.rds()) + " then enable CDC on each captured table"));
                continue;
            }
            if (d.unreadable() != null) {
                out.add(Finding.error("database.user", "login '" + login + "' cannot read database '" + d.name() + "' ("
                        + d.unreadable() + "). Fix: USE " + bracket(d.name()) + "; CREATE USER " + bracket(login)
                        + " FOR LOGIN " + bracket(login) + "; ALTER ROLE db_datareader ADD MEMBER " + bracket(login) + ";"));
                continue;
            }
            List<Table> captured = d.tables().stream().filter(t -> filter.captures(t.schema(), t.name())).toList();
            List<Table> untracked = captured.stream().filter(t -> !t.tracked()).toList();
            if (filtered && !untracked.isEmpty()) {
                StringBuilder fix = new StringBuilder("USE " + bracket(d.name()) + ";");
                for (Table t : untracked.subList(0, Math.min(10, untracked.size()))) {
                    fix.append(" EXEC sys.sp_cdc_enable_table @source_schema = N'").append(t.schema().replace("'", "''"))
                            .append("', @source_name = N'").append(t.name().replace("'", "''"))
                            .append("', @role_name = NULL;");
                }
                out.add(Finding.error("table.include.list", "CDC is not enabled on " + names(d, untracked) + ", which "
                        + "the connector's filters include; it would capture nothing from "
                        + (untracked.size() == 1 ? "it" : "them") + ". Fix: " + fix
                        + (untracked.size() > 10 ? " and the same for the other " + (untracked.size() - 10) : "")));
            } else if (captured.stream().noneMatch(Table::tracked)) {
                out.add(Finding.warning("table.include.list", "no table of database '" + d.name() + "' that the "
                        + "connector's filters include has CDC enabled yet; it streams nothing from there until one has "
                        + "(EXEC sys.sp_cdc_enable_table)"));
            }
        }
        agent(out, server);
        return out;
    }

    private static void agent(List<Finding> out, Server server) {
        if (server.rds() || server.engineEdition() == AZURE_SQL_DATABASE || server.engineEdition() == EXPRESS) {
            return; // RDS runs the agent itself; Azure SQL Database has a CDC scheduler; Express is refused above
        }
        if (Boolean.FALSE.equals(server.agentRunning())) {
            out.add(Finding.error("database.hostname", "SQL Server Agent is not running; it runs the CDC capture jobs "
                    + "that fill the change tables, and without it the connector streams nothing. Fix: start the SQL "
                    + "Server Agent service and set it to start automatically (Windows: its service; Linux: "
                    + "/opt/mssql/bin/mssql-conf set sqlagent.enabled true, then restart mssql-server; the container "
                    + "image: MSSQL_AGENT_ENABLED=true)"));
        } else if (server.agentRunning() == null) {
            out.add(Finding.warning("database.hostname", "could not tell whether SQL Server Agent runs ("
                    + server.agentUnread() + "); the CDC capture jobs need it. Check it as an administrator, or "
                    + "GRANT VIEW SERVER STATE to the connector's login so the pre-flight can"));
        }
    }

    private static String enableDatabase(String name, boolean rds) {
        String quoted = "N'" + name.replace("'", "''") + "'";
        return rds ? "EXEC msdb.dbo.rds_cdc_enable_db " + quoted + "; (Amazon RDS: as the master user)"
                : "USE " + bracket(name) + "; EXEC sys.sp_cdc_enable_db; (as a member of sysadmin; on Amazon RDS: EXEC "
                + "msdb.dbo.rds_cdc_enable_db " + quoted + ")";
    }

    private static String names(Database d, List<Table> tables) {
        List<String> shown = tables.stream().limit(10).map(t -> d.name() + "." + t.schema() + "." + t.name()).toList();
        return (tables.size() == 1 ? "table " : "tables ") + String.join(", ", shown)
                + (tables.size() > 10 ? " and " + (tables.size() - 10) + " more" : "");
    }

    static String bracket(String name) {
        return "[" + name.replace("]", "]]") + "]";
    }
}
