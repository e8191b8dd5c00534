package io.connectaws.it;

import static io.connectaws.it.DeclarationFiles.configWrites;
import static io.connectaws.it.DeclarationFiles.entry;
import static io.connectaws.it.DeclarationFiles.id;
import static io.connectaws.it.DeclarationFiles.outcome;
import static io.connectaws.it.DeclarationFiles.report;
import static io.connectaws.it.DeclarationFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

import io.connectaws.it.TopicReader.Event;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Declared connectors through the image: three workers of one group start at once with a read-only directory of
 * declarations (a connector in YAML, a bare config in JSON, a template with a CSV tenant list) and an SSM Parameter Store
 * path, and the test sends no REST write for any of it. Each declared connector is created exactly once (by the group
 * leader), runs and streams; an edited file rewrites only its own connector; paused and stopped are applied; a removed
 * file and a deleted parameter delete their connector (purge on), a hand-made connector is never touched, a second group
 * with purge off keeps and reports an orphan; a broken file and a colliding tenant are reported once each, naming file,
 * tenant and key, while the rest is applied; the collision guard refuses a REST-created duplicate.
 *
 * <p>The tests share one PostgreSQL, one worker group and one directory, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeclarationsIT {
    static final String GROUP = "decl";
    static final String CONFIG_TOPIC = GROUP + "-configs";
    static final String PG_HOST = "decl-postgres";
    static final String SSM_PATH = "/connect/decl";
    static final long INTERVAL_MS = 2_000;
    /** Several rounds: long enough for a reconciler that rewrites or deletes what it should not to have done so. */
    static final Duration ROUNDS = Duration.ofMillis(4 * INTERVAL_MS);
    static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(120);
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

    static final String APP_SECRET = "decl/app";
    static final String APP_PASSWORD = "pw-decl-app-5b1e07";
    static final List<String> TENANTS = List.of("acme", "globex", "hooli", "initech");

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static SecretsManagerClient secrets;
    static SsmClient ssm;
    static DeclarationFiles files;
    static final List<ConnectWorker> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases(PG_HOST)
                .withDatabaseName("app")
                .withUsername("admin")
                .withPassword("admin-pw")
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical",
                        "-c", "max_replication_slots=20", "-c", "max_wal_senders=20");
        aws = new LocalAwsContainer();
        Startables.deepStart(postgres, aws).join();
        secrets = aws.secretsManager();
        ssm = aws.ssm();

        // the application's database: its tables owned by the CDC role, which may create publications there
        secrets.createSecret(r -> r.name(APP_SECRET).secretString(
                "{\"username\":\"cdc_app\",\"password\":\"" + APP_PASSWORD + "\"}"));
        sql("app", "CREATE ROLE cdc_app WITH LOGIN REPLICATION PASSWORD '" + APP_PASSWORD + "'",
                "GRANT CREATE ON DATABASE app TO cdc_app");
        for (String table : List.of("orders", "customers", "manual", "kept")) {
            sql("app", "CREATE TABLE public." + table + " (id INT PRIMARY KEY, note TEXT)",
                    "ALTER TABLE public." + table + " OWNER TO cdc_app");
        }
        // one database, one role and one secret per tenant
        for (String tenant : TENANTS) {
            secrets.createSecret(r -> r.name("tenants/" + tenant).secretString(
                    "{\"password\":\"" + tenantPassword(tenant) + "\"}"));
            sql("app", "CREATE ROLE cdc_" + tenant + " WITH LOGIN REPLICATION PASSWORD '" + tenantPassword(tenant) + "'",
                    "CREATE DATABASE tenant_" + tenant + " OWNER cdc_" + tenant);
            sql("tenant_" + tenant, "CREATE TABLE public.accounts (id INT PRIMARY KEY, note TEXT)",
                    "ALTER TABLE public.accounts OWNER TO cdc_" + tenant);
        }

        files = new DeclarationFiles("declarations");
        files.write("orders.yaml", ordersYaml("running"));
        files.write("customers.json", DeclarationFiles.json(customersConfig(Map.of())));
        files.write("fleet.yaml", FLEET_YAML);
        files.write("tenants.csv", "tenant,db,topic\nacme,tenant_acme,acme\nglobex,tenant_globex,globex\n");

        for (int i = 1; i <= 3; i++) {
            workers.add(worker(GROUP + "-" + i, GROUP, files, true, true));
        }
        long started = System.nanoTime();
        Startables.deepStart(workers).join();
        System.out.printf("DeclarationsIT: three workers started in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() {
        if (secrets != null) secrets.close();
        if (ssm != null) ssm.close();
        workers.forEach(Stack::stop);
        Stack.stop(aws, postgres);
        if (files != null) files.close();
    }

    /** A worker of {@code group} with the declarations of {@code dir}, re-read every 2 s. */
    static ConnectWorker worker(String alias, String group, DeclarationFiles dir, boolean purge, boolean withSsm) {
        Map<String, String> env = new HashMap<>(ConnectWorker.defaults(group));
        env.putAll(LocalAwsContainer.workerEnvironment());
        env.put("CONNECT_DECLARATIONS_INTERVAL_MS", Long.toString(INTERVAL_MS));
        env.put("CONNECT_DECLARATIONS_PURGE", Boolean.toString(purge));
        if (withSsm) {
            env.put("CONNECT_DECLARATIONS_SSM_PATH", SSM_PATH);
            env.put("CONNECT_DECLARATIONS_SSM_ENDPOINT", LocalAwsContainer.ENDPOINT_ON_STACK);
            env.put("CONNECT_DECLARATIONS_SSM_REGION", LocalAwsContainer.REGION);
        }
        return dir.mountOn(new ConnectWorker(alias, env).alsoOn(aws.taskNetwork()));
    }

    static String tenantPassword(String tenant) {
        return "pw-tenant-" + tenant + "-c3d9";
    }

    /** A connector of the application database: its own table, slot, publication and topic prefix. */
    static Map<String, String> appConnector(String name) {
        Map<String, String> config = new LinkedHashMap<>(CdcScenario.withJsonAndTopicCreation(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", PG_HOST),
                Map.entry("database.port", "5432"),
                Map.entry("database.user", "${secretsmanager:" + APP_SECRET + ":username}"),
                Map.entry("database.password", "${secretsmanager:" + APP_SECRET + ":password}"),
                Map.entry("database.dbname", "app"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", name + "_slot"),
                Map.entry("publication.name", name + "_pub"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("topic.prefix", name),
                Map.entry("table.include.list", "public." + name))));
        return config;
    }

    /** orders.yaml: the {name, state, config} form, in YAML. */
    static String ordersYaml(String state) {
        return "# the orders service's change stream\nname: orders\nstate: " + state + "\nconfig:\n"
                + yaml(appConnector("orders"), 2);
    }

    /** customers.json: a bare config without a name (the file's stem names the connector). */
    static Map<String, String> customersConfig(Map<String, String> extra) {
        Map<String, String> config = appConnector("customers");
        config.putAll(extra);
        return config;
    }

    /** A template whose tenants are in tenants.csv beside it (and, for some, in Parameter Store). */
    static final String FLEET_YAML = "template:\n  id: fleet\n  name: \"cdc-{{tenant}}\"\n  state: running\n  config:\n"
            + yaml(tenantTemplateConfig(), 4) + "tenants: tenants.csv\n";

    static Map<String, String> tenantTemplateConfig() {
        return CdcScenario.withJsonAndTopicCreation(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", PG_HOST),
                Map.entry("database.port", "5432"),
                Map.entry("database.user", "cdc_{{tenant}}"),
                Map.entry("database.password", "${secretsmanager:tenants/{{tenant}}:password}"),
                Map.entry("database.dbname", "{{db}}"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", "slot_{{tenant}}"),
                Map.entry("publication.name", "pub_{{tenant}}"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("topic.prefix", "{{topic}}"),
                Map.entry("table.include.list", "public.accounts")));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyDeclaredConnectorIsCreatedOnceByTheLeaderRunsAndStreams() throws Exception {
        List<String> declared = List.of("cdc-acme", "cdc-globex", "customers", "orders");
        ConnectRest rest = workers.get(0).rest();
        for (String name : declared) {
            rest.awaitRunning(name, RUNNING_TIMEOUT);
        }
        for (ConnectWorker w : workers) {
            w.rest().await("/connectors", r -> r.status() == 200 && names(r.body()).equals(new TreeSet<>(declared)),
                    Duration.ofSeconds(30), "exactly the declared connectors on " + w.getNetworkAliases());
        }

        // one leader applies; the followers say so and apply nothing
        ConnectWorker leader = leader();
        JsonNode report = awaitReport(r -> declared.stream().allMatch(n -> Set.of("applied", "unchanged")
                .contains(outcome(r, n))), "every declared connector applied");
        assertThat(report.path("purge").asBoolean()).isTrue();
        assertThat(report.path("complete").asBoolean()).isTrue();
        assertThat(report.path("problems")).isEmpty();
        assertThat(report.path("sources").toString()).contains(DeclarationFiles.DIR_IN_IMAGE).contains(SSM_PATH);
        assertThat(entry(report, "orders").path("origin").asText()).isEqualTo(id("orders.yaml"));
        assertThat(entry(report, "customers").path("origin").asText()).isEqualTo(id("customers.json"));
        assertThat(entry(report, "cdc-globex").path("origin").asText())
                .contains("tenant 'globex'").contains(id("tenants.csv")).contains(id("fleet.yaml"));
        List<String> roles = new ArrayList<>();
        for (ConnectWorker w : workers) {
            JsonNode r = w.rest().await("/declarations", x -> x.status() == 200 && !x.body().path("round").isNull()
                    && Set.of("leader", "follower").contains(x.body().path("role").asText()), APPLY_TIMEOUT,
                    "a round as leader or follower").body();
            roles.add(r.path("role").asText());
            assertThat(r.path("leader").asText()).as("every worker names the same leader")
                    .isEqualTo(report.path("leader").asText());
            if (w != leader) {
                assertThat(r.path("connectors")).extracting(c -> c.path("name").asText())
                        .containsExactlyInAnyOrderElementsOf(declared);
                assertThat(r.path("connectors")).allSatisfy(c -> assertThat(c.path("outcome").isNull()).isTrue());
                assertThat(r.path("note").asText()).contains("group leader");
            }
        }
        assertThat(roles).containsExactlyInAnyOrder("leader", "follower", "follower");

        // the stored config: the marker, the references as written
        JsonNode stored = rest.get("/connectors/orders/config").body();
        assertThat(stored.path("connect.aws.declaration").asText()).isNotEmpty();
        assertThat(stored.path("database.password").asText()).isEqualTo("${secretsmanager:" + APP_SECRET + ":password}");
        assertThat(rest.get("/connectors/cdc-acme/config").body().path("database.password").asText())
                .isEqualTo("${secretsmanager:tenants/acme:password}");

        // change events flow from every declared connector
        insert("app", "orders", 1, 2);
        insert("app", "customers", 1, 2);
        insert("tenant_acme", "accounts", 1, 2);
        insert("tenant_globex", "accounts", 1, 2);
        awaitRows("orders.public.orders", 1, 2);
        awaitRows("customers.public.customers", 1, 2);
        awaitRows("acme.public.accounts", 1, 2);
        awaitRows("globex.public.accounts", 1, 2);

        // exactly once: one config write per connector after several more rounds, one "created" line in the group
        Thread.sleep(ROUNDS.toMillis());
        for (String name : declared) {
            assertThat(configWrites(CONFIG_TOPIC, name)).as("config records of %s", name).isEqualTo(1);
            assertThat(count(allLogs(), Pattern.compile("Declared connector " + Pattern.quote(name) + " \\(.*\\): created")))
                    .as("'created' log lines for %s across the three workers", name).isEqualTo(1);
        }
        assertThat(allLogs()).doesNotContain("create refused").doesNotContain(" not applied (");
        // the reconciler's own calls arrive on loopback: the whole group sent exactly one POST /connectors per connector
        List<String> creates = new ArrayList<>();
        Matcher posts = Pattern.compile("\\] INFO 127\\.0\\.0\\.1 - - \\[[^\\]]*\\] \"POST /connectors HTTP/1\\.1\" (\\d{3}) ")
                .matcher(allLogs());
        while (posts.find()) creates.add(posts.group(1));
        assertThat(creates).as("POST /connectors sent by the reconcilers of the group").containsExactly("201", "201", "201", "201");
    }

    @Test
    @Order(2)
    void anEditedFileRewritesOnlyItsOwnConnector() throws Exception {
        ConnectRest rest = workers.get(0).rest();
        rest.awaitRunning("orders", RUNNING_TIMEOUT);
        rest.awaitRunning("customers", RUNNING_TIMEOUT);
        awaitSlotPid("orders_slot", pid -> pid > 0, "orders streaming");
        awaitSlotPid("customers_slot", pid -> pid > 0, "customers streaming");
        int ordersPid = slotPid("orders_slot");
        int customersPid = slotPid("customers_slot");
        long ordersWrites = configWrites(CONFIG_TOPIC, "orders");
        long customersWrites = configWrites(CONFIG_TOPIC, "customers");

        files.write("customers.json", DeclarationFiles.json(customersConfig(Map.of("poll.interval.ms", "200"))));

        rest.await("/connectors/customers/config", r -> "200".equals(r.body().path("poll.interval.ms").asText()),
                APPLY_TIMEOUT, "the edited config");
        awaitSlotPid("customers_slot", pid -> pid > 0 && pid != customersPid, "customers' task restarted with its new config");
        rest.awaitRunning("customers", RUNNING_TIMEOUT);
        Thread.sleep(ROUNDS.toMillis());

        assertThat(configWrites(CONFIG_TOPIC, "customers")).as("customers written once more").isEqualTo(customersWrites + 1);
        assertThat(configWrites(CONFIG_TOPIC, "orders")).as("orders not written").isEqualTo(ordersWrites);
        assertThat(slotPid("orders_slot")).as("orders' task kept its replication connection").isEqualTo(ordersPid);
        JsonNode report = awaitReport(r -> "unchanged".equals(outcome(r, "customers")), "customers as declared again");
        assertThat(outcome(report, "orders")).isEqualTo("unchanged");
        assertThat(count(allLogs(), Pattern.compile("Declared connector customers \\(.*\\): config updated"))).isEqualTo(1);

        insert("app", "customers", 3, 3);
        insert("app", "orders", 3, 3);
        awaitRows("customers.public.customers", 3, 3);
        awaitRows("orders.public.orders", 3, 3);
    }

    @Test
    @Order(3)
    void pausedAndStoppedDeclarationsAreApplied() throws Exception {
        ConnectRest rest = workers.get(0).rest();
        long ordersWrites = configWrites(CONFIG_TOPIC, "orders");

        files.write("orders.yaml", ordersYaml("paused"));
        awaitConnectorState(rest, "orders", "PAUSED");
        rest.await("/connectors/orders/status", r -> r.body().path("tasks").size() == 1
                && "PAUSED".equals(r.body().path("tasks").get(0).path("state").asText()), APPLY_TIMEOUT, "task PAUSED");
        assertThat(count(allLogs(), Pattern.compile("Declared connector orders \\(.*\\): paused"))).isEqualTo(1);

        files.write("orders.yaml", ordersYaml("stopped"));
        awaitConnectorState(rest, "orders", "STOPPED");
        rest.await("/connectors/orders/status", r -> r.body().path("tasks").isEmpty(), APPLY_TIMEOUT, "no task");
        Thread.sleep(ROUNDS.toMillis());
        assertThat(rest.get("/connectors/orders/status").body().path("connector").path("state").asText())
                .as("stays STOPPED").isEqualTo("STOPPED");
        assertThat(outcome(leaderReport(), "orders")).isEqualTo("unchanged");

        files.write("orders.yaml", ordersYaml("running"));
        rest.awaitRunning("orders", RUNNING_TIMEOUT);
        insert("app", "orders", 4, 4);
        awaitRows("orders.public.orders", 4, 4);
        assertThat(configWrites(CONFIG_TOPIC, "orders")).as("a state change is not a config write").isEqualTo(ordersWrites);
    }

    @Test
    @Order(4)
    void aRemovedFileDeletesItsConnectorWhenPurgeIsOn() {
        files.remove("customers.json");
        for (ConnectWorker w : workers) {
            w.rest().await("/connectors/customers", r -> r.status() == 404, APPLY_TIMEOUT, "customers deleted");
        }
        assertThat(count(allLogs(), Pattern.compile("Declared connector customers \\(no declaration\\): deleted \\(purge is on\\)")))
                .isEqualTo(1);
        assertThat(names(workers.get(0).rest().get("/connectors").body()))
                .containsExactlyInAnyOrder("cdc-acme", "cdc-globex", "orders");
    }

    @Test
    @Order(5)
    void aConnectorMadeByHandIsLeftAloneEvenWithPurgeOnAndADeclarationOfItsName() throws Exception {
        ConnectRest rest = workers.get(1).rest();
        ConnectRest.Reply created = rest.createConnector("manual", appConnector("manual"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        rest.awaitRunning("manual", RUNNING_TIMEOUT);

        // a declaration that takes its name: refused, the connector untouched
        Map<String, String> other = appConnector("manual");
        other.put("poll.interval.ms", "100");
        files.write("manual.yaml", "name: manual\nconfig:\n" + yaml(other, 2));
        JsonNode report = awaitReport(r -> "failed".equals(outcome(r, "manual")), "the declaration of 'manual' refused");
        assertThat(entry(report, "manual").path("detail").asText()).contains("not created from a declaration");

        files.remove("manual.yaml");
        Thread.sleep(ROUNDS.toMillis());
        ConnectRest.Reply config = rest.get("/connectors/manual/config");
        assertThat(config.status()).as("still there with purge on").isEqualTo(200);
        assertThat(config.body().has("poll.interval.ms")).isFalse();
        assertThat(config.body().has("connect.aws.declaration")).isFalse();
        assertThat(configWrites(CONFIG_TOPIC, "manual")).isEqualTo(1);
        rest.awaitRunning("manual", Duration.ofSeconds(10));
        assertThat(outcome(leaderReport(), "manual")).as("not reported once undeclared").isEmpty();
    }

    @Test
    @Order(6)
    void theCollisionGuardRefusesADuplicateTopicPrefixOrSlotNamingTheOtherConnector() {
        ConnectRest rest = workers.get(2).rest();
        Map<String, String> copy = appConnector("orderscopy");
        copy.put("topic.prefix", "orders");
        ConnectRest.Reply refused = rest.createConnector("orders-copy", copy);
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.message()).contains("'orders-copy'").contains("topic.prefix 'orders'")
                .contains("connector 'orders' already uses");

        Map<String, String> slot = appConnector("slotcopy");
        slot.put("slot.name", "orders_slot");
        refused = rest.createConnector("slot-copy", slot);
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.message()).contains("slot.name 'orders_slot'").contains("connector 'orders' already uses");

        // the same check on PUT /connectors/NAME/config: the hand-made connector may not take a tenant's prefix
        Map<String, String> manual = appConnector("manual");
        manual.put("topic.prefix", "acme");
        refused = rest.call("PUT", "/connectors/manual/config", manual);
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.message()).contains("topic.prefix 'acme'").contains("connector 'cdc-acme' already uses");

        assertThat(rest.get("/connectors/orders-copy").status()).isEqualTo(404);
        assertThat(rest.get("/connectors/slot-copy").status()).isEqualTo(404);
        assertThat(rest.get("/connectors/manual/config").body().path("topic.prefix").asText()).isEqualTo("manual");
    }

    @Test
    @Order(7)
    void aBrokenFileAndACollidingTenantAreEachReportedOnceWhileTheRestIsApplied() throws Exception {
        files.write("broken.yaml", "name: broken\nconfig:\n  connector.class: [unclosed\n  topic.prefix: x\n");
        // hooli is new and fine; initrode would write to acme's topics
        files.write("tenants.csv", "tenant,db,topic\nacme,tenant_acme,acme\nglobex,tenant_globex,globex\n"
                + "hooli,tenant_hooli,hooli\ninitrode,tenant_initrode,acme\n");

        JsonNode report = awaitReport(r -> r.path("problems").size() == 2
                && Set.of("applied", "unchanged").contains(outcome(r, "cdc-hooli")), "two problems and hooli applied");
        workers.get(0).rest().awaitRunning("cdc-hooli", RUNNING_TIMEOUT);
        insert("tenant_hooli", "accounts", 1, 1);
        awaitRows("hooli.public.accounts", 1, 1);

        List<JsonNode> problems = new ArrayList<>();
        report.path("problems").forEach(problems::add);
        assertThat(problems).filteredOn(p -> p.path("where").asText().contains("broken.yaml")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path("where").asText()).isEqualTo(id("broken.yaml"));
                    assertThat(p.path("message").asText()).startsWith("not valid YAML").contains("line");
                });
        assertThat(problems).filteredOn(p -> p.path("where").asText().contains("initrode")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path("where").asText()).contains("tenant 'initrode'").contains(id("tenants.csv"));
                    assertThat(p.path("connector").asText()).isEqualTo("cdc-initrode");
                    assertThat(p.path("key").asText()).isEqualTo("topic.prefix");
                    assertThat(p.path("message").asText()).contains("'acme'").contains("connector 'cdc-acme'");
                });
        assertThat(outcome(report, "cdc-initrode")).isEqualTo("failed");
        assertThat(report.path("complete").asBoolean()).as("a broken file: nothing may be purged").isFalse();
        for (String name : List.of("cdc-acme", "cdc-globex", "orders")) {
            assertThat(outcome(report, name)).as(name).isEqualTo("unchanged");
        }
        assertThat(workers.get(0).rest().get("/connectors/cdc-initrode").status()).isEqualTo(404);
        String leaderLogs = leader().getLogs();
        assertThat(count(leaderLogs, Pattern.compile("Declarations: " + Pattern.quote(id("broken.yaml")) + ": not valid YAML")))
                .as("logged once, not every round").isEqualTo(1);
        assertThat(count(leaderLogs, Pattern.compile("Declared connector cdc-initrode not applied"))).isEqualTo(1);

        // fixed: no problem left, and acme still as it was
        files.remove("broken.yaml");
        files.write("tenants.csv", "tenant,db,topic\nacme,tenant_acme,acme\nglobex,tenant_globex,globex\n"
                + "hooli,tenant_hooli,hooli\n");
        report = awaitReport(r -> r.path("problems").isEmpty() && r.path("complete").asBoolean()
                && outcome(r, "cdc-initrode").isEmpty(), "no problems");
        assertThat(outcome(report, "cdc-acme")).isEqualTo("unchanged");
        assertThat(configWrites(CONFIG_TOPIC, "cdc-acme")).isEqualTo(1);
    }

    @Test
    @Order(8)
    void aTenantAddedInParameterStoreAppearsAndADeletedOneGoes() throws Exception {
        String parameter = SSM_PATH + "/tenants/initech";
        ssm.putParameter(r -> r.name(parameter).type("String").value(
                "tenantsOf: fleet\ntenants:\n  - tenant: initech\n    db: tenant_initech\n    topic: initech\n"));
        ConnectRest rest = workers.get(0).rest();
        rest.await("/connectors/cdc-initech", r -> r.status() == 200, APPLY_TIMEOUT, "the tenant from Parameter Store");
        rest.awaitRunning("cdc-initech", RUNNING_TIMEOUT);
        JsonNode report = awaitReport(r -> !outcome(r, "cdc-initech").isEmpty(), "initech reported");
        assertThat(entry(report, "cdc-initech").path("origin").asText()).contains("tenant 'initech'")
                .contains("ssm:" + parameter).contains(id("fleet.yaml"));
        assertThat(rest.get("/connectors/cdc-initech/config").body().path("database.password").asText())
                .isEqualTo("${secretsmanager:tenants/initech:password}");
        insert("tenant_initech", "accounts", 1, 2);
        awaitRows("initech.public.accounts", 1, 2);

        ssm.deleteParameter(r -> r.name(parameter));
        for (ConnectWorker w : workers) {
            w.rest().await("/connectors/cdc-initech", r -> r.status() == 404, APPLY_TIMEOUT, "initech deleted");
        }
        assertThat(names(rest.get("/connectors").body()))
                .containsExactlyInAnyOrder("cdc-acme", "cdc-globex", "cdc-hooli", "manual", "orders");
    }

    @Test
    @Order(9)
    void withPurgeOffARemovedDeclarationIsKeptAndReportedOrphaned() throws Exception {
        try (DeclarationFiles keepFiles = new DeclarationFiles("declarations-keep")) {
            keepFiles.write("kept.yaml", "name: kept\nconfig:\n" + yaml(appConnector("kept"), 2));
            ConnectWorker keeper = worker("decl-keep-1", "decl-keep", keepFiles, false, false);
            try {
                keeper.start();
                ConnectRest rest = keeper.rest();
                rest.awaitRunning("kept", RUNNING_TIMEOUT);
                assertThat(report(rest).path("purge").asBoolean()).isFalse();

                keepFiles.remove("kept.yaml");
                JsonNode report = rest.await("/declarations", r -> "orphaned".equals(outcome(r.body(), "kept")),
                        APPLY_TIMEOUT, "kept orphaned").body();
                assertThat(entry(report, "kept").path("detail").asText()).contains("purge is off");
                Thread.sleep(ROUNDS.toMillis());
                rest.awaitRunning("kept", Duration.ofSeconds(10));
                assertThat(outcome(report(rest), "kept")).isEqualTo("orphaned");
                assertThat(count(keeper.getLogs(), Pattern.compile("Connector kept: created from a declaration that is gone")))
                        .as("warned once").isEqualTo(1);
                assertNoSecretIn(keeper.getLogs());
            } finally {
                Stack.stop(keeper);
            }
        }
    }

    @Test
    @Order(10)
    void noSecretReachedAnyLog() {
        assertNoSecretIn(allLogs());
        assertThat(allLogs()).contains("Declarations: connectors declared in directory " + DeclarationFiles.DIR_IN_IMAGE);
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void assertNoSecretIn(String logs) {
        assertThat(logs).doesNotContain(APP_PASSWORD);
        for (String tenant : TENANTS) {
            assertThat(logs).doesNotContain(tenantPassword(tenant));
        }
    }

    /** The worker whose GET /declarations says it is the leader. */
    static ConnectWorker leader() {
        Instant deadline = Instant.now().plus(APPLY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (ConnectWorker w : workers) {
                JsonNode r = report(w.rest());
                if (r != null && "leader".equals(r.path("role").asText()) && !r.path("round").isNull()) {
                    return w;
                }
            }
            ConnectRest.sleep(300);
        }
        return fail("no worker reports itself the leader");
    }

    static JsonNode leaderReport() {
        return report(leader().rest());
    }

    /** Polls the leader's GET /declarations until {@code condition} holds. */
    static JsonNode awaitReport(Predicate<JsonNode> condition, String what) {
        Instant deadline = Instant.now().plus(APPLY_TIMEOUT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = leaderReport();
            if (last != null && condition.test(last)) {
                return last;
            }
            ConnectRest.sleep(300);
        }
        return fail("GET /declarations on the leader never showed " + what + "; last: " + last);
    }

    static void awaitConnectorState(ConnectRest rest, String name, String state) {
        rest.await("/connectors/" + name + "/status",
                r -> state.equals(r.body().path("connector").path("state").asText()), APPLY_TIMEOUT, name + " " + state);
    }

    static Set<String> names(JsonNode list) {
        Set<String> names = new TreeSet<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }

    static String allLogs() {
        StringBuilder all = new StringBuilder();
        workers.forEach(w -> all.append(w.getLogs()));
        return all.toString();
    }

    static long count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        long n = 0;
        while (m.find()) n++;
        return n;
    }

    static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(5432) + "/" + db, "admin", "admin-pw");
    }

    static void sql(String db, String... statements) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        }
    }

    static void insert(String db, String table, int from, int to) throws SQLException {
        for (int id = from; id <= to; id++) sql(db, "INSERT INTO public." + table + " VALUES (" + id + ", 'row " + id + "')");
    }

    /** The process id of the slot's replication connection, or -1 while none is active. */
    static int slotPid(String slot) throws SQLException {
        try (Connection c = connect("app"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            if (!r.next()) return -1;
            int pid = r.getInt(1);
            return r.wasNull() ? -1 : pid;
        }
    }

    static void awaitSlotPid(String slot, java.util.function.IntPredicate condition, String what) throws SQLException {
        Instant deadline = Instant.now().plus(APPLY_TIMEOUT);
        int pid;
        while (!condition.test(pid = slotPid(slot))) {
            if (Instant.now().isAfter(deadline)) fail(what + ": slot " + slot + " pid " + pid);
            ConnectRest.sleep(300);
        }
    }

    /** Waits until the topic holds change events for every id in [from, to]. */
    static void awaitRows(String topic, int from, int to) {
        Set<Integer> want = new TreeSet<>();
        for (int i = from; i <= to; i++) want.add(i);
        try (TopicReader reader = new TopicReader(Stack.kafka().getBootstrapServers(), topic)) {
            reader.awaitEvents(events -> ids(events).containsAll(want), CdcScenario.EVENT_TIMEOUT, topic + " rows " + want);
        }
    }

    static Set<Integer> ids(List<Event> events) {
        Set<Integer> ids = new TreeSet<>();
        for (Event e : events) {
            if (e.value() != null && e.after().has("id")) ids.add(e.after().get("id").asInt());
        }
        return ids;
    }
}
