package io.connectaws.it;

import java.util.List;
import java.util.Map;

/** The CDC scenario for binlog databases (MariaDB, MySQL): table {@code inventory.customers}. */
abstract class BinlogCdcScenario extends CdcScenario {

    /** Connector class, network alias, user, password, server id and topic prefix of this database. */
    protected abstract Map<String, String> connection();

    @Override
    protected List<String> createTable() {
        return List.of("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(64), email VARCHAR(128))");
    }

    @Override
    protected String table() {
        return "customers";
    }

    @Override
    protected Map<String, String> connectorConfig() {
        Map<String, String> c = connection();
        return Map.ofEntries(
                Map.entry("connector.class", c.get("connector.class")),
                Map.entry("database.hostname", c.get("database.hostname")),
                Map.entry("database.port", "3306"),
                Map.entry("database.user", c.get("database.user")),
                Map.entry("database.password", c.get("database.password")),
                Map.entry("database.server.id", c.get("database.server.id")),
                Map.entry("database.include.list", "inventory"),
                Map.entry("table.include.list", "inventory.customers"),
                Map.entry("topic.prefix", c.get("topic.prefix")),
                Map.entry("schema.history.internal.kafka.bootstrap.servers", Stack.KAFKA_INTERNAL),
                Map.entry("schema.history.internal.kafka.topic", "schema-history." + c.get("topic.prefix")));
    }

    @Override
    protected String topic() {
        return connection().get("topic.prefix") + ".inventory.customers";
    }
}
