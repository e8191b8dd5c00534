package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Debezium's PostgreSQL prerequisites, read from the catalogue with the connector's own user: logical decoding
 * ({@code wal_level}), the replication right ({@code rds_replication} on RDS and Aurora), a free replication slot and
 * WAL sender unless the connector's slot exists, the slot's database and plugin, a slot another process holds, the
 * publication's existence, kind and owner, and, for every table the publication would hold, a primary key or replica
 * identity: without one, PostgreSQL refuses the application's UPDATE and DELETE on that table once it is published.
 */
public final class PostgresCheck implements SourceCheck {

    static final String CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
    static final String DRIVER = "org.postgresql.Driver";
    /** Debezium's default, and the one the image's defaults keep. */
    static final String DEFAULT_MODE = "all_tables";

    @Override
    public boolean handles(String connectorClass) {
        return CONNECTOR.equals(connectorClass);
    }

    @Override
    public List<Finding> check(Candidate candidate, Connections connections) throws SQLException {
        try (Connection db = connections.open(CONNECTOR, DRIVER, url(candidate), properties(candidate))) {
            return new Run(candidate, db).findings();
        }
    }

    static String url(Candidate c) {
        return "jdbc:postgresql://" + c.get("database.hostname", "localhost") + ":" + c.get("database.port", "5432") + "/"
                + c.get("database.dbname", "postgres");
    }

