package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.connectaws.sourcedb.MySqlGrants.Need;

/**
 * Debezium's MySQL and MariaDB prerequisites, read with the connector's own user: binary logging on, {@code ROW}
 * format, {@code FULL} row image, no partial JSON updates, GTID mode where the connector's GTID filters need it, a
 * binlog retention of at least a day (a warning), and the grants: REPLICATION SLAVE and REPLICATION CLIENT (BINLOG
 * MONITOR on MariaDB), the snapshot's locks and SELECT on the captured tables. Amazon RDS and Aurora get their own
 * fixes: parameter groups, the backup retention that turns RDS binary logging on, {@code mysql.rds_set_configuration}.
 */
public final class BinlogCheck implements SourceCheck {

    static final String MYSQL = "io.debezium.connector.mysql.MySqlConnector";
    static final String MARIADB = "io.debezium.connector.mariadb.MariaDbConnector";
    static final String MYSQL_DRIVER = "com.mysql.cj.jdbc.Driver";
    static final String MARIADB_DRIVER = "org.mariadb.jdbc.Driver";

    @Override
    public boolean handles(String connectorClass) {
        return MYSQL.equals(connectorClass) || MARIADB.equals(connectorClass);
    }

    @Override
    public List<Finding> check(Candidate candidate, Connections connections) throws SQLException {
        boolean mariadb = MARIADB.equals(candidate.connectorClass());
        try (Connection db = connections.open(candidate.connectorClass(), mariadb ? MARIADB_DRIVER : MYSQL_DRIVER,
                url(candidate, mariadb), properties(candidate, mariadb))) {
            return findings(candidate, BinlogServer.read(db, mariadb));
        }
    }

    static String url(Candidate c, boolean mariadb) {
        return "jdbc:" + (mariadb ? "mariadb" : "mysql") + "://" + c.get("database.hostname", "localhost") + ":"
                + c.get("database.port", "3306") + "/";
    }

    /** User, password, TLS as Debezium's {@code database.ssl.*} sets it, {@code driver.*} pass-through, timeouts. */
    static Properties properties(Candidate c, boolean mariadb) {
        Properties p = c.login(true);
        p.setProperty("connectTimeout", "10000");
        p.setProperty("socketTimeout", "30000");
        String ssl = c.get("database.ssl.mode", mariadb ? "disable" : "preferred").toLowerCase(Locale.ROOT);
        if (mariadb) {
            p.setProperty("sslMode", switch (ssl) {
                case "disable", "disabled" -> "disable";
                case "verify_ca", "verify-ca" -> "verify-ca";
                case "verify_identity", "verify_full", "verify-full" -> "verify-full";
                default -> "trust";
            });
        } else {
            p.setProperty("sslMode", ssl.toUpperCase(Locale.ROOT));
            String truststore = c.get("database.ssl.truststore", null);
            if (truststore != null) {
                p.setProperty("trustCertificateKeyStoreUrl", truststore.contains(":") ? truststore : "file:" + truststore);
                p.setProperty("trustCertificateKeyStorePassword",
                        Objects.requireNonNullElse(c.config().get("database.ssl.truststore.password"), ""));
            }
            String keystore = c.get("database.ssl.keystore", null);
            if (keystore != null) {
                p.setProperty("clientCertificateKeyStoreUrl", keystore.contains(":") ? keystore : "file:" + keystore);
                p.setProperty("clientCertificateKeyStorePassword",
                        Objects.requireNonNullElse(c.config().get("database.ssl.keystore.password"), ""));
            }
        }
        return p;
    }

