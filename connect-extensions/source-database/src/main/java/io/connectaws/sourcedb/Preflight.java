package io.connectaws.sourcedb;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The source database pre-flight: runs the {@link SourceCheck} that knows a connector's class against its database,
 * before the connector exists. The herder runs it at validation, so a REST create or replace and a declared connector
 * get the same HTTP 400. A database the checks cannot read (a query refused, a catalogue that differs) is one warning,
 * not a refusal: the checks are there to explain, not to stand between a user and a database they know.
 */
public final class Preflight {

    /** What the worker does with blocking findings ({@code CONNECT_AWS_PREFLIGHT}). */
    public enum Mode {
        /** Blocking findings refuse the connector (HTTP 400); warnings are logged. The default. */
        ENFORCE,
        /** Every finding is logged as a warning; nothing is refused. */
        WARN,
        /** No check runs. */
        OFF;

        /** Parses {@code enforce|warn|off} (any case; blank is enforce). */
        public static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return ENFORCE;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value.trim() + "' is not a pre-flight mode: use enforce (the "
                        + "default), warn or off");
            }
        }
    }

    private final List<SourceCheck> checks;
    private final Connections connections;

    /** @param checks the checks, first match wins; @param connections opens the plugins' drivers */
    public Preflight(List<SourceCheck> checks, Connections connections) {
        this.checks = List.copyOf(checks);
        this.connections = connections;
    }

    /** The image's checks: PostgreSQL, MySQL and MariaDB, SQL Server. */
    public static Preflight standard(Connections connections) {
        return new Preflight(List.of(new PostgresCheck(), new BinlogCheck(), new SqlServerCheck()), connections);
    }

    /** Whether any check knows {@code connectorClass}. */
    public boolean covers(String connectorClass) {
        return checks.stream().anyMatch(c -> c.handles(connectorClass));
    }

    /** The findings for {@code candidate}; empty when no check knows its class or the database is ready. */
    public List<Finding> findings(Candidate candidate) {
        String connectorClass = candidate.connectorClass();
        for (SourceCheck check : checks) {
            if (check.handles(connectorClass)) {
                try {
                    return check.check(candidate, connections);
                } catch (SQLException e) {
                    List<Finding> unread = new ArrayList<>();
                    unread.add(Finding.warning("connector.class", "the source database pre-flight could not read the "
                            + "database (" + describe(e) + "); the connector is validated without it"));
                    return unread;
                }
            }
        }
        return List.of();
    }

    /** An SQLException as SQLSTATE and message, without the cause chain (which may quote a URL). */
    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : "SQLSTATE " + e.getSQLState() + ": ";
        String message = String.valueOf(e.getMessage());
        return state + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
}
