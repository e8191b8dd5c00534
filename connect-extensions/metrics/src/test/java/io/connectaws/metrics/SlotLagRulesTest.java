package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules against MBeans shaped as the source-database module's {@code SlotLagCollector} registers them
 * ({@code io.connectaws:type=replication-slot,connector="NAME"}, the attributes of {@code ReplicationSlotMBean}, whose
 * own test holds that list): retained WAL and active per connector, nothing else, and no point for a slot without a value.
 */
class SlotLagRulesTest {

    /** The attributes of io.connectaws.sourcedb.ReplicationSlotMBean. */
    public interface SlotMBean {
        String getSlotName();

        Long getRetainedWalBytes();

        Long getConfirmedFlushLagBytes();

        Integer getActive();

        String getWalStatus();

        Long getSafeWalSizeBytes();

        Long getSecondsSinceLastReading();
    }

    record Slot(Long retained, Integer active) implements SlotMBean {
        public String getSlotName() { return "debezium"; }
        public Long getRetainedWalBytes() { return retained; }
        public Long getConfirmedFlushLagBytes() { return retained == null ? null : retained / 2; }
        public Integer getActive() { return active; }
        public String getWalStatus() { return "reserved"; }
        public Long getSafeWalSizeBytes() { return 1L << 30; }
        public Long getSecondsSinceLastReading() { return retained == null ? null : 3L; }
    }

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new java.util.ArrayList<>();

    private void register(String connector, Slot slot) throws Exception {
        ObjectName name = new ObjectName("io.connectaws:type=replication-slot,connector=" + ObjectName.quote(connector));
        server.registerMBean(new StandardMBean(slot, SlotMBean.class), name);
        registered.add(name);
    }

    @AfterEach
    void unregister() throws Exception {
        for (ObjectName name : registered) {
            server.unregisterMBean(name);
        }
    }

    /** Two slot MBeans, one read and one without a value, for {@link RulesCoverageTest}; closing unregisters them. */
    static AutoCloseable registerSlots() throws Exception {
        SlotLagRulesTest t = new SlotLagRulesTest();
        t.register("inventory-source", new Slot(1_048_576L, 1));
        t.register("orders:sink", new Slot(null, null));
        return t::unregister;
    }

    @Test
    void retainedWalAndActivePerConnectorAndNothingForASlotWithoutAValue() throws Exception {
        register("orders", new Slot(5_242_880L, 1));
        register("inventory:eu,1", new Slot(42L, 0));
        register("unreachable", new Slot(null, null));
        String text = Files.readString(RulesCoverageTest.RULES);
        List<Sample> samples = new JmxSampler(MetricsRules.parse(RulesCoverageTest.RULES, text)).sample().stream()
                .filter(s -> s.name().startsWith("connect_aws_replication_slot")).toList();

        assertThat(samples).containsExactlyInAnyOrder(
                new Sample("connect_aws_replication_slot_retained_wal_bytes", Sample.Type.GAUGE, Map.of("connector", "orders"), 5_242_880),
                new Sample("connect_aws_replication_slot_active", Sample.Type.GAUGE, Map.of("connector", "orders"), 1),
                new Sample("connect_aws_replication_slot_retained_wal_bytes", Sample.Type.GAUGE, Map.of("connector", "inventory:eu,1"), 42),
                new Sample("connect_aws_replication_slot_active", Sample.Type.GAUGE, Map.of("connector", "inventory:eu,1"), 0));

        List<Datum> data = new CloudWatchShaper("c", x -> null).shape(samples);
        assertThat(data).filteredOn(d -> d.name().equals("connect_aws_replication_slot_retained_wal_bytes"))
                .extracting(Datum::unit, Datum::dimensions)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Bytes", Map.of("Cluster", "c", "Connector", "orders")),
                        org.assertj.core.groups.Tuple.tuple("Bytes", Map.of("Cluster", "c", "Connector", "inventory:eu,1")));
    }
}
