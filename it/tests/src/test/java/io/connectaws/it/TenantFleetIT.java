package io.connectaws.it;

import static io.connectaws.it.DeclarationFiles.outcome;
import static io.connectaws.it.DeclarationFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A tenant fleet from one declaration: a template and a CSV of 200 tenants, one PostgreSQL database, role and Secrets
 * Manager secret each, on one worker. Every tenant's connector and task reach RUNNING with its snapshot in Kafka, the
 * leader's GET /declarations lists 200 connectors applied and no problem, and later rounds find all 200 as declared
 * (each config written exactly once: a reconciler that saw drift would rewrite, and so restart, the whole fleet).
 */
class TenantFleetIT {
    static final int TENANTS = 200;
    static final String GROUP = "fleet";
    static final String PG_HOST = "fleet-postgres";
    static final int ROWS = 3;
    /** 200 Debezium connectors and tasks take about 1.2 GiB of RSS (bench/results): more than ConnectWorker's limit. */
    static final long WORKER_MEMORY = 3L * 1024 * 1024 * 1024;
    static final Duration ALL_RUNNING_TIMEOUT = Duration.ofMinutes(8);

    static PostgreSQLContainer postgres;
    static LocalAwsContainer aws;
    static ConnectWorker worker;
    static DeclarationFiles files;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = new PostgreSQLContainer(Images.postgres())
                .withNetwork(Stack.network())
                .withNetworkAliases(PG_HOST)
                .withDatabaseName("fleet")
                .withUsername("admin")
                .withPassword("admin-pw")
                .withSharedMemorySize(512L * 1024 * 1024)
                .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "wal_level=logical",
                        "-c", "max_replication_slots=250", "-c", "max_wal_senders=250", "-c", "max_connections=1000");
        aws = new LocalAwsContainer();
        Startables.deepStart(postgres, aws).join();

        long t0 = System.nanoTime();
        try (SecretsManagerClient secrets = aws.secretsManager()) {
            for (String tenant : tenants()) {
                secrets.createSecret(r -> r.name("tenants/" + tenant).secretString("{\"password\":\"" + password(tenant) + "\"}"));
            }
        }
        // one template database (table, rows, publication, read grant), then 200 copies of it and 200 roles
        try (Connection c = connect("fleet"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE fleet_template");
        }
        try (Connection c = connect("fleet_template"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.accounts (id INT PRIMARY KEY, note TEXT)");
            s.execute("INSERT INTO public.accounts SELECT g, 'account ' || g FROM generate_series(1, " + ROWS + ") g");
            s.execute("GRANT SELECT ON public.accounts TO PUBLIC");
            s.execute("CREATE PUBLICATION fleet_pub FOR TABLE public.accounts");
        }
        try (Connection c = connect("fleet"); Statement s = c.createStatement()) {
            for (String tenant : tenants()) {
                s.execute("CREATE ROLE cdc_" + tenant + " WITH LOGIN REPLICATION PASSWORD '" + password(tenant) + "'");
                s.execute("CREATE DATABASE " + tenant + " TEMPLATE fleet_template STRATEGY FILE_COPY");
            }
        }
        System.out.printf("TenantFleetIT: %d databases, roles and secrets in %.1f s%n", TENANTS, (System.nanoTime() - t0) / 1e9);

        files = new DeclarationFiles("fleet");
        files.write("fleet.yaml", "template:\n  id: fleet\n  name: \"fleet-{{tenant}}\"\n  config:\n"
                + yaml(CdcScenario.withJsonAndTopicCreation(Map.ofEntries(
                        Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                        Map.entry("database.hostname", PG_HOST),
                        Map.entry("database.port", "5432"),
                        Map.entry("database.user", "cdc_{{tenant}}"),
                        Map.entry("database.password", "${secretsmanager:tenants/{{tenant}}:password}"),
                        Map.entry("database.dbname", "{{tenant}}"),
                        Map.entry("plugin.name", "pgoutput"),
                        Map.entry("slot.name", "slot_{{tenant}}"),
                        Map.entry("publication.name", "fleet_pub"),
                        Map.entry("publication.autocreate.mode", "disabled"),
                        Map.entry("topic.prefix", "{{tenant}}"),
                        Map.entry("table.include.list", "public.accounts"))), 4)
                + "tenants: tenants.csv\n");
        files.write("tenants.csv", "# one row per tenant\ntenant\n" + String.join("\n", tenants()) + "\n");

        Map<String, String> env = new HashMap<>(ConnectWorker.defaults(GROUP));
        env.putAll(LocalAwsContainer.workerEnvironment());
        env.put("CONNECT_DECLARATIONS_INTERVAL_MS", "5000");
        worker = files.mountOn(new ConnectWorker(GROUP + "-1", env).alsoOn(aws.taskNetwork()));
        // applied after ConnectWorker's own modifier: the same read-only root and tmpfs, a larger memory limit
        worker.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(WORKER_MEMORY));
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, aws, postgres);
        if (files != null) files.close();
    }

    static List<String> tenants() {
        List<String> tenants = new ArrayList<>();
        for (int i = 1; i <= TENANTS; i++) tenants.add(String.format("t%03d", i));
        return tenants;
    }

    static String password(String tenant) {
        return "pw-" + tenant + "-fleet-8e21";
    }

    static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(5432) + "/" + db, "admin", "admin-pw");
    }

    @Test
    void twoHundredTenantsOfOneTemplateRunOnOneWorker() throws Exception {
        long started = System.nanoTime();
        worker.start();
        ConnectRest rest = worker.rest();
        assertThat(worker.getDockerClient().inspectContainerCmd(worker.getContainerId()).exec().getHostConfig().getMemory())
                .isEqualTo(WORKER_MEMORY);

        // every connector and its task RUNNING (a FAILED task fails the test at once, with its trace)
        Instant deadline = Instant.now().plus(ALL_RUNNING_TIMEOUT);
        int running = 0;
        while ((running = runningTenants(rest)) < TENANTS) {
            JsonNode round = DeclarationFiles.report(rest);
            if (round != null && (!round.path("problems").isEmpty() || round.path("connectors").findValuesAsText("outcome")
                    .contains("failed"))) {
                fail("GET /declarations reports a refused tenant: " + round);
            }
            if (Instant.now().isAfter(deadline)) fail("only " + running + " of " + TENANTS + " tenants RUNNING within "
                    + ALL_RUNNING_TIMEOUT + "; GET /declarations: " + round);
            ConnectRest.sleep(1000);
        }
        double allRunning = (System.nanoTime() - started) / 1e9;

        // every snapshot in Kafka
        List<String> topics = tenants().stream().map(t -> t + ".public.accounts").toList();
        awaitTopicEnds(topics, ROWS);
        System.out.printf("TenantFleetIT: worker start to %d tenants RUNNING in %.1f s, snapshots in Kafka after %.1f s%n",
                TENANTS, allRunning, (System.nanoTime() - started) / 1e9);

        JsonNode report = rest.await("/declarations", r -> r.status() == 200 && r.body().path("connectors").size() == TENANTS
                && tenants().stream().allMatch(t -> Set.of("applied", "unchanged").contains(outcome(r.body(), "fleet-" + t))),
                Duration.ofSeconds(60), TENANTS + " applied").body();
        assertThat(report.path("role").asText()).isEqualTo("leader");
        assertThat(report.path("complete").asBoolean()).isTrue();
        assertThat(report.path("problems")).isEmpty();
        assertThat(DeclarationFiles.entry(report, "fleet-t200").path("origin").asText())
                .contains("tenant 't200'").contains(DeclarationFiles.id("tenants.csv") + " line");

        // steady state: the next rounds find every connector as declared and write nothing
        rest.await("/declarations", r -> r.status() == 200 && tenants().stream()
                .allMatch(t -> "unchanged".equals(outcome(r.body(), "fleet-" + t))), Duration.ofSeconds(60), "all unchanged");
        Map<String, Long> writes = DeclarationFiles.configTopicKeys(GROUP + "-configs").stream()
                .filter(k -> k.startsWith("connector-")).collect(Collectors.groupingBy(Function.identity(), TreeMap::new,
                        Collectors.counting()));
        assertThat(writes).hasSize(TENANTS);
        assertThat(writes.values()).as("each tenant's config written once").containsOnly(1L);
        assertThat(runningTenants(rest)).isEqualTo(TENANTS);

        String logs = worker.getLogs();
        assertThat(logs).doesNotContain(" not applied (").doesNotContain("java.lang.OutOfMemoryError");
        for (String tenant : tenants()) {
            assertThat(logs).doesNotContain(password(tenant));
        }
    }

    /** Tenants whose connector and task are RUNNING; fails on a FAILED connector or task. */
    static int runningTenants(ConnectRest rest) {
        ConnectRest.Reply all = rest.get("/connectors?expand=status");
        if (all.status() != 200) return 0;
        int running = 0;
        for (var e : all.body().properties()) {
            JsonNode status = e.getValue().path("status");
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                fail("connector " + e.getKey() + " FAILED: " + status.path("connector").path("trace").asText());
            }
            boolean ok = "RUNNING".equals(status.path("connector").path("state").asText()) && status.path("tasks").size() == 1;
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    fail("task of " + e.getKey() + " FAILED: " + task.path("trace").asText());
                }
                ok &= "RUNNING".equals(task.path("state").asText());
            }
            if (ok && e.getKey().startsWith("fleet-")) running++;
        }
        return running;
    }

    /** Waits until every topic exists and holds at least {@code records} records. */
    static void awaitTopicEnds(List<String> topics, long records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers()))) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (true) {
                Set<String> existing = admin.listTopics().names().get();
                List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
                long short_ = 0;
                if (missing.isEmpty()) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    topics.forEach(t -> latest.put(new TopicPartition(t, 0), OffsetSpec.latest()));
                    short_ = admin.listOffsets(latest).all().get().values().stream().filter(o -> o.offset() < records).count();
                    if (short_ == 0) return;
                }
                if (Instant.now().isAfter(deadline)) {
                    fail(missing.size() + " topics missing (e.g. " + missing.stream().limit(3).toList() + "), " + short_
                            + " with fewer than " + records + " records");
                }
                ConnectRest.sleep(1000);
            }
        }
    }
}
