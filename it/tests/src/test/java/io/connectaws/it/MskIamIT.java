package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mariadb.MariaDBContainer;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.it.aws.MskIamApi;

/**
 * MSK IAM end to end, offline: the image with {@code CONNECT_AWS_KAFKA_AUTH=iam} and a role to assume, credentials
 * from the ECS container-credentials endpoint, against a broker that verifies every client's SigV4 signature and
 * authorizes every request against the shipped task role policy, config/iam/task-role-msk-iam.json
 * ({@link MskIamBroker}). A Debezium MariaDB connector (schema history in Kafka) whose JSON has no security setting,
 * at least once and exactly once (KIP-618: transactional producers, fencing, read_committed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MskIamIT {

    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/msk-connect";
    static final String PRINCIPAL = "arn:aws:sts::123456789012:assumed-role/msk-connect/connect-iam-cdc";

    static LocalAwsContainer aws;
    static MskIamBroker msk;
    static MariaDBContainer mariadb;
    static ConnectWorker worker;
    /** A second group, with exactly-once source delivery on (started by the exactly-once test). */
    static ConnectWorker eosWorker;
    static final String EOS_GROUP = "iam-eos";
    /** The transactional id of the exactly-once group leader's config topic producer. */
    static final String CONFIG_TRANSACTIONAL_ID = "connect-cluster-" + EOS_GROUP;

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalAwsContainer();
        msk = new MskIamBroker(aws);
        mariadb = new MariaDBContainer(Images.mariadb())
                .withNetwork(Stack.network())
                .withNetworkAliases("iam-mariadb")
                .withDatabaseName("inventory")
                .withUsername("cdc")
                .withPassword("cdc-secret")
                .withConfigurationOverride("mariadb-cdc");
        worker = new ConnectWorker("iam-worker", iamWorkerEnvironment("iam-cdc")).alsoOn(aws.taskNetwork());
        Startables.deepStart(msk, mariadb).join();
        worker.start();
        try (Connection root = DriverManager.getConnection(mariadb.getJdbcUrl(), "root", "cdc-secret");
             Statement s = root.createStatement()) {
            s.execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%'");
            s.execute("CREATE TABLE inventory.customers (id INT PRIMARY KEY, name VARCHAR(64))");
            s.execute("INSERT INTO inventory.customers VALUES (1, 'Ada')");
        }
    }

    @AfterAll
    static void stop() {
        if (msk != null && msk.isRunning()) {
            msk.allowAllPrincipals();
        }
        Stack.stop(eosWorker, worker, mariadb, msk, aws);
    }

    /** The image's environment for group {@code groupId} through IAM, assuming {@link #ROLE_ARN}. */
    static Map<String, String> iamWorkerEnvironment(String groupId) {
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults(groupId));
        env.putAll(LocalAwsContainer.workerEnvironment());
        env.putAll(MskIamBroker.workerEnvironment());
        env.put("CONNECT_AWS_KAFKA_IAM_ROLE_ARN", ROLE_ARN);
        env.put("CONNECT_AWS_KAFKA_IAM_STS_REGION", LocalAwsContainer.REGION);
        env.put("AWS_ENDPOINT_URL_STS", LocalAwsContainer.ENDPOINT_ON_STACK);
        env.put("CONNECT_KEY_CONVERTER_SCHEMAS_ENABLE", "false");
        env.put("CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE", "false");
        return env;
    }

    /** {@link #mariaDb} requiring exactly-once delivery: Connect refuses it on a worker that cannot give it. */
    static Map<String, String> mariaDbExactlyOnce(String prefix, String serverId) {
        Map<String, String> config = new HashMap<>(mariaDb(prefix, serverId));
        config.put("exactly.once.support", "required");
        return config;
    }

    /** Connector JSON as a user writes it: database, tables, topic prefix, history topic. Nothing about Kafka. */
    static Map<String, String> mariaDb(String prefix, String serverId) {
        return Map.of(
                "connector.class", "io.debezium.connector.mariadb.MariaDbConnector",
                "database.hostname", "iam-mariadb",
                "database.port", "3306",
                "database.user", "cdc",
                "database.password", "cdc-secret",
                "database.server.id", serverId,
                "database.include.list", "inventory",
                "table.include.list", "inventory.customers",
                "topic.prefix", prefix,
                "schema.history.internal.kafka.topic", "schema-history." + prefix);
    }

    @Test
    @Order(1)
    void aMariaDbConnectorWithoutSecuritySettingsStreamsThroughIam() throws Exception {
        ConnectRest rest = worker.rest();
        ConnectRest.Reply created = rest.createConnector("iam-maria", mariaDb("iam", "5501"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("iam-maria", Duration.ofSeconds(90));
        JsonNode config = rest.get("/connectors/iam-maria/config").body();
        assertThat(config.path("schema.history.internal.kafka.bootstrap.servers").asText()).isEqualTo(MskIamBroker.IAM_BOOTSTRAP);
        assertThat(config.path("schema.history.internal.producer.sasl.mechanism").asText()).isEqualTo("AWS_MSK_IAM");
        assertThat(config.path("schema.history.internal.consumer.sasl.jaas.config").asText()).contains(ROLE_ARN);

        try (TopicReader events = new TopicReader(msk.bootstrapServers(), "iam.inventory.customers")) {
            try (Connection db = DriverManager.getConnection(mariadb.getJdbcUrl(), "cdc", "cdc-secret");
                 Statement s = db.createStatement()) {
                s.execute("INSERT INTO inventory.customers VALUES (2, 'Grace')");
            }
            List<TopicReader.Event> changes = events.awaitCount(2, CdcScenario.EVENT_TIMEOUT);
            assertThat(changes).extracting(e -> e.after().path("name").asText()).containsExactly("Ada", "Grace");
        }
        try (TopicReader history = new TopicReader(msk.bootstrapServers(), "schema-history.iam")) {
            List<TopicReader.Event> records = history.awaitEvents(r -> r.stream().anyMatch(e -> e.value().toString()
                    .contains("CREATE TABLE")), CdcScenario.EVENT_TIMEOUT, "the table's DDL in the schema history");
            assertThat(records).isNotEmpty();
        }
        // Every client authenticated as the assumed role, with the stable session name; nothing got in otherwise.
        List<MskIamApi.Authentication> all = msk.authentications();
        assertThat(all).isNotEmpty().allSatisfy(a -> {
            assertThat(a.accepted()).as("%s", a).isTrue();
            assertThat(a.principal()).isEqualTo(PRINCIPAL);
        });
        System.out.printf("IAM authentications accepted: %d (worker, task producer, schema history, admin)%n", all.size());
    }

    @Test
    @Order(2)
    void aRoleThatLostItsPermissionFailsTheNewConnectorWithTheReason() {
        msk.clearAuthentications();
        msk.denyPrincipals(".*assumed-role/msk-connect/.*");
        try {
            ConnectRest rest = worker.rest();
            ConnectRest.Reply created = rest.createConnector("iam-denied", mariaDb("denied", "5502"));
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            String status = rest.awaitFailed("iam-denied", Duration.ofSeconds(90), "a FAILED connector or task");
            assertThat(status).contains("SaslAuthenticationException").contains("is not authorized to perform: kafka-cluster:Connect");
            assertThat(msk.authentications()).isNotEmpty().noneMatch(MskIamApi.Authentication::accepted);
            // the connector started before keeps running on its authenticated connections
            assertThat(rest.get("/connectors/iam-maria/status").body().path("tasks").get(0).path("state").asText())
                    .isEqualTo("RUNNING");
        } finally {
            msk.allowAllPrincipals();
        }
    }

    @Test
    @Order(3)
    void exactlyOnceStreamsThroughIamWithTheShippedPolicy() throws Exception {
        Map<String, String> env = iamWorkerEnvironment(EOS_GROUP);
        env.put("CONNECT_AWS_EXACTLY_ONCE", "true");
        eosWorker = new ConnectWorker("iam-eos-worker", env).alsoOn(aws.taskNetwork());
        eosWorker.start();
        ConnectRest rest = eosWorker.rest();
        ConnectRest.Reply created = rest.createConnector("iam-eos-maria", mariaDbExactlyOnce("eos", "5503"));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        rest.awaitRunning("iam-eos-maria", Duration.ofSeconds(90));
        try (Connection db = DriverManager.getConnection(mariadb.getJdbcUrl(), "cdc", "cdc-secret");
             Statement s = db.createStatement()) {
            s.execute("INSERT INTO inventory.customers VALUES (3, 'Hopper')");
        }
        try (TopicReader events = new TopicReader(msk.bootstrapServers(), "eos.inventory.customers", "read_committed")) {
            List<TopicReader.Event> changes = events.awaitEvents(e -> e.stream()
                    .anyMatch(c -> c.after().path("name").asText().equals("Hopper")), CdcScenario.EVENT_TIMEOUT,
                    "the insert of Hopper, committed");
            assertThat(changes).extracting(e -> e.after().path("name").asText()).contains("Ada", "Hopper");
        }
        // the records and the leader's config writes went through transactions under Connect's transactional ids:
        // connect-cluster-<group.id> (config topic) and <group.id>-<connector>-<task> (KIP-618)
        // (a single task: Connect skips the zombie-fencing round, whose Admin.fenceProducers needs the same actions)
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, msk.bootstrapServers()))) {
            List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).toList();
            assertThat(ids).containsExactlyInAnyOrder(CONFIG_TRANSACTIONAL_ID, EOS_GROUP + "-iam-eos-maria-0");
        }
        assertThat(msk.denials()).as("refusals the broker logged").isEmpty();
    }

    @Test
    @Order(4)
    void withoutTheTransactionalIdStatementExactlyOnceIsRefusedNamingTheAuthorization() {
        msk.changePolicy(MskIamBroker.withoutStatement(MskIamBroker.shippedPolicy(), "ExactlyOnceTransactionalIds"));
        try {
            ConnectRest.Reply created = eosWorker.rest().createConnector("iam-eos-denied",
                    mariaDbExactlyOnce("eos-denied", "5504"));
            // Connect's reply is generic; the worker's log names the refused authorization, the broker's the action
            assertThat(created.status()).as("%s", created.body()).isEqualTo(500);
            assertThat(created.body().path("message").asText()).startsWith("Failed to write to config topic");
            assertThat(eosWorker.getLogs()).contains("transactionalId=" + CONFIG_TRANSACTIONAL_ID
                    + "] Transiting to fatal error state due to org.apache.kafka.common.errors."
                    + "TransactionalIdAuthorizationException: Transactional Id authorization failed.");
            assertThat(msk.denials()).anySatisfy(d -> assertThat(d).startsWith("MSK IAM authorization denied: User: "
                    + "arn:aws:sts::123456789012:assumed-role/msk-connect/connect-" + EOS_GROUP
                    + " is not authorized to perform: kafka-cluster:AlterTransactionalId on resource: "
                    + MskIamBroker.CLUSTER_ARN.replace(":cluster/", ":transactional-id/") + "/"
                    + CONFIG_TRANSACTIONAL_ID + " because no identity-based policy allows"));
        } finally {
            msk.changePolicy(MskIamBroker.shippedPolicy());
        }
    }
}
