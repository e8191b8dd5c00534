package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A bad connector config gets a 4xx that names the problem, never a 500 and never the password.
 * (Connect 4.3.1 with Debezium 3.6.1's debezium-config answers 500 here: see the image's pom.)
 */
class BadConfigIT {

    static PostgreSQLContainer postgres;
    static ConnectWorker worker;

    @BeforeAll
    static void start() {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres();
        worker = new ConnectWorker("bad-config");
        Startables.deepStart(postgres, worker).join();
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, postgres);
    }

    private static Map<String, String> postgresWith(String key, String value) {
        Map<String, String> config = new HashMap<>(PostgresCdcIT.postgresConnector("it_bad", "bad", "public.customers"));
        config.put(key, value);
        return config;
    }

    @Test
    void wrongPasswordIsA400NamingTheAuthenticationFailureWithoutThePassword() {
        String wrong = "not-the-password-4711";
        ConnectRest.Reply reply = worker.rest().createConnector("bad-password", postgresWith("database.password", wrong));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        assertThat(reply.message()).contains("password authentication failed for user \"cdc\"");
        assertThat(reply.body().toString()).doesNotContain(wrong);
        assertThat(worker.getLogs()).doesNotContain(wrong);
        assertThat(worker.rest().get("/connectors/bad-password").status()).as("nothing was created").isEqualTo(404);
    }

    @Test
    void missingDatabaseIsA400NamingIt() {
        ConnectRest.Reply reply = worker.rest().createConnector("bad-db", postgresWith("database.dbname", "no_such_db"));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        assertThat(reply.message()).contains("database \"no_such_db\" does not exist");
    }

    @Test
    void unreachableHostIsA400() {
        ConnectRest.Reply reply = worker.rest().createConnector("bad-host", postgresWith("database.hostname", "no-such-host.invalid"));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        // pgjdbc's own wording; it does not repeat the host name (the MariaDB and SQL Server drivers do)
        assertThat(reply.message()).contains("The connection attempt failed");
    }

    @Test
    void unknownConnectorClassIsA400NamingIt() {
        ConnectRest.Reply reply = worker.rest().createConnector("bad-class",
                Map.of("connector.class", "com.example.NoSuchConnector", "tasks.max", "1"));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        assertThat(reply.message()).contains("com.example.NoSuchConnector");
    }

    @Test
    void validationNamesTheFailingFieldAndReturnsAValueForEveryConfigKey() {
        ConnectRest.Reply reply = worker.rest().validate("io.debezium.connector.postgresql.PostgresConnector",
                postgresWith("database.password", "wrong"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("error_count").asInt()).isGreaterThanOrEqualTo(1);
        boolean passwordFlagged = false;
        for (JsonNode config : reply.body().path("configs")) {
            // the null value behind Connect 4.3.1's NullPointerException (HTTP 500) on invalid configs
            assertThat(config.has("value") && !config.path("value").isNull())
                    .as("value present for %s", config.path("definition").path("name").asText()).isTrue();
            for (JsonNode error : config.path("value").path("errors")) {
                passwordFlagged |= error.asText().contains("password authentication failed");
            }
        }
        assertThat(passwordFlagged).as("the authentication failure is reported on a field").isTrue();
    }
}
