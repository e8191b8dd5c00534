package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlotLagCollectorTest {

    static final String PG = "io.debezium.connector.postgresql.PostgresConnector";
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final FakeHost host = new FakeHost();
    private final Map<String, Object> readings = new HashMap<>();
    private final List<String> read = new ArrayList<>();
    private final AtomicInteger resolved = new AtomicInteger();
    private final SlotLagCollector collector = new SlotLagCollector(host, (c, slot) -> {
        read.add(c.name() + "/" + slot);
        Object r = readings.get(c.name());
        if (r instanceof SQLException e) {
            throw e;
        }
        return (SlotReading) r;
    }, server, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void close() {
        collector.close();
    }

    static Map<String, String> postgres(String... more) {
        Map<String, String> c = new HashMap<>(Map.of("connector.class", PG, "database.hostname", "db.example",
                "database.dbname", "shop", "database.user", "cdc", "database.password", "${secretsmanager:db:password}"));
        for (int i = 0; i < more.length; i += 2) {
            c.put(more[i], more[i + 1]);
        }
        return c;
    }

    private Object attribute(String connector, String name) throws Exception {
        return server.getAttribute(SlotLagCollector.objectName(connector), name);
    }

    @Test
    void oneMBeanPerLocalPostgresConnectorWithTheSlotsFiguresGoneWhenTheConnectorLeaves() throws Exception {
        host.put("orders", postgres("slot.name", "orders_slot"));
        host.put("inventory", postgres());
        host.put("sink", Map.of("connector.class", "com.example.Sink"));
        host.put("elsewhere", postgres());
        host.local.remove("elsewhere"); // its Connector instance runs on another worker
        readings.put("orders", new SlotReading(5_000_000, 1_000, true, "reserved", null));
        readings.put("inventory", new SlotReading(42, 0, false, "extended", 1L << 30));

        collector.round();
        assertThat(server.queryNames(new ObjectName(SlotLagCollector.TYPE + ",*"), null)).containsExactlyInAnyOrder(
                new ObjectName("io.connectaws:type=replication-slot,connector=\"orders\""),
                new ObjectName("io.connectaws:type=replication-slot,connector=\"inventory\""));
        assertThat(read).containsExactlyInAnyOrder("orders/orders_slot", "inventory/debezium");
        assertThat(attribute("orders", "RetainedWalBytes")).isEqualTo(5_000_000L);
        assertThat(attribute("orders", "ConfirmedFlushLagBytes")).isEqualTo(1_000L);
        assertThat(attribute("orders", "Active")).isEqualTo(1);
        assertThat(attribute("orders", "SlotName")).isEqualTo("orders_slot");
        assertThat(attribute("orders", "SafeWalSizeBytes")).isNull();
        assertThat(attribute("inventory", "Active")).isEqualTo(0);
        assertThat(attribute("inventory", "WalStatus")).isEqualTo("extended");
        assertThat(attribute("inventory", "SafeWalSizeBytes")).isEqualTo(1L << 30);
        assertThat(attribute("inventory", "SecondsSinceLastReading")).isEqualTo(0L);

        host.local.remove("orders");      // moved to another worker by a rebalance
        host.configs.remove("inventory"); // deleted (the worker may list it one round longer)
        collector.round();
        assertThat(server.queryNames(new ObjectName(SlotLagCollector.TYPE + ",*"), null)).isEmpty();

        host.put("orders", postgres("slot.name", "orders_slot"));
        collector.round();
        assertThat(server.isRegistered(SlotLagCollector.objectName("orders"))).isTrue();
        collector.close();
        assertThat(server.queryNames(new ObjectName("io.connectaws:*"), null)).as("close() unregisters").isEmpty();
        collector.round();
        assertThat(server.queryNames(new ObjectName("io.connectaws:*"), null)).as("no round after close()").isEmpty();
    }

    @Test
    void anUnreachableDatabaseHasNoValueAndOneLogLinePerChangeNotPerRound() throws Exception {
        host.put("orders", postgres());
        readings.put("orders", new SlotReading(100, 10, true, "reserved", null));
        collector.round();
        assertThat(collector.state("orders")).isEqualTo(SlotLagCollector.State.READ);
        int lines = collector.logLines;

        readings.put("orders", new SQLException("Connection to db.example:5432 refused", "08001"));
        for (int i = 0; i < 5; i++) {
            collector.round();
        }
        assertThat(collector.state("orders")).isEqualTo(SlotLagCollector.State.UNREACHABLE);
        assertThat(collector.logLines).isEqualTo(lines + 1);
        assertThat(attribute("orders", "RetainedWalBytes")).as("no stale value").isNull();
        assertThat(attribute("orders", "Active")).isNull();

        readings.put("orders", null); // the database is back, the slot is not there (yet)
        collector.round();
        collector.round();
        assertThat(collector.state("orders")).isEqualTo(SlotLagCollector.State.NO_SLOT);
        assertThat(collector.logLines).isEqualTo(lines + 2);
        assertThat(attribute("orders", "RetainedWalBytes")).isNull();

        readings.put("orders", new SlotReading(7, 0, true, "reserved", null));
        collector.round();
        collector.round();
        assertThat(collector.logLines).isEqualTo(lines + 3);
        assertThat(attribute("orders", "RetainedWalBytes")).isEqualTo(7L);

        readings.put("orders", new IllegalStateException("driver bug"));
        collector.round(); // a runtime exception from the driver is a failed reading, never thrown
        assertThat(collector.state("orders")).isEqualTo(SlotLagCollector.State.UNREACHABLE);
    }

    @Test
    void theConfigIsResolvedWhenItChangesOrAfterAFailureNotEveryRound() {
        host.put("orders", postgres());
        readings.put("orders", new SlotReading(1, 0, true, null, null));
        collector.round();
        collector.round();
        collector.round();
        assertThat(resolved.get()).isEqualTo(1);
        host.put("orders", postgres("slot.name", "renamed"));
        collector.round();
        assertThat(resolved.get()).isEqualTo(2);
        assertThat(read).last().isEqualTo("orders/renamed");
        readings.put("orders", new SQLException("password authentication failed for user \"cdc\"", "28P01"));
        collector.round();
        assertThat(resolved.get()).isEqualTo(2);
        collector.round(); // the round after a failure resolves again: a rotated secret is picked up
        assertThat(resolved.get()).isEqualTo(3);

        host.failResolve = true;
        collector.round();
        assertThat(collector.state("orders")).isEqualTo(SlotLagCollector.State.UNREACHABLE);
    }

    @Test
    void aHostThatThrowsNeverReachesTheHerder() {
        host.put("orders", postgres());
        host.failList = true;
        collector.round();
        host.failList = false;
        host.failConfig = true;
        collector.round();
        assertThat(collector.state("orders")).isNull();
    }

    @Test
    void connectorClassAliasesAreResolvedByTheHost() throws Exception {
        host.put("aliased", postgres("connector.class", "PostgresConnector"));
        readings.put("aliased", new SlotReading(3, 0, true, "reserved", null));
        collector.round();
        assertThat(attribute("aliased", "RetainedWalBytes")).isEqualTo(3L);
    }

    @Test
    void aPasswordEchoedByADriverIsMaskedAndOnlyTheFirstLineIsKept() {
        Candidate c = new Candidate("orders", postgres("database.password", "s3cret!"), null);
        String said = SlotLagCollector.describe(new SQLException("bad login for s3cret!\n  at detail", "28P01"), c);
        assertThat(said).isEqualTo("SQLException [28P01] bad login for ****");
        assertThat(SlotLagCollector.objectName("a,b=\"c\"").getKeyProperty("connector")).isEqualTo(ObjectName.quote("a,b=\"c\""));
    }

    @Test
    void theQueryReadsTheSlotByNameAndTheReceivePositionOnAStandby() {
        assertThat(SlotLagCollector.QUERY)
                .contains("pg_wal_lsn_diff(w.lsn, s.restart_lsn) AS connect_aws_retained")
                .contains("pg_wal_lsn_diff(w.lsn, s.confirmed_flush_lsn) AS connect_aws_flush_lag")
                .contains("CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END")
                .endsWith("WHERE s.slot_name = ?");
        Candidate c = new Candidate("orders", postgres("database.port", "6543", "database.sslmode", "require"), null);
        var p = SlotLagCollector.properties(c);
        assertThat(PostgresCheck.url(c)).isEqualTo("jdbc:postgresql://db.example:6543/shop");
        assertThat(p.getProperty("sslmode")).isEqualTo("require");
        assertThat(p.getProperty("ApplicationName")).isEqualTo("connect-aws-slot-lag");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("5");
    }

    @Test
    void theMBeanInterfaceIsWhatTheRulesExport() {
        Set<String> getters = new LinkedHashSet<>();
        for (var m : ReplicationSlotMBean.class.getMethods()) {
            getters.add(m.getName().substring(3));
        }
        // config/metrics/metrics-rules.yml exports RetainedWalBytes and Active; connect-extensions/metrics
        // SlotLagRulesTest reads an MBean of this shape
        assertThat(getters).containsExactlyInAnyOrder("SlotName", "RetainedWalBytes", "ConfirmedFlushLagBytes", "Active",
                "WalStatus", "SafeWalSizeBytes", "SecondsSinceLastReading");
    }

    final class FakeHost implements SlotLagCollector.Host {
        final Set<String> local = new LinkedHashSet<>();
        final Map<String, Map<String, String>> configs = new HashMap<>();
        boolean failList;
        boolean failConfig;
        boolean failResolve;

        void put(String name, Map<String, String> config) {
            local.add(name);
            configs.put(name, config);
        }

        @Override
        public Collection<String> localConnectors() {
            if (failList) {
                throw new IllegalStateException("worker stopping");
            }
            return local;
        }

        @Override
        public Map<String, String> rawConfig(String connector) {
            if (failConfig) {
                throw new IllegalStateException("config topic not read yet");
            }
            return configs.get(connector);
        }

        @Override
        public Map<String, String> resolve(Map<String, String> raw) {
            if (failResolve) {
                throw new IllegalStateException("secretsmanager unreachable");
            }
            resolved.incrementAndGet();
            Map<String, String> r = new HashMap<>(raw);
            r.put("database.password", "resolved-secret");
            return r;
        }

        @Override
        public String connectorClass(String value) {
            return value.equals("PostgresConnector") ? PG : value;
        }
    }
}
