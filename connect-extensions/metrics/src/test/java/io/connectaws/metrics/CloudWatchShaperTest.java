package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CloudWatchShaperTest {
    private static final String WRITES = "kafka_connect_source_task_source_record_write_total";

    private final List<String> lookups = new ArrayList<>();
    private final CloudWatchShaper shaper = new CloudWatchShaper("prod", server -> {
        lookups.add(server);
        return "dbserver1".equals(server) ? "inventory-cdc" : null;
    });

    private static Sample counter(String connector, String task, double v) {
        return new Sample(WRITES, Sample.Type.COUNTER, Map.of("connector", connector, "task", task), v);
    }

    private static Map<String, Double> values(List<Datum> data) {
        Map<String, Double> out = new HashMap<>();
        for (Datum d : data) out.put(d.name() + d.dimensions().values(), d.value());
        return out;
    }

    @Test
    void countersBecomeDeltasAndAResetStartsFromTheNewValue() {
        assertThat(values(shaper.shape(List.of(counter("orders", "0", 40))))).containsEntry(WRITES + "[prod, orders, 0]", 40.0);
        assertThat(values(shaper.shape(List.of(counter("orders", "0", 100))))).containsEntry(WRITES + "[prod, orders, 0]", 60.0);
        assertThat(values(shaper.shape(List.of(counter("orders", "0", 100))))).containsEntry(WRITES + "[prod, orders, 0]", 0.0);
        // the task restarted: its metrics were re-created and count from zero again
        assertThat(values(shaper.shape(List.of(counter("orders", "0", 7))))).containsEntry(WRITES + "[prod, orders, 0]", 7.0);
        // gone for an interval, then back: a new MBean, so its whole value is new
        shaper.shape(List.of());
        assertThat(values(shaper.shape(List.of(counter("orders", "0", 9))))).containsEntry(WRITES + "[prod, orders, 0]", 9.0);
    }

    @Test
    void deltasOverIntervalsAddUpToTheCounter() {
        double total = 0;
        double exported = 0;
        for (int i = 0; i < 50; i++) {
            total += i % 7;
            exported += shaper.shape(List.of(counter("orders", "0", total))).get(0).value();
        }
        assertThat(exported).isEqualTo(total);
    }

    @Test
    void aStateBecomesOneZeroGaugesForRunningFailedPaused() {
        List<Datum> data = shaper.shape(List.of(new Sample("kafka_connect_task_state", Sample.Type.GAUGE,
                Map.of("connector", "orders", "task", "0", "state", "failed"), 1)));
        assertThat(values(data)).containsOnly(
                Map.entry("kafka_connect_task_state_running[prod, orders, 0]", 0.0),
                Map.entry("kafka_connect_task_state_failed[prod, orders, 0]", 1.0),
                Map.entry("kafka_connect_task_state_paused[prod, orders, 0]", 0.0));
        assertThat(data).allSatisfy(d -> assertThat(d.unit()).isEqualTo("None"));
        // unassigned, restarting or stopped: none of the three
        assertThat(values(shaper.shape(List.of(new Sample("kafka_connect_connector_state", Sample.Type.GAUGE,
                Map.of("connector", "orders", "state", "unassigned"), 1))))).containsOnly(
                Map.entry("kafka_connect_connector_state_running[prod, orders]", 0.0),
                Map.entry("kafka_connect_connector_state_failed[prod, orders]", 0.0),
                Map.entry("kafka_connect_connector_state_paused[prod, orders]", 0.0));
    }

    @Test
    void debeziumServerNamesResolveToTheConnectorAndUnknownOnesStayAsTheyAre() {
        List<Datum> data = shaper.shape(List.of(
                new Sample("debezium_streaming_milliseconds_behind_source", Sample.Type.GAUGE,
                        Map.of("server", "dbserver1", "plugin", "postgres"), 250),
                new Sample("debezium_streaming_milliseconds_behind_source", Sample.Type.GAUGE,
                        Map.of("server", "legacy", "plugin", "mariadb"), 10)));
        assertThat(values(data)).containsOnly(
                Map.entry("debezium_streaming_milliseconds_behind_source[prod, inventory-cdc]", 250.0),
                Map.entry("debezium_streaming_milliseconds_behind_source[prod, legacy]", 10.0));
        assertThat(data.get(0).unit()).isEqualTo("Milliseconds");
        assertThat(lookups).containsExactly("dbserver1", "legacy");
    }

    @Test
    void otherLabelsAreSummedAwayAndUnusableValuesLeftOut() {
        List<Datum> data = shaper.shape(List.of(
                new Sample("debezium_snapshot_rows_scanned_total", Sample.Type.COUNTER,
                        Map.of("server", "dbserver1", "table", "public.a"), 10),
                new Sample("debezium_snapshot_rows_scanned_total", Sample.Type.COUNTER,
                        Map.of("server", "dbserver1", "table", "public.b"), 5),
                new Sample("kafka_connect_connector_task_offset_commit_avg_time_ms", Sample.Type.GAUGE,
                        Map.of("connector", "orders", "task", "0"), Double.NaN),
                new Sample("kafka_connect_connector_task_batch_size_max", Sample.Type.GAUGE,
                        Map.of("connector", "orders", "task", "0"), Double.NEGATIVE_INFINITY),
                new Sample("x".repeat(256), Sample.Type.GAUGE, Map.of(), 1),
                new Sample("huge", Sample.Type.GAUGE, Map.of(), 1e300),
                new Sample("tiny", Sample.Type.GAUGE, Map.of(), 1e-200)));
        assertThat(values(data)).containsOnly(
                Map.entry("debezium_snapshot_rows_scanned_total[prod, inventory-cdc]", 15.0),
                Map.entry("tiny[prod]", 0.0));
        // the next interval: each table's counter makes its own delta before the sum
        List<Datum> next = shaper.shape(List.of(
                new Sample("debezium_snapshot_rows_scanned_total", Sample.Type.COUNTER,
                        Map.of("server", "dbserver1", "table", "public.a"), 12),
                new Sample("debezium_snapshot_rows_scanned_total", Sample.Type.COUNTER,
                        Map.of("server", "dbserver1", "table", "public.b"), 5)));
        assertThat(next.get(0).value()).isEqualTo(2.0);
    }

    @Test
    void unitsFollowTheNameSuffix() {
        assertThat(CloudWatchShaper.unit("a_total", Sample.Type.COUNTER)).isEqualTo("Count");
        assertThat(CloudWatchShaper.unit("a_avg_time_ms", Sample.Type.GAUGE)).isEqualTo("Milliseconds");
        assertThat(CloudWatchShaper.unit("a_duration_seconds", Sample.Type.GAUGE)).isEqualTo("Seconds");
        assertThat(CloudWatchShaper.unit("a_queue_bytes", Sample.Type.GAUGE)).isEqualTo("Bytes");
        assertThat(CloudWatchShaper.unit("a_outgoing_bytes_rate", Sample.Type.GAUGE)).isEqualTo("Bytes/Second");
        assertThat(CloudWatchShaper.unit("a_poll_rate", Sample.Type.GAUGE)).isEqualTo("Count/Second");
        assertThat(CloudWatchShaper.unit("a_success_percent", Sample.Type.GAUGE)).isEqualTo("Percent");
        assertThat(CloudWatchShaper.unit("a_task_count", Sample.Type.GAUGE)).isEqualTo("Count");
        assertThat(CloudWatchShaper.unit("a_running_ratio", Sample.Type.GAUGE)).isEqualTo("None");
        assertThat(CloudWatchShaper.unit("a_connected", Sample.Type.UNTYPED)).isEqualTo("None");
    }
}
