package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.connectaws.it.aws.CloudWatchCall;
import io.connectaws.it.aws.CloudWatchDatum;
import io.connectaws.it.aws.LocalAws;

/** The api sink with the real SDK client against a local endpoint speaking CloudWatch's wire protocol. */
class CloudWatchApiSinkTest {
    private static final String REGION = "eu-west-1";
    private static final long T0 = Instant.now().minusSeconds(600).toEpochMilli() / 1000 * 1000;
    private static LocalAws aws;

    @BeforeAll
    static void startLocalAws() {
        aws = LocalAws.start(0, REGION);
        // credentials the way ECS serves a task role
        System.setProperty("aws.containerCredentialsFullUri", "http://localhost:" + aws.port() + aws.containerCredentialsPath());
    }

    @AfterAll
    static void stopLocalAws() {
        System.clearProperty("aws.containerCredentialsFullUri");
        aws.close();
    }

    @BeforeEach
    void fresh() {
        aws.clearMetricData();
        aws.throttleNext(0);
    }

    private static CloudWatchApiSink sink(int maxAttempts) {
        return new CloudWatchApiSink(CloudWatchApiSink.client(REGION, aws.endpoint().toString(), maxAttempts), "KafkaConnect",
                new DimensionPlan(Set.of("connector", "cluster"), Map.of("Environment", "test")));
    }

    /** {@code connectors} x 2 tasks x {@code metrics} task-level points. */
    private static List<Datum> taskPoints(int connectors, int metrics, double base) {
        List<Datum> data = new ArrayList<>();
        for (int c = 0; c < connectors; c++) {
            for (int t = 0; t < 2; t++) {
                Map<String, String> dims = new LinkedHashMap<>();
                dims.put("Cluster", "prod");
                dims.put("Connector", "connector-" + c);
                dims.put("Task", "" + t);
                for (int m = 0; m < metrics; m++) {
                    data.add(new Datum("metric_" + m + "_total", "Count", dims, base + t));
                }
            }
        }
        return data;
    }

    @Test
    void batchesOfAtMostAThousandCompressedWithRollupsAsStatisticSets() {
        try (CloudWatchApiSink sink = sink(3)) {
            sink.publish(taskPoints(50, 10, 5), T0);
        }
        // 1000 task points, 500 connector rollups (2 tasks each), 10 cluster rollups (100 tasks each)
        List<CloudWatchCall> calls = aws.putMetricDataCalls();
        assertThat(calls).extracting(CloudWatchCall::datums).containsExactly(1000, 510);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.compressed()).as("gzip request compression").isTrue();
        });
        List<CloudWatchDatum> data = aws.metricData();
        assertThat(data).hasSize(1510).allSatisfy(d -> {
            assertThat(d.namespace()).isEqualTo("KafkaConnect");
            assertThat(d.unit()).isEqualTo("Count");
            assertThat(d.timestamp()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(d.dimensions()).containsEntry("Environment", "test").containsEntry("Cluster", "prod");
        });
        CloudWatchDatum task = data.stream().filter(d -> d.dimensions().size() == 4 && d.metricName().equals("metric_3_total")
                && d.dimensions().get("Connector").equals("connector-7") && d.dimensions().get("Task").equals("1")).findFirst().orElseThrow();
        assertThat(task.value()).isEqualTo(6.0);
        CloudWatchDatum connector = data.stream().filter(d -> d.dimensions().size() == 3 && d.metricName().equals("metric_3_total")
                && "connector-7".equals(d.dimensions().get("Connector"))).findFirst().orElseThrow();
        assertThat(connector.value()).isNull();
        assertThat(connector.statisticValues().sampleCount()).isEqualTo(2.0);
        assertThat(connector.statisticValues().sum()).isEqualTo(11.0);
        assertThat(connector.statisticValues().minimum()).isEqualTo(5.0);
        assertThat(connector.statisticValues().maximum()).isEqualTo(6.0);
        CloudWatchDatum cluster = data.stream().filter(d -> d.dimensions().size() == 2 && d.metricName().equals("metric_3_total"))
                .findFirst().orElseThrow();
        assertThat(cluster.dimensions().keySet()).containsExactly("Environment", "Cluster");
        assertThat(cluster.statisticValues().sampleCount()).isEqualTo(100.0);
        assertThat(cluster.statisticValues().sum()).isEqualTo(550.0);
    }

    @Test
    void throttlingIsRetriedByTheSdkWithBackOff() {
        aws.throttleNext(2);
        try (CloudWatchApiSink sink = sink(CloudWatchApiSink.MAX_ATTEMPTS)) {
            sink.publish(taskPoints(1, 3, 1), T0);
            assertThat(sink.pending()).isZero();
        }
        assertThat(aws.putMetricDataCalls()).extracting(CloudWatchCall::status, CloudWatchCall::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(400, "Throttling"),
                        org.assertj.core.groups.Tuple.tuple(400, "Throttling"), org.assertj.core.groups.Tuple.tuple(200, null));
        assertThat(aws.metricData()).hasSize(3 * 2 + 3 + 3);
    }

    @Test
    void pointsOfACallThatStillFailsAreSentFirstNextIntervalWithTheirOwnTimestamps() {
        try (CloudWatchApiSink sink = sink(2)) {
            aws.throttleNext(2);
            sink.publish(taskPoints(1, 3, 1), T0);
            assertThat(sink.pending()).isEqualTo(12);
            assertThat(aws.metricData()).isEmpty();

            sink.publish(taskPoints(1, 3, 10), T0 + 60_000);
            assertThat(sink.pending()).isZero();
            assertThat(sink.calls()).containsExactly(2, 1);
        }
        List<CloudWatchDatum> data = aws.metricData();
        assertThat(data).hasSize(24);
        assertThat(data.subList(0, 12)).allSatisfy(d -> assertThat(d.timestamp()).isEqualTo(Instant.ofEpochMilli(T0)));
        assertThat(data.subList(12, 24)).allSatisfy(d -> assertThat(d.timestamp()).isEqualTo(Instant.ofEpochMilli(T0 + 60_000)));
    }

    @Test
    void aCallCloudWatchRefusesAsInvalidIsDroppedNotRetriedForever() {
        try (CloudWatchApiSink sink = sink(3)) {
            sink.publish(List.of(new Datum("x".repeat(256), "Count", Map.of("Cluster", "prod"), 1)), T0);
            assertThat(sink.pending()).isZero();
            sink.publish(List.of(new Datum("fine", "Count", Map.of("Cluster", "prod"), 1)), T0);
        }
        assertThat(aws.putMetricDataCalls()).extracting(CloudWatchCall::status).containsExactly(400, 200);
        assertThat(aws.putMetricDataCalls().get(0).errorCode()).isEqualTo("InvalidParameterValue");
        assertThat(aws.metricData()).extracting(CloudWatchDatum::metricName).containsExactly("fine");
    }
}
