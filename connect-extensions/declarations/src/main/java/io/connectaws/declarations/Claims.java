package io.connectaws.declarations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a connector config takes for itself that no other connector of the cluster may share: Debezium's
 * {@code topic.prefix} (its topics and its JMX names), a PostgreSQL replication slot (and a publication Debezium
 * rewrites, {@code publication.autocreate.mode=filtered})
 * on one database, a MySQL/MariaDB {@code database.server.id} on one server. Values are compared as written, so two
 * connectors that reach one database through different host names are not recognised as the same database.
 */
public final class Claims {

    /** One claimed resource: what it is (for the message) and its identity within the cluster. */
    public record Claim(String key, String value, String identity) {
        /** Human description, e.g. {@code topic.prefix 'orders'}. */
        public String describe() {
            return key + " '" + value + "'";
        }
    }

    private static final String POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";
    private static final List<String> BINLOG = List.of("io.debezium.connector.mysql.MySqlConnector",
            "io.debezium.connector.mariadb.MariaDbConnector");

    private Claims() {
    }

    /** The claims of {@code config}; empty for a connector that is not Debezium's. */
    public static List<Claim> of(Map<String, String> config) {
        String connectorClass = config.getOrDefault("connector.class", "").trim();
        List<Claim> claims = new ArrayList<>();
        if (!connectorClass.startsWith("io.debezium.")) {
            return claims;
        }
        String prefix = value(config, "topic.prefix");
        if (prefix != null) {
            claims.add(new Claim("topic.prefix", prefix, "topic.prefix=" + prefix));
        }
        String host = value(config, "database.hostname");
        if (connectorClass.equals(POSTGRES) && host != null) {
            String database = host.toLowerCase(Locale.ROOT) + ":" + or(value(config, "database.port"), "5432") + "/"
                    + or(value(config, "database.dbname"), "");
            String slot = or(value(config, "slot.name"), "debezium");
            claims.add(new Claim("slot.name", slot + "' on database '" + database,
                    "slot=" + database + "/" + slot));
            // Debezium rewrites the publication's table list only in filtered mode; all_tables and disabled use it as
            // it is, so connectors with their own slots may share one there
            String mode = or(value(config, "publication.autocreate.mode"), "all_tables");
            if (mode.equalsIgnoreCase("filtered")) {
                String publication = or(value(config, "publication.name"), "dbz_publication");
                claims.add(new Claim("publication.name", publication + "' on database '" + database,
                        "publication=" + database + "/" + publication));
            }
        }
        String serverId = value(config, "database.server.id");
        if (BINLOG.contains(connectorClass) && host != null && serverId != null) {
            String server = host.toLowerCase(Locale.ROOT) + ":" + or(value(config, "database.port"), "3306");
            claims.add(new Claim("database.server.id", serverId + "' on server '" + server,
                    "server-id=" + server + "/" + serverId));
        }
        return claims;
    }

    /** The first claim of {@code candidate} that {@code other} also makes, or null. */
    public static Claim shared(List<Claim> candidate, List<Claim> other) {
        for (Claim c : candidate) {
            for (Claim o : other) {
                if (c.identity().equals(o.identity())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Why a claim is exclusive, for the error message. */
    public static String why(Claim claim) {
        return switch (claim.key()) {
            case "topic.prefix" -> "Debezium names the topics and its JMX metrics after it; the second connector would "
                    + "report RUNNING and stream nothing. Give each connector its own topic.prefix";
            case "slot.name" -> "one replication slot serves one connector at a time. Give each connector its own "
                    + "slot.name";
            case "publication.name" -> "in filtered mode each connector rewrites the publication's table list to its "
                    + "own. Give each connector its own publication.name";
            default -> "MySQL and MariaDB drop the older of two replication clients with one server id. Give each "
                    + "connector its own database.server.id";
        };
    }

    private static String value(Map<String, String> config, String key) {
        String v = config.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String or(String v, String dflt) {
        return v == null ? dflt : v;
    }
}
