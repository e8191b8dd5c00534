package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A quiet database next to a busy one in the same PostgreSQL instance, one worker with the image's defaults and a
 * connector on the quiet database only: the busy database's WAL is not held back by the quiet connector's slot (the
 * heartbeat's logical decoding message lets the slot advance), and the slot lag collector reports the slot through the
 * worker's Prometheus endpoint.
 *
 * <p>Measured by hand before (PostgreSQL 17, Debezium 3.6.3, the busy database writing ~110 kB/s, 285 s): without a
 * heartbeat and with heartbeat.interval.ms=10000 alone, the quiet slot kept all 32.0 MB written; with the image's
 * default (heartbeat plus the pg_logical_emit_message action query) 2.6-5.3 MB, at most 48 s of the busy database's
 * WAL. A slot is confirmed at Connect's offset commit (offset.flush.interval.ms, 60 s), so the bound asserted here is
 * 80 s of the measured write rate, and at the end the slot must keep less than half of what was written. First run of
 * this test (busy database at 140 kB/s for 100 s, 14.0 MB written): the quiet slot's retained WAL rose to 3.5, 7.1 and
 * 7.1 MB and fell back to 3.4-3.7 MB each time the connector confirmed (every ~30 s), 4.7 MB at the end; bound 11.2 MB.
 * With heartbeat.interval.ms=0 it kept everything written and the test fails.
 */
class SlotLagIT {
    static final String DB_HOST = "slotlag-pg";
    static final String CONNECTOR = "quiet-orders";
    static final int PROMETHEUS_PORT = 9404;
    static final Duration BUSY = Duration.ofSeconds(100);

    static PostgreSQLContainer postgres;
    static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        Stack.kafka();
        postgres = PostgresCdcIT.newPostgres().withNetworkAliases(DB_HOST);
        postgres.start();
        try (Connection db = connect("inventory"); Statement s = db.createStatement()) {
            s.execute("CREATE DATABASE quiet");
            s.execute("CREATE TABLE public.busy_load (id BIGSERIAL PRIMARY KEY, note TEXT)");
        }
        try (Connection db = connect("quiet"); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE public.orders (id INT PRIMARY KEY, note TEXT)");
            s.execute("INSERT INTO public.orders VALUES (1, 'one')");
        }
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker, postgres);
    }

    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl().replace("/inventory", "/" + database), "cdc", "cdc-secret");
    }

    @Test
    void aQuietDatabasesSlotDoesNotHoldTheBusyNeighboursWalAndItsLagIsExported() throws Exception {
        worker = new ConnectWorker("slotlag");
        worker.withEnv("CONNECT_AWS_PROMETHEUS_PORT", String.valueOf(PROMETHEUS_PORT)).addExposedPort(PROMETHEUS_PORT);
        worker.start();
        ConnectRest rest = worker.rest();
        // the image's PostgreSQL defaults: no plugin, publication mode or heartbeat setting here
        Map<String, String> config = Map.of(
                "connector.class", "io.debezium.connector.postgresql.PostgresConnector",
                "database.hostname", DB_HOST, "database.port", "5432", "database.user", "cdc",
                "database.password", "cdc-secret", "database.dbname", "quiet", "slot.name", "quiet_slot",
                "topic.prefix", "quiet", "table.include.list", "public.orders");
        assertThat(rest.createConnector(CONNECTOR, config).status()).isEqualTo(201);
        rest.awaitRunning(CONNECTOR, Duration.ofSeconds(90));
        awaitSlotActive();

        List<long[]> samples = new ArrayList<>(); // seconds since start, WAL written since start, slot's retained WAL
        long startLsn;
        try (Connection busy = connect("inventory"); Connection quiet = connect("quiet")) {
            startLsn = lsn(quiet);
            long started = System.nanoTime();
            long nextSample = 0;
            try (PreparedStatement insert = busy.prepareStatement(
                    "INSERT INTO public.busy_load (note) SELECT repeat('x', 200) FROM generate_series(1, 100)")) {
                while (System.nanoTime() - started < BUSY.toNanos()) {
                    insert.executeUpdate(); // ~30 kB of WAL, about 4 times a second
                    long elapsed = (System.nanoTime() - started) / 1_000_000;
                    if (elapsed >= nextSample) {
                        samples.add(new long[] {elapsed / 1000, lsn(quiet) - startLsn, retained(quiet)});
                        nextSample += 5000;
                    }
                    Thread.sleep(250);
                }
            }
            samples.add(new long[] {BUSY.toSeconds(), lsn(quiet) - startLsn, retained(quiet)});
        }
        long[] last = samples.get(samples.size() - 1);
        double bytesPerSecond = (double) last[1] / last[0];
        long bound = (long) (80 * bytesPerSecond);
        StringBuilder figures = new StringBuilder();
        samples.forEach(s -> figures.append(String.format("%n  t=%3ds written=%,d retained=%,d", s[0], s[1], s[2])));
        System.out.printf("SlotLagIT: busy WAL %.0f B/s, bound %,d B%s%n", bytesPerSecond, bound, figures);

        assertThat(last[1]).as("the busy database wrote WAL").isGreaterThan(5_000_000L);
        assertThat(samples).as("the quiet slot's retained WAL stays under 80 s of the busy writes" + figures)
                .allSatisfy(s -> assertThat(s[2]).isLessThan(bound));
        assertThat(last[2]).as("at the end the quiet slot keeps less than half of what the busy database wrote" + figures)
                .isLessThan(last[1] / 2);

        // the collector's reading, through the shipped rules and the Prometheus agent (read every 30 s)
        String retainedSeries = "connect_aws_replication_slot_retained_wal_bytes{connector=\"" + CONNECTOR + "\"}";
        String scrape = awaitScrape(retainedSeries);
        assertThat(scrape).contains("connect_aws_replication_slot_active{connector=\"" + CONNECTOR + "\"} 1.0");
        Matcher m = Pattern.compile(Pattern.quote(retainedSeries) + " ([0-9.E]+)").matcher(scrape);
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("the exported retained WAL").isPositive().isLessThan(bound);
        assertThat(scrape).doesNotContain("cdc-secret");
        assertThat(worker.getLogs()).doesNotContain("cdc-secret");
    }

    private static long lsn(Connection db) throws SQLException {
        return single(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
    }

    private static long retained(Connection db) throws SQLException {
        return single(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint FROM pg_replication_slots "
                + "WHERE slot_name = 'quiet_slot'");
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private static void awaitSlotActive() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection quiet = connect("quiet")) {
            while (System.nanoTime() < deadline) {
                try (Statement s = quiet.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT active FROM pg_replication_slots WHERE slot_name = 'quiet_slot'")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("slot quiet_slot not active within 60 s");
    }

    private static String awaitScrape(String series) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://" + worker.getHost() + ":" + worker.getMappedPort(PROMETHEUS_PORT) + "/metrics");
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(series)) {
                return body;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(series + " not served within 45 s; slot lines: "
                + body.lines().filter(l -> l.contains("replication_slot")).toList());
    }
}
