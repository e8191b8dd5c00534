package io.connectaws.health;

import static io.connectaws.health.FakeCluster.A;
import static io.connectaws.health.FakeCluster.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ReadinessPolicyTest {
    private static ReadinessPolicy policy(Map<String, String> props) {
        return new ReadinessPolicy(HealthSettings.from(props));
    }

    @Test
    void onlyTheWorkerThatOwnsAFailedTaskIsUnready() {
        FakeCluster cluster = new FakeCluster()
                .connector("orders", "RUNNING", B).task("orders", 0, "FAILED", A).task("orders", 1, "RUNNING", B);
        ReadinessPolicy.Evaluation a = policy(Map.of()).evaluate(ReadinessPolicy.owned(A, cluster.all()));
        ReadinessPolicy.Evaluation b = policy(Map.of()).evaluate(ReadinessPolicy.owned(B, cluster.all()));
        assertThat(a.ready()).isFalse();
        assertThat(a.unhealthy()).extracting(Unit::key).containsExactly("orders/0");
        assertThat(a.reason()).contains("1 of 1").contains("task orders-0 FAILED");
        assertThat(b.ready()).isTrue();
        assertThat(b.ownedConnectors()).isEqualTo(1);
        assertThat(b.ownedTasks()).isEqualTo(1);
    }

    @Test
    void aFailedConnectorInstanceCountsForItsOwner() {
        FakeCluster cluster = new FakeCluster().connector("orders", "FAILED", A);
        assertThat(policy(Map.of()).evaluate(ReadinessPolicy.owned(A, cluster.all())).unhealthy()).extracting(Unit::label).containsExactly("connector orders");
        assertThat(policy(Map.of()).evaluate(ReadinessPolicy.owned(B, cluster.all())).ready()).isTrue();
    }

    @Test
    void pausedAndStoppedConnectorsAreNotCounted() {
        FakeCluster cluster = new FakeCluster()
                .connector("paused", "PAUSED", A).task("paused", 0, "PAUSED", A)
                .connector("stopped", "STOPPED", A)
                // a task left FAILED under a paused connector is not this worker's problem until it is resumed
                .connector("paused2", "PAUSED", A).task("paused2", 0, "FAILED", A);
        ReadinessPolicy.Evaluation e = policy(Map.of()).evaluate(ReadinessPolicy.owned(A, cluster.all()));
        assertThat(e.ready()).isTrue();
        assertThat(e.ownedConnectors() + e.ownedTasks()).isZero();
    }

    @Test
    void ignoredConnectorsAreReportedButDoNotMakeTheWorkerUnready() {
        FakeCluster cluster = new FakeCluster()
                .connector("test-orders", "RUNNING", A).task("test-orders", 0, "FAILED", A)
                .connector("orders", "RUNNING", A).task("orders", 0, "RUNNING", A);
        ReadinessPolicy.Evaluation e = policy(Map.of(HealthSettings.IGNORE, "test-.*")).evaluate(ReadinessPolicy.owned(A, cluster.all()));
        assertThat(e.ready()).isTrue();
        assertThat(e.ignored()).extracting(Unit::key).containsExactly("test-orders/0");
        assertThat(e.reason()).contains("ignored: task test-orders-0");
    }

    @Test
    void countAndPercentThresholds() {
        FakeCluster cluster = new FakeCluster().connector("c", "RUNNING", A)
                .task("c", 0, "FAILED", A).task("c", 1, "RUNNING", A).task("c", 2, "RUNNING", A);
        // 1 unhealthy of 4 owned units (connector + 3 tasks)
        assertThat(policy(Map.of(HealthSettings.THRESHOLD, "2")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isTrue();
        assertThat(policy(Map.of(HealthSettings.THRESHOLD, "1")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isFalse();
        assertThat(policy(Map.of(HealthSettings.THRESHOLD, "50%")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isTrue();
        assertThat(policy(Map.of(HealthSettings.THRESHOLD, "25%")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isFalse();
        cluster.task("c", 1, "FAILED", A);
        assertThat(policy(Map.of(HealthSettings.THRESHOLD, "50%")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isFalse();
    }

    @Test
    void otherStatesCountOnlyWhenConfigured() {
        FakeCluster cluster = new FakeCluster().connector("c", "RUNNING", A).task("c", 0, "UNASSIGNED", A);
        assertThat(policy(Map.of()).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isTrue();
        assertThat(policy(Map.of(HealthSettings.STATES, "FAILED,UNASSIGNED")).evaluate(ReadinessPolicy.owned(A, cluster.all())).ready()).isFalse();
    }
}