    static Properties properties(Candidate c) {
        Properties p = c.login(false);
        p.setProperty("sslmode", c.get("database.sslmode", "prefer"));
        for (String key : List.of("sslrootcert", "sslcert", "sslkey", "sslpassword", "sslfactory")) {
            String value = c.get("database." + key, null);
            if (value != null) {
                p.setProperty(key, value);
            }
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("loginTimeout", "15");
        p.setProperty("ApplicationName", "connect-aws-preflight");
        return p;
    }

    /** One check against one open connection. */
    private static final class Run {
        private final Candidate c;
        private final Connection db;
        private final List<Finding> out = new ArrayList<>();
        private final Platform platform;
        private final String user;
        private boolean superuser;

        Run(Candidate candidate, Connection db) throws SQLException {
            this.c = candidate;
            this.db = db;
            this.platform = Platform.of(db);
            this.user = string("SELECT current_user");
        }

        List<Finding> findings() throws SQLException {
            walLevel();
            boolean standby = standby();
            boolean replication = replicationRight();
            if (replication) {
                slotAndSenders();
            }
            if (plugin().equals("pgoutput") && !standby) {
                publication();
            } else if (!plugin().equals("pgoutput")) {
                capturedTablesOnly();
            }
            return out;
        }

        private String plugin() {
            return c.get("plugin.name", "decoderbufs").toLowerCase(Locale.ROOT);
        }

        private void walLevel() throws SQLException {
            String level = string("SELECT current_setting('wal_level')");
            if (!"logical".equals(level)) {
                out.add(Finding.error("database.hostname", "wal_level is '" + level + "'; logical decoding needs "
                        + "'logical'. Fix: " + platform.parameter("rds.logical_replication", "1",
                        "ALTER SYSTEM SET wal_level = logical", true)));
            }
        }

        /**
         * A standby (PostgreSQL 16+ decodes there) takes no writes: Debezium can neither create nor alter a publication
         * on it, nor run a heartbeat action query that writes. Both are named with the way out.
         */
        private boolean standby() throws SQLException {
            if (!bool("SELECT pg_is_in_recovery()")) {
                return false;
            }
            String action = c.config().get("heartbeat.action.query");
            if (action != null && !action.isBlank()) {
                out.add(Finding.error("heartbeat.action.query", "database '" + c.get("database.dbname", "postgres")
                        + "' is a standby (read replica), which takes no writes; heartbeat.action.query would fail the "
                        + "task at its first heartbeat. Fix: set \"heartbeat.action.query\": \"\" (a standby's slot then "
                        + "advances only with changes of the captured database), or capture from the primary"));
            }
            String mode = c.get("publication.autocreate.mode", DEFAULT_MODE).toLowerCase(Locale.ROOT);
            String name = c.get("publication.name", "dbz_publication");
            if (plugin().equals("pgoutput")) {
                boolean exists = exists("SELECT 1 FROM pg_publication WHERE pubname = ?", name);
                if (!exists || mode.equals("filtered")) {
                    out.add(Finding.error("publication.autocreate.mode", "database '" + c.get("database.dbname",
                            "postgres") + "' is a standby, where a publication can be neither created nor changed"
                            + (exists ? "" : ", and publication '" + name + "' does not exist") + ". Fix: on the primary, "
                            + "CREATE PUBLICATION " + ident(name) + " FOR TABLE <the captured tables>; then set "
                            + "publication.autocreate.mode=disabled"));
                }
                if (exists) {
                    selectRights(tables().stream().filter(Table::captured).toList());
                }
            }
            return true;
        }

        private boolean exists(String sql, String parameter) throws SQLException {
            try (PreparedStatement s = db.prepareStatement(sql)) {
                s.setString(1, parameter);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        }

        private boolean replicationRight() throws SQLException {
            try (PreparedStatement s = db.prepareStatement(
                    "SELECT r.rolsuper, r.rolreplication, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication') "
                            + "AND pg_has_role(current_user, 'rds_replication', 'MEMBER') FROM pg_roles r "
                            + "WHERE r.rolname = current_user");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                superuser = rs.getBoolean(1);
                if (superuser || rs.getBoolean(2) || rs.getBoolean(3)) {
                    return true;
                }
            }
            String fix = platform.managed()
                    ? "GRANT rds_replication TO " + ident(user) + "; (run as the master user; " + platform.label()
                    + " has no REPLICATION attribute to give)"
                    : "ALTER ROLE " + ident(user) + " REPLICATION;";
            out.add(Finding.error("database.user", "user '" + user + "' has no replication right; the connector "
                    + "streams through a replication connection. Fix: " + fix));
            return false;
        }

        private void slotAndSenders() throws SQLException {
            String slot = c.get("slot.name", "debezium");
            boolean ownActive = false;
            try (PreparedStatement s = db.prepareStatement("SELECT plugin, slot_type, database, active, active_pid "
                    + "FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        String database = rs.getString(3);
                        String dbname = c.get("database.dbname", "postgres");
                        if (!"logical".equals(rs.getString(2))) {
                            out.add(Finding.error("slot.name", "replication slot '" + slot + "' is a physical slot; "
                                    + "the connector needs a logical one. Fix: choose another slot.name"));
                        } else if (!dbname.equals(database)) {
                            out.add(Finding.error("slot.name", "replication slot '" + slot + "' belongs to database '"
                                    + database + "', not '" + dbname + "': a logical slot serves one database. Fix: "
                                    + "choose another slot.name"));
                        } else if (!plugin().equals(rs.getString(1))) {
                            out.add(Finding.error("plugin.name", "replication slot '" + slot + "' decodes with '"
                                    + rs.getString(1) + "' but plugin.name is '" + plugin() + "'. Fix: set plugin.name="
                                    + rs.getString(1) + ", or choose another slot.name"));
                        }
                        if (rs.getBoolean(4)) {
                            if (isOwnSlot(slot)) {
                                ownActive = true;
                            } else {
                                out.add(Finding.error("slot.name", "replication slot '" + slot + "' is in use by "
                                        + "another connection (pid " + rs.getInt(5) + "): another connector or client "
                                        + "streams from it, and two readers of one slot lose changes. Fix: choose "
                                        + "another slot.name, or stop the other reader first"));
                            }
                        }
                        senders(ownActive);
                        return;
                    }
                }
            }
            int max = integer("SELECT current_setting('max_replication_slots')::int");
            List<String> slots = new ArrayList<>();
            List<String> inactive = new ArrayList<>();
            try (PreparedStatement s = db.prepareStatement("SELECT slot_name, active FROM pg_replication_slots "
                    + "ORDER BY slot_name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getString(1));
                    if (!rs.getBoolean(2)) {
                        inactive.add(rs.getString(1));
                    }
                }
            }
            if (slots.size() >= max) {
                out.add(Finding.error("slot.name", "all replication slots are in use (" + slots.size() + " of "
                        + "max_replication_slots=" + max + "); the connector needs one for slot '" + slot + "'. Fix: "
                        + (inactive.isEmpty() ? "" : "drop a slot nothing reads any more (inactive now: "
                        + String.join(", ", inactive) + "; SELECT pg_drop_replication_slot('<name>')), or ")
                        + "raise max_replication_slots: " + platform.parameter("max_replication_slots",
                        String.valueOf(max + 5), null, true)));
            }
            senders(false);
        }

        private void senders(boolean ownActive) throws SQLException {
            if (ownActive) {
                return;
            }
            int max = integer("SELECT current_setting('max_wal_senders')::int");
            int used = integer("SELECT count(*)::int FROM pg_stat_replication");
            if (used >= max) {
                out.add(Finding.error("database.hostname", "all WAL senders are in use (" + used + " of "
                        + "max_wal_senders=" + max + "); the connector's replication connection needs one. Fix: raise "
                        + "max_wal_senders: " + platform.parameter("max_wal_senders", String.valueOf(max + 5), null, true)));
            }
        }

        /** The replaced connector's slot on the same database: its own task is the active reader. */
        private boolean isOwnSlot(String slot) {
            Candidate stored = new Candidate(c.name(), c.stored(), null);
            return !c.stored().isEmpty() && slot.equals(stored.get("slot.name", "debezium"))
                    && c.get("database.hostname", "").equalsIgnoreCase(stored.get("database.hostname", ""))
                    && c.get("database.dbname", "").equals(stored.get("database.dbname", ""));
        }

        private void publication() throws SQLException {
            String name = c.get("publication.name", "dbz_publication");
            String mode = c.get("publication.autocreate.mode", DEFAULT_MODE).toLowerCase(Locale.ROOT);
            List<Table> tables = tables();
            List<Table> captured = tables.stream().filter(Table::captured).toList();
            try (PreparedStatement s = db.prepareStatement("SELECT p.puballtables, r.rolname, "
                    + "pg_has_role(current_user, p.pubowner, 'USAGE') FROM pg_publication p JOIN pg_roles r ON r.oid = "
                    + "p.pubowner WHERE p.pubname = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        boolean allTables = rs.getBoolean(1);
                        if (mode.equals("filtered") && allTables) {
                            out.add(Finding.error("publication.autocreate.mode", "publication '" + name + "' publishes "
                                    + "all tables, but publication.autocreate.mode=filtered would change it to the "
                                    + "captured tables, which PostgreSQL refuses for a FOR ALL TABLES publication. Fix: "
                                    + "set publication.name to a new name (the connector creates it), or DROP PUBLICATION "
                                    + ident(name) + " if nothing else uses it"));
                        } else if (mode.equals("filtered") && !rs.getBoolean(3)) {
                            out.add(Finding.error("publication.name", "publication '" + name + "' belongs to '"
                                    + rs.getString(2) + "'; publication.autocreate.mode=filtered updates its table list, "
                                    + "which only its owner may do. Fix: ALTER PUBLICATION " + ident(name) + " OWNER TO "
                                    + ident(user) + "; or set publication.name to a publication of its own"));
                        }
                        identities(allTables ? List.of() : captured, mode);
                        selectRights(captured);
                        return;
                    }
                }
            }
            switch (mode) {
                case "disabled" -> out.add(Finding.error("publication.name", "publication '" + name + "' does not exist "
                        + "and publication.autocreate.mode=disabled. Fix: CREATE PUBLICATION " + ident(name)
                        + " FOR TABLE <the captured tables>; or set publication.autocreate.mode=filtered"));
                case "all_tables" -> {
                    if (!superuser) {
                        out.add(Finding.error("publication.autocreate.mode", "publication.autocreate.mode=all_tables "
                                + "creates publication '" + name + "' FOR ALL TABLES, which needs a superuser; '" + user
                                + "' is not one. Fix: set publication.autocreate.mode=filtered (publishes only the "
                                + "captured tables), or create the publication as a superuser"));
                    }
                    identities(tables, mode);
                }
                default -> {
                    if (!bool("SELECT has_database_privilege(current_database(), 'CREATE')")) {
                        out.add(Finding.error("publication.name", "creating publication '" + name + "' needs the CREATE "
                                + "right on database '" + c.get("database.dbname", "postgres") + "', which '" + user
                                + "' lacks. Fix: GRANT CREATE ON DATABASE " + ident(c.get("database.dbname", "postgres"))
                                + " TO " + ident(user) + "; or create the publication and set "
                                + "publication.autocreate.mode=disabled"));
                    }
                    List<String> notOwned = captured.stream().filter(t -> !t.owned()).map(Table::qualified).toList();
                    if (!notOwned.isEmpty() && !superuser) {
                        out.add(Finding.error("table.include.list", "adding a table to publication '" + name + "' "
                                + "needs its owner, and '" + user + "' does not own " + list(notOwned) + ". Fix: create "
                                + "the publication as the tables' owner (CREATE PUBLICATION " + ident(name)
                                + " FOR TABLE ...) and set publication.autocreate.mode=disabled, or make '" + user
                                + "' a member of the owning role"));
                    }
                    identities(captured, mode);
                }
            }
            selectRights(captured);
        }

        /** decoderbufs and wal2json have no publication: only the captured tables' read right matters. */
        private void capturedTablesOnly() throws SQLException {
            selectRights(tables().stream().filter(Table::captured).toList());
        }

        private void identities(List<Table> published, String mode) {
            List<Table> blocked = published.stream().filter(t -> !t.identified()).toList();
            if (blocked.isEmpty()) {
                return;
            }
            StringBuilder fix = new StringBuilder();
            for (Table t : blocked) {
                fix.append(" ALTER TABLE ").append(t.quoted()).append(" REPLICA IDENTITY FULL;");
            }
            boolean outside = blocked.stream().anyMatch(t -> !t.captured());
            out.add(Finding.error(outside ? "publication.autocreate.mode" : "table.include.list",
                    (blocked.size() == 1 ? "table " : "tables ") + list(blocked.stream().map(Table::qualified).toList())
                            + (blocked.size() == 1 ? " has" : " have") + " no primary key and no replica identity; once "
                            + "in publication '" + c.get("publication.name", "dbz_publication") + "' (publication.autocreate"
                            + ".mode=" + mode + ") PostgreSQL refuses the application's UPDATE and DELETE on "
                            + (blocked.size() == 1 ? "it" : "them") + ". Fix:" + fix
                            + (outside ? " or set publication.autocreate.mode=filtered so that only captured tables are "
                            + "published" : " or leave " + (blocked.size() == 1 ? "it" : "them") + " out of "
                            + "table.include.list")));
        }

        private void selectRights(List<Table> captured) {
            String snapshot = c.get("snapshot.mode", "initial").toLowerCase(Locale.ROOT);
            if (snapshot.equals("no_data") || snapshot.equals("never")) {
                return;
            }
            List<String> unreadable = captured.stream().filter(t -> !t.readable()).map(Table::qualified).toList();
            if (!unreadable.isEmpty()) {
                out.add(Finding.error("database.user", "the snapshot reads " + list(unreadable) + ", which '" + user
                        + "' may not SELECT. Fix: GRANT SELECT ON " + String.join(", ", unreadable.stream()
                        .map(Run::quote).toList()) + " TO " + ident(user) + ";"));
            }
            if (captured.isEmpty()) {
                out.add(Finding.warning("table.include.list", "the connector's filters match no table in database '"
                        + c.get("database.dbname", "postgres") + "' yet; it streams tables created later that match"));
            }
        }

        private List<Table> tables() throws SQLException {
            TableFilter filter = TableFilter.of(c, "schema");
            List<Table> tables = new ArrayList<>();
            try (PreparedStatement s = db.prepareStatement("SELECT n.nspname, c.relname, "
                    + "c.relreplident = 'f' OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE "
                    + "i.indrelid = c.oid AND i.indisprimary)) OR (c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_index i "
                    + "WHERE i.indrelid = c.oid AND i.indisreplident)), pg_has_role(current_user, c.relowner, 'USAGE'), "
                    + "has_table_privilege(c.oid, 'SELECT') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', "
                    + "'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                    + "ORDER BY 1, 2");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String schema = rs.getString(1);
                    String table = rs.getString(2);
                    tables.add(new Table(schema, table, filter.captures(schema, table), rs.getBoolean(3),
                            rs.getBoolean(4), rs.getBoolean(5)));
                }
            }
            return tables;
        }

        private String string(String sql) throws SQLException {
            try (PreparedStatement s = db.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }

        private int integer(String sql) throws SQLException {
            return Integer.parseInt(string(sql));
        }

        private boolean bool(String sql) throws SQLException {
            try (PreparedStatement s = db.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }

        private static String list(List<String> names) {
            int shown = Math.min(names.size(), 10);
            String head = String.join(", ", names.subList(0, shown));
            return names.size() > shown ? head + " and " + (names.size() - shown) + " more" : head;
        }

        private static String quote(String qualified) {
            int dot = qualified.indexOf('.');
            return ident(qualified.substring(0, dot)) + "." + ident(qualified.substring(dot + 1));
        }
    }

    /** A table of the database: whether the connector captures it, has an identity, is owned and readable by the user. */
    private record Table(String schema, String name, boolean captured, boolean identified, boolean owned,
                         boolean readable) {
        String qualified() {
            return schema + "." + name;
        }

        String quoted() {
            return ident(schema) + "." + ident(name);
        }
    }

    /** An SQL identifier, quoted only when it needs to be. */
    static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
