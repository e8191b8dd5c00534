package io.connectaws.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings a connector config gets from the worker when it leaves them out, so that connector JSON carries no Kafka
 * security settings and no copy of the bootstrap servers.
 *
 * <ul>
 *   <li>Debezium's historized connectors (MySQL, MariaDB, SQL Server, Oracle, Db2, Informix) that keep their schema
 *       history in Kafka and name no topic for it: {@code schema.history.internal.kafka.topic=schema-history.<topic.prefix>}.
 *       Without one their task fails at start.</li>
 *   <li>Debezium's schema history clients ({@code schema.history.internal.kafka.topic} present): the worker's bootstrap
 *       servers and its {@code security.protocol}/{@code sasl.*}/{@code ssl.*} settings under
 *       {@code schema.history.internal.producer.} and {@code .consumer.}, plus the worker's {@code client.rack} for
 *       the consumer. These clients are created by the connector, not by Connect, and get nothing from the worker
 *       otherwise: with MSK IAM they would fail to authenticate.</li>
 *   <li>Debezium's Kafka signal channel ({@code signal.kafka.topic} present): the same under {@code signal.consumer.}.</li>
 *   <li>Debezium source connectors without {@code topic.creation.default.*}: Connect creates their topics with the
 *       broker's default partitions and replication ({@code -1}), instead of relying on broker auto-creation, which
 *       MSK turns off by default.</li>
 *   <li>With exactly-once delivery on ({@link ExactlyOnce}), Debezium's source connectors that support it without
 *       {@code exactly.once.support}: {@code exactly.once.support=required}, so a connector that cannot give it is
 *       refused at validation rather than run at-least-once.</li>
 *   <li>Debezium's PostgreSQL connector ({@link #POSTGRES_DEFAULTS}): {@code plugin.name=pgoutput} (built into
 *       PostgreSQL and the one RDS and Aurora offer; Debezium's own default, decoderbufs, is an extension they lack),
 *       {@code publication.autocreate.mode=filtered} (Debezium's default, all_tables, publishes every table of the
 *       database, and PostgreSQL then refuses the application's UPDATE and DELETE on any table without a primary key
 *       or replica identity, captured or not) and a heartbeat every 10 s whose action query writes a logical decoding
 *       message (no table) into the connector's database, excluded from the connector's topics, so that a quiet
 *       database's slot does not hold back the WAL its busy neighbours on the same instance write.</li>
 * </ul>
 * A key the connector config already has is never changed, and a client whose security the connector sets itself is
 * left whole. When a worker setting holds a literal secret (a password rather than a config provider reference),
 * no security setting is copied at all: the connector config would store and show it.
 */
public final class ConnectorDefaults {

    /** Debezium connectors that keep a schema history (Debezium's HistorizedRelationalDatabaseConnectorConfig). */
    static final java.util.Set<String> HISTORIZED = java.util.Set.of(
            "io.debezium.connector.mysql.MySqlConnector", "io.debezium.connector.mariadb.MariaDbConnector",
            "io.debezium.connector.sqlserver.SqlServerConnector", "io.debezium.connector.oracle.OracleConnector",
            "io.debezium.connector.db2.Db2Connector", "io.debezium.connector.informix.InformixConnector");
    private static final String KAFKA_HISTORY = "io.debezium.storage.kafka.history.KafkaSchemaHistory";
    private static final String HISTORY_TOPIC = "schema.history.internal.kafka.topic";
    private static final String POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";
    /** What a PostgreSQL connector config gets for each key it leaves out (docs/databases.md says why). */
    static final Map<String, String> POSTGRES_DEFAULTS = postgresDefaults();
    /** The prefix of the logical decoding message the PostgreSQL heartbeat writes. */
    static final String HEARTBEAT_PREFIX = "connect-aws-heartbeat";
    /** Writes a non-transactional logical decoding message into the WAL of the connector's database, nothing else. */
    static final String HEARTBEAT_QUERY = "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX + "', '')";

    private final Map<String, String> connection;
    private final String clientRack;
    private final boolean topicCreation;
    private final java.util.Set<String> withheld;
    private final boolean exactlyOnce;

    /**
     * @param kafkaConnection bootstrap servers and top-level security settings, as {@link WorkerConfiguration#kafkaConnection()};
     *                        a null value counts as a literal secret
     * @param clientRack the worker's client.rack, or null
     * @param topicCreation whether the worker has {@code topic.creation.enable=true}
     */
    public ConnectorDefaults(Map<String, String> kafkaConnection, String clientRack, boolean topicCreation) {
        this(kafkaConnection, clientRack, topicCreation, false);
    }

    /** As above; {@code exactlyOnce}: whether the worker has {@code exactly.once.source.support=enabled}. */
    public ConnectorDefaults(Map<String, String> kafkaConnection, String clientRack, boolean topicCreation,
                             boolean exactlyOnce) {
        this.exactlyOnce = exactlyOnce;
        this.clientRack = clientRack;
        this.topicCreation = topicCreation;
        java.util.Set<String> secret = new java.util.TreeSet<>();
        Map<String, String> given = new LinkedHashMap<>();
        kafkaConnection.forEach((k, v) -> {
            if (v == null || Masking.holdsSecret(k, v)) {
                secret.add(k); // null: a literal secret the launcher left out of the worker property
            }
            if (v != null) {
                given.put(k, v);
            }
        });
        this.connection = Map.copyOf(given);
        this.withheld = java.util.Collections.unmodifiableSet(secret);
    }

