package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.connectaws.it.TopicReader.Event;

/**
 * The change-data-capture scenario every database goes through the product image with:
 * a snapshot of existing rows, then an insert, an update (with its before image), a delete and
 * its tombstone, asserted by op code, key and row content.
 */
abstract class CdcScenario {

    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    /** A JDBC connection to the database under test, from the host. */
    protected abstract Connection connect() throws SQLException;

    /** Statements that create {@code customers(id, name, email)} and prepare it for capture. */
    protected abstract List<String> createTable();

    /** The table name as the database's SQL refers to it. */
    protected abstract String table();

    /** The connector configuration, without converters (added here). */
    protected abstract Map<String, String> connectorConfig();

    /** The topic the table's change events go to. */
    protected abstract String topic();

    /** JSON without schemas, so events are asserted as users read them; topics created by Connect. */
    static Map<String, String> withJsonAndTopicCreation(Map<String, String> config) {
        Map<String, String> all = new HashMap<>(config);
        all.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        all.put("key.converter.schemas.enable", "false");
        all.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        all.put("value.converter.schemas.enable", "false");
        // The test broker does not auto-create topics (like MSK by default): Connect creates them.
        all.put("topic.creation.default.replication.factor", "1");
        all.put("topic.creation.default.partitions", "1");
        return all;
    }

    protected void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Runs the whole scenario through the given worker. */
    protected void runScenario(ConnectRest rest, String connectorName) throws Exception {
        execute(createTable().toArray(String[]::new));
        execute("INSERT INTO " + table() + " (id, name, email) VALUES (1, 'alice', 'alice@example.com')",
                "INSERT INTO " + table() + " (id, name, email) VALUES (2, 'bob', 'bob@example.com')");

        ConnectRest.Reply created = rest.createConnector(connectorName, withJsonAndTopicCreation(connectorConfig()));
        assertThat(created.status()).as("create connector: %s", created.body()).isEqualTo(201);
        rest.awaitRunning(connectorName, Duration.ofSeconds(90));

        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), topic())) {
            List<Event> snapshot = reader.awaitCount(2, EVENT_TIMEOUT);
            assertThat(snapshot).extracting(Event::op).containsExactly("r", "r");
            assertThat(snapshot).extracting(e -> e.key().path("id").asInt()).containsExactly(1, 2);
            assertThat(snapshot.get(0).after().path("name").asText()).isEqualTo("alice");
            assertThat(snapshot.get(1).after().path("email").asText()).isEqualTo("bob@example.com");

            execute("INSERT INTO " + table() + " (id, name, email) VALUES (3, 'carol', 'carol@example.com')");
            Event insert = reader.awaitCount(3, EVENT_TIMEOUT).get(2);
            assertThat(insert.op()).isEqualTo("c");
            assertThat(insert.key().path("id").asInt()).isEqualTo(3);
            assertThat(insert.before().isNull()).as("insert has no before image").isTrue();
            assertThat(insert.after().path("name").asText()).isEqualTo("carol");
            assertThat(insert.after().path("email").asText()).isEqualTo("carol@example.com");

            execute("UPDATE " + table() + " SET name = 'alice-renamed' WHERE id = 1");
            Event update = reader.awaitCount(4, EVENT_TIMEOUT).get(3);
            assertThat(update.op()).isEqualTo("u");
            assertThat(update.key().path("id").asInt()).isEqualTo(1);
            assertThat(update.before().path("name").asText()).as("before image").isEqualTo("alice");
            assertThat(update.after().path("name").asText()).isEqualTo("alice-renamed");
            assertThat(update.after().path("email").asText()).isEqualTo("alice@example.com");

            execute("DELETE FROM " + table() + " WHERE id = 2");
            List<Event> all = reader.awaitCount(6, EVENT_TIMEOUT);
            Event delete = all.get(4);
            assertThat(delete.op()).isEqualTo("d");
            assertThat(delete.key().path("id").asInt()).isEqualTo(2);
            assertThat(delete.before().path("name").asText()).isEqualTo("bob");
            assertThat(delete.after().isNull()).as("delete has no after image").isTrue();
            Event tombstone = all.get(5);
            assertThat(tombstone.key().path("id").asInt()).as("tombstone key").isEqualTo(2);
            assertThat(tombstone.value()).as("tombstone value").isNull();

            assertThat(reader.drain(Duration.ofSeconds(2))).as("nothing beyond the six events").hasSize(6);
        }
    }
}