    /** What {@code server} lacks for {@code c}; a pure function of what was read. */
    static List<Finding> findings(Candidate c, BinlogServer server) {
        List<Finding> out = new ArrayList<>();
        BinlogPlatform platform = server.platform();
        boolean mariadb = server.mariadb();
        String engine = platform.label(mariadb);
        if (!server.variable("log_bin").equals("ON") && !server.variable("log_bin").equals("1")) {
            out.add(Finding.error("database.hostname", "log_bin is '" + server.variables().getOrDefault("log_bin", "")
                    + "' on " + engine + "; the connector reads the binary log and needs it 'ON'. Fix: " + logBinFix(platform)));
        }
        setting(out, server, "binlog_format", "ROW", "the connector reads row events",
                "SET GLOBAL binlog_format = 'ROW'; and binlog_format = ROW under [mysqld] in the server's configuration "
                        + "(sessions already connected keep their format until they reconnect)", true);
        setting(out, server, "binlog_row_image", "FULL", "updates and deletes need every column of the row",
                "SET GLOBAL binlog_row_image = 'FULL'; and binlog_row_image = FULL under [mysqld] in the server's "
                        + "configuration (sessions already connected keep their row image until they reconnect)", true);
        if (!mariadb && server.variable("binlog_row_value_options").contains("PARTIAL_JSON")) {
            out.add(Finding.error("database.hostname", "binlog_row_value_options is 'PARTIAL_JSON'; the connector "
                    + "cannot decode partial JSON updates and needs it empty. Fix: " + platform.parameter(
                    "binlog_row_value_options", "''", "SET PERSIST binlog_row_value_options = '';", false, false)));
        }
        gtid(out, c, server);
        retention(out, server);
        grants(out, c, server);
        return out;
    }

    private static String logBinFix(BinlogPlatform platform) {
        return switch (platform) {
            case RDS -> "on Amazon RDS binary logging is on only while automated backups are: set the instance's backup "
                    + "retention period to 1 day or more (modify the DB instance; no parameter group change, and the "
                    + "first backup starts at once)";
            case AURORA -> "set binlog_format=ROW in the cluster's DB cluster parameter group (a custom one), then "
                    + "reboot the writer instance: Aurora MySQL turns the binary log on only at start";
            case SELF_MANAGED -> "add log_bin = mysql-bin and a unique server_id under [mysqld] in the server's "
                    + "configuration and restart it: binary logging cannot be turned on at runtime (on Amazon RDS: "
                    + "automated backups on, backup retention 1 day or more; on Aurora MySQL: binlog_format=ROW in the "
                    + "DB cluster parameter group and a reboot of the writer)";
        };
    }

    private static void setting(List<Finding> out, BinlogServer server, String name, String needed, String why,
                                String selfManaged, boolean auroraReboot) {
        String current = server.variable(name);
        if (current.isEmpty() || current.equals(needed)) {
            return;
        }
        out.add(Finding.error("database.hostname", name + " is '" + current + "'; " + why + ", so it must be '"
                + needed + "'. Fix: " + server.platform().parameter(name, needed, selfManaged, false, auroraReboot)));
    }

    private static void gtid(List<Finding> out, Candidate c, BinlogServer server) {
        if (server.mariadb()) {
            return; // MariaDB writes GTIDs always
        }
        String key = c.get("gtid.source.includes", null) != null ? "gtid.source.includes"
                : c.get("gtid.source.excludes", null) != null ? "gtid.source.excludes" : null;
        String mode = server.variable("gtid_mode");
        if (key == null || mode.equals("ON")) {
            return;
        }
        String selfManaged = "SET PERSIST enforce_gtid_consistency = ON; SET PERSIST gtid_mode = OFF_PERMISSIVE; "
                + "SET PERSIST gtid_mode = ON_PERMISSIVE; then, once SHOW STATUS LIKE 'Ongoing_anonymous_transaction_count' "
                + "is 0, SET PERSIST gtid_mode = ON;";
        String fix = switch (server.platform()) {
            case RDS -> "set gtid_mode=ON and enforce_gtid_consistency=ON in the instance's DB parameter group (a custom "
                    + "one), then reboot the instance";
            case AURORA -> "set gtid_mode=ON and enforce_gtid_consistency=ON in the cluster's DB cluster parameter group "
                    + "(a custom one), then reboot the writer instance";
            case SELF_MANAGED -> selfManaged + " (on Amazon RDS: gtid_mode=ON and enforce_gtid_consistency=ON in the "
                    + "DB parameter group and a reboot; on Aurora MySQL: in the DB cluster parameter group)";
        };
        out.add(Finding.error(key, "gtid_mode is '" + (mode.isEmpty() ? "OFF" : mode) + "'; " + key + " filters "
                + "transactions by GTID and needs gtid_mode 'ON'. Fix: " + fix + "; or remove " + key));
    }