    /** The keys to add to {@code config}, with their values; empty when it needs none. */
    public Map<String, String> additions(Map<String, String> config) {
        Map<String, String> add = new LinkedHashMap<>();
        // JSON nulls reach here as null values; Connect answers those itself
        String connectorClass = Objects.requireNonNullElse(
                io.connectaws.rest.DebeziumLegacyNames.connectorClass(config.get("connector.class")), "");
        String historyClass = Objects.requireNonNullElse(config.get("schema.history.internal"), KAFKA_HISTORY).trim();
        if (HISTORIZED.contains(connectorClass) && historyClass.equals(KAFKA_HISTORY)
                && !has(config, HISTORY_TOPIC) && has(config, "topic.prefix")) {
            add.put(HISTORY_TOPIC, "schema-history." + config.get("topic.prefix").trim());
        }
        if (has(config, HISTORY_TOPIC) || add.containsKey(HISTORY_TOPIC)) {
            addClients(config, add, "schema.history.internal.kafka.bootstrap.servers",
                    "schema.history.internal.producer.", "schema.history.internal.consumer.");
        }
        if (has(config, "signal.kafka.topic")) {
            addClients(config, add, "signal.kafka.bootstrap.servers", "signal.consumer.");
        }
        if (topicCreation && connectorClass.startsWith("io.debezium.connector.")
                && config.keySet().stream().noneMatch(k -> k.startsWith("topic.creation.default."))) {
            add.put("topic.creation.default.replication.factor", "-1");
            add.put("topic.creation.default.partitions", "-1");
        }
        if (exactlyOnce && ExactlyOnce.DEBEZIUM_SUPPORTED.contains(connectorClass) && !has(config, ExactlyOnce.CONNECTOR_KEY)) {
            add.put(ExactlyOnce.CONNECTOR_KEY, "required");
        }
        if (connectorClass.equals(POSTGRES)) {
            POSTGRES_DEFAULTS.forEach((key, value) -> {
                // a key the config names, even blank, is the user's choice: "heartbeat.action.query": "" turns the
                // heartbeat's write off (a standby cannot take it). The exclude list belongs to our action query, and
                // Debezium refuses it next to an include list.
                boolean ownMessageFilter = key.equals("message.prefix.exclude.list")
                        && (config.containsKey("message.prefix.include.list") || config.containsKey("heartbeat.action.query"));
                if (!config.containsKey(key) && !ownMessageFilter) {
                    add.put(key, value);
                }
            });
        }
        return add;
    }

    private static Map<String, String> postgresDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("plugin.name", "pgoutput");
        defaults.put("publication.autocreate.mode", "filtered");
        // A slot's WAL is released only up to what the connector confirms, and a connector confirms only what its own
        // database's WAL stream carries. On a quiet database next to busy ones on the same instance, a heartbeat alone
        // (heartbeat.interval.ms) confirms nothing new and the slot holds every byte the neighbours write. Measured on
        // PostgreSQL 17, Debezium 3.6.3, a busy database writing ~110 kB/s of WAL next to the quiet one, 285 s: no
        // heartbeat and heartbeat.interval.ms=10000 alone both retained all 32.0 MB written (and growing); with this
        // action query the slot's retained WAL stayed at 2.6-5.3 MB the whole time. Each heartbeat writes a logical
        // decoding message into the captured database's own WAL (no table, nothing in the user's schema; any user may
        // call it, replication right or not); the connector sees it and confirms past it. Debezium would publish it
        // to a <topic.prefix>.message topic; the exclude list drops it, and the slot still advances (measured).
        defaults.put("heartbeat.interval.ms", "10000");
        defaults.put("heartbeat.action.query", HEARTBEAT_QUERY);
        defaults.put("message.prefix.exclude.list", HEARTBEAT_PREFIX);
        return java.util.Collections.unmodifiableMap(defaults);
    }

    /** Worker connection settings holding a literal secret; when any, no security setting is copied. */
    public java.util.Set<String> withheld() {
        return withheld;
    }

    private void addClients(Map<String, String> config, Map<String, String> add, String bootstrapKey, String... prefixes) {
        if (!has(config, bootstrapKey)) {
            add.put(bootstrapKey, connection.get("bootstrap.servers"));
        }
        for (String prefix : prefixes) {
            boolean ownSecurity = config.keySet().stream()
                    .anyMatch(k -> k.startsWith(prefix) && isConnectionKey(k.substring(prefix.length())));
            if (!ownSecurity && withheld.isEmpty()) {
                connection.forEach((key, value) -> {
                    if (!key.equals("bootstrap.servers")) {
                        add.put(prefix + key, value);
                    }
                });
            }
            if (clientRack != null && prefix.endsWith("consumer.") && !has(config, prefix + "client.rack")) {
                add.put(prefix + "client.rack", clientRack);
            }
        }
    }

    private static boolean isConnectionKey(String key) {
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    private static boolean has(Map<String, String> config, String key) {
        String v = config.get(key);
        return v != null && !v.isBlank();
    }
}