    private static void retention(List<Finding> out, BinlogServer server) {
        if (server.retention() == null) {
            out.add(Finding.warning("database.hostname", "could not read 'binlog retention hours' on "
                    + server.platform().label(server.mariadb()) + " (" + server.retentionUnread() + "); check it with "
                    + "CALL mysql.rds_show_configuration; NULL (the default) purges binlogs as soon as possible. Fix: "
                    + "CALL mysql.rds_set_configuration('binlog retention hours', 24);"));
            return;
        }
        server.retention().warning(server.platform(), server.mariadb())
                .ifPresent(w -> out.add(Finding.warning("database.hostname", w)));
    }

    private static void grants(List<Finding> out, Candidate c, BinlogServer server) {
        MySqlGrants grants = server.grants();
        String account = account(server.user());
        List<String> missing = new ArrayList<>();
        for (Need need : List.of(Need.REPLICATION_SLAVE, Need.REPLICATION_CLIENT)) {
            if (!grants.global(need)) {
                missing.add(need.grantName());
            }
        }
        if (!missing.isEmpty()) {
            String names = String.join(" and ", missing);
            out.add(Finding.error("database.user", "user " + account + " lacks " + names + " on *.*; the connector "
                    + "reads the binlog as a replica" + (missing.contains("REPLICATION CLIENT") ? " and reads its "
                    + "position with SHOW " + (server.mariadb() ? "BINLOG" : "BINARY LOG") + " STATUS" : "")
                    + (server.mariadb() && missing.contains("REPLICATION CLIENT")
                    ? " (MariaDB shows REPLICATION CLIENT as BINLOG MONITOR)" : "")
                    + ". Fix: GRANT " + String.join(", ", missing) + " ON *.* TO " + account + ";"
                    + (server.platform().managed() ? " (as the master user)" : "")));
        }
        String snapshot = c.get("snapshot.mode", "initial").toLowerCase(Locale.ROOT);
        if (snapshot.equals("never")) {
            return;
        }
        Set<String> captured = capturedDatabases(c, server);
        locks(out, c, server, captured, account);
        if (!snapshot.equals("no_data") && !snapshot.equals("schema_only")) {
            selects(out, c, server, captured, account);
        }
    }

    private static void locks(List<Finding> out, Candidate c, BinlogServer server, Set<String> captured, String account) {
        String mode = c.get("snapshot.locking.mode", "minimal").toLowerCase(Locale.ROOT);
        if (!List.of("minimal", "extended", "minimal_at_least_once").contains(mode)) {
            return; // none takes no lock; custom and the Percona modes are the user's own
        }
        if (captured.isEmpty()) {
            return;
        }
        MySqlGrants grants = server.grants();
        List<String> unlockable = captured.stream().filter(db -> !grants.onDatabase(Need.LOCK_TABLES, db)).toList();
        boolean tableLocks = unlockable.isEmpty();
        if (tableLocks || !server.platform().managed() && grants.global(Need.RELOAD)) {
            return;
        }
        String lockGrant = String.join(" ", unlockable.stream().map(db -> "GRANT LOCK TABLES ON " + quote(db)
                + ".* TO " + account + ";").toList());
        String why = server.platform().managed()
                ? server.platform().label(server.mariadb()) + " refuses the global read lock, so the snapshot "
                + "(snapshot.locking.mode=" + mode + ") locks the captured tables instead and needs LOCK TABLES"
                + (unlockable.isEmpty() ? "" : " on " + String.join(", ", unlockable))
                : "the snapshot (snapshot.locking.mode=" + mode + ") takes a global read lock (RELOAD) or, without it, "
                + "locks the captured tables (LOCK TABLES" + (unlockable.isEmpty() ? "" : " on "
                + String.join(", ", unlockable)) + ")";
        String fix = server.platform().managed() ? lockGrant : "GRANT RELOAD ON *.* TO " + account + "; or " + lockGrant;
        out.add(Finding.error("snapshot.locking.mode", "user " + account + " may not lock for the snapshot: " + why
                + ". Fix: " + fix + " or set snapshot.locking.mode=none (safe only while no schema changes run "
                + "during the snapshot)"));
    }

    private static void selects(List<Finding> out, Candidate c, BinlogServer server, Set<String> captured,
                                String account) {
        MySqlGrants grants = server.grants();
        if (grants.global(Need.SELECT)) {
            return;
        }
        TableFilter filter = TableFilter.of(c, "database");
        List<String> unreadable = new ArrayList<>();
        boolean anyTable = false;
        for (String qualified : server.tables()) {
            int dot = qualified.indexOf('.');
            String db = qualified.substring(0, dot);
            String table = qualified.substring(dot + 1);
            if (!filter.captures(db, table)) {
                continue;
            }
            anyTable = true;
            if (!grants.onTable(Need.SELECT, db, table)) {
                unreadable.add(quote(db) + "." + quote(table));
            }
        }
        Set<String> visible = new LinkedHashSet<>(server.databases().stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        List<String> unseen = captured.stream().filter(db -> !visible.contains(db.toLowerCase(Locale.ROOT))
                && !grants.onDatabase(Need.SELECT, db)).toList();
        if (!unreadable.isEmpty() || !unseen.isEmpty()) {
            List<String> what = new ArrayList<>(unreadable.subList(0, Math.min(10, unreadable.size())));
            unseen.forEach(db -> what.add(quote(db) + ".*"));
            out.add(Finding.error("database.user", "the snapshot reads " + String.join(", ", what)
                    + (unreadable.size() > 10 ? " and " + (unreadable.size() - 10) + " more tables" : "") + ", which user "
                    + account + " may not SELECT" + (unseen.isEmpty() ? "" : " (it cannot even see database"
                    + (unseen.size() > 1 ? "s " : " ") + String.join(", ", unseen) + ")") + ". Fix: "
                    + String.join(" ", databasesOf(unreadable, unseen).stream().map(db -> "GRANT SELECT ON " + db
                    + ".* TO " + account + ";").toList())));
        } else if (!anyTable) {
            out.add(Finding.warning("table.include.list", "the connector's filters match no table that user " + account
                    + " can see yet; it captures tables created later that match"));
        }
    }

    /** The databases the filters capture: visible ones the database filter takes, and ones the include lists name. */
    static Set<String> capturedDatabases(Candidate c, BinlogServer server) {
        Map<String, String> levelOnly = new HashMap<>(c.config());
        levelOnly.remove("table.include.list");
        levelOnly.remove("table.exclude.list");
        TableFilter databaseFilter = TableFilter.of(new Candidate(c.name(), levelOnly, null), "database");
        TableFilter filter = TableFilter.of(c, "database");
        Set<String> captured = new LinkedHashSet<>();
        String tableList = c.get("table.include.list", null);
        for (String db : server.databases()) {
            boolean anyTable = server.tables().stream().anyMatch(t -> t.startsWith(db + ".")
                    && filter.captures(db, t.substring(db.length() + 1)));
            if (databaseFilter.captures(db, "") && (tableList == null || anyTable)) {
                captured.add(db);
            }
        }
        captured.addAll(named(c.get("database.include.list", null), false));
        captured.addAll(named(tableList, true));
        captured.removeIf(db -> BinlogServer.SYSTEM_DATABASES.contains(db.toLowerCase(Locale.ROOT)));
        return captured;
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_$]+");
    private static final Pattern TABLE_ENTRY = Pattern.compile("([A-Za-z0-9_$]+)(?:\\\\\\.|\\.(?=[A-Za-z0-9_$])).*");

    /** The database names an include list spells out literally (regular expressions are left to the filter). */
    static List<String> named(String list, boolean tables) {
        if (list == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Pattern p : TableFilter.patterns(list)) {
            String entry = p.pattern();
            Matcher m = (tables ? TABLE_ENTRY : PLAIN).matcher(entry);
            if (m.matches()) {
                out.add(tables ? m.group(1) : entry);
            }
        }
        return out;
    }

    private static List<String> databasesOf(List<String> tables, List<String> unseen) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tables) {
            out.add(t.substring(0, t.indexOf("`.`") + 1));
        }
        unseen.forEach(db -> out.add(quote(db)));
        return List.copyOf(out);
    }

    /** {@code cdc@%} as {@code 'cdc'@'%'}. */
    static String account(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        String user = at < 0 ? currentUser : currentUser.substring(0, at);
        String host = at < 0 ? "%" : currentUser.substring(at + 1);
        return "'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
