package io.connectaws.health;

import static io.connectaws.health.FakeCluster.A;
import static io.connectaws.health.FakeCluster.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.connectaws.health.WorkerStatus.State;

class HealthMonitorTest {
    private long now = 5_000_000_000L;
    private WorkerStatus worker = new WorkerStatus(State.STARTING, "Worker is still starting up.");
    private final FakeCluster cluster = new FakeCluster();
    private final List<String> restarts = new ArrayList<>();
    private final HealthMetrics metrics = new HealthMetrics();

    private HealthMonitor monitor(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(HealthSettings.INTERVAL, "5000", HealthSettings.STUCK_GRACE, "60000"));
        props.putAll(extra);
        return new HealthMonitor(HealthSettings.from(props), A, () -> worker, cluster, u -> {
            restarts.add(u.key());
            return SelfHealing.Outcome.RESTARTED;
        }, metrics, () -> now, Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));
    }

    private void after(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void checksEverySecondUntilTheWorkerRunsThenEveryInterval() {
        HealthMonitor m = monitor(Map.of());
        assertThat(m.nextDelayMillis()).isEqualTo(1000);
        m.check();
        assertThat(m.nextDelayMillis()).as("still starting").isEqualTo(1000);
        worker = new WorkerStatus(State.RUNNING, "Worker has completed startup and is ready to handle requests.");
        m.check();
        assertThat(m.nextDelayMillis()).isEqualTo(5000);
        assertThat(monitor(Map.of(HealthSettings.INTERVAL, "500")).nextDelayMillis()).isEqualTo(500);
    }

    @Test
    void aStartingWorkerIsLiveButNotReady() {
        HealthMonitor m = monitor(Map.of());
        assertThat(m.liveness().ok()).isTrue();
        assertThat(m.readiness().ok()).isFalse();
        m.check();
        assertThat(m.liveness().ok()).isTrue();
        assertThat(m.liveness().body()).containsEntry("reason", "starting");
        HealthMonitor.Verdict ready = m.readiness();
        assertThat(ready.ok()).isFalse();
        assertThat(ready.body().get("reason").toString()).startsWith("worker starting");
        // starting for a long time is still live: restarting the container would not make it start sooner
        after(3600);
        m.check();
        assertThat(m.liveness().ok()).isTrue();
    }

    @Test
    void aFailedTaskMakesItsWorkerUnreadyButStaysLiveAndIsNamed() {
        HealthMonitor m = monitor(Map.of(HealthSettings.RESTART_ENABLED, "false"));
        worker = new WorkerStatus(State.RUNNING, "Worker has completed startup and is ready to handle requests.");
        cluster.connector("orders", "RUNNING", B).task("orders", 0, "RUNNING", A).task("orders", 1, "RUNNING", B);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        assertThat(m.readiness().body()).containsEntry("owned", Map.of("connectors", 0, "tasks", 1));
        assertThat(metrics.getReady()).isEqualTo(1);

        cluster.task("orders", 0, "FAILED", A, "org.apache.kafka.connect.errors.ConnectException: database down\n\tat a.b(C.java:1)");
        after(5);
        m.check();
        HealthMonitor.Verdict ready = m.readiness();
        assertThat(ready.ok()).isFalse();
        assertThat(ready.body().get("reason").toString()).contains("task orders-0 FAILED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> unhealthy = (List<Map<String, Object>>) ready.body().get("unhealthy");
        assertThat(unhealthy).singleElement().satisfies(u -> {
            assertThat(u).containsEntry("connector", "orders").containsEntry("task", 0).containsEntry("state", "FAILED")
                    .containsEntry("worker", A);
            assertThat(u.get("trace").toString()).startsWith("org.apache.kafka.connect.errors.ConnectException: database down");
        });
        assertThat(m.liveness().ok()).isTrue();
        assertThat(metrics.getLive()).isEqualTo(1);
        assertThat(metrics.getReady()).isZero();
        assertThat(metrics.getUnhealthyTasks()).isEqualTo(1);
        assertThat(restarts).as("self-healing off").isEmpty();
    }

    @Test
    void selfHealingRestartsAndTheReplySaysSo() {
        HealthMonitor m = monitor(Map.of(HealthSettings.RESTART_UNIT, "1000"));
        worker = new WorkerStatus(State.RUNNING, "ok");
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        cluster.configs.put("orders", Map.of("database.password", "pw-literal-123"));
        cluster.task("orders", 0, "FAILED", A, "login failed with pw-literal-123");
        m.check();
        assertThat(restarts).containsExactly("orders/0");
        Map<String, Object> body = m.readiness().body();
        assertThat(body.get("selfHealing")).isEqualTo(Map.of("enabled", true, "restarts", 1L));
        assertThat(body.toString()).contains("restarts=1").contains("nextRestartInSeconds=2").doesNotContain("pw-literal-123");
        assertThat(metrics.getSelfHealingRestarts()).isEqualTo(1);
    }

    @Test
    void aStuckHerderFailsLivenessOnlyAfterTheGracePeriod() {
        HealthMonitor m = monitor(Map.of());
        worker = new WorkerStatus(State.RUNNING, "ok");
        m.check();
        worker = new WorkerStatus(State.UNHEALTHY, "Worker was unable to handle this request: tick thread stage");
        after(30);
        m.check();
        assertThat(m.liveness().ok()).isTrue();
        assertThat(m.readiness().ok()).isFalse();
        after(31);
        m.check();
        HealthMonitor.Verdict live = m.liveness();
        assertThat(live.ok()).isFalse();
        assertThat(live.body().get("reason").toString()).contains("worker unhealthy for 61 s").contains("tick thread stage")
                .contains(HealthSettings.STUCK_GRACE);
        assertThat(metrics.getLive()).isZero();
        worker = new WorkerStatus(State.RUNNING, "ok");
        after(5);
        m.check();
        assertThat(m.liveness().ok()).isTrue();
    }

    @Test
    void aMonitorThatStopsCheckingFailsLiveness() {
        HealthMonitor m = monitor(Map.of());
        worker = new WorkerStatus(State.RUNNING, "ok");
        m.check();
        after(60 + 10 + 29);
        assertThat(m.liveness().ok()).isTrue();
        after(2);
        assertThat(m.liveness().ok()).isFalse();
        assertThat(m.liveness().body().get("reason").toString()).contains("the health monitor is blocked");
        assertThat(m.readiness().ok()).isFalse();
    }

    @Test
    void aRebalanceKeepsTheRecentViewAndThenSaysItIsUnavailable() {
        HealthMonitor m = monitor(Map.of());
        worker = new WorkerStatus(State.RUNNING, "ok");
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "RUNNING", A);
        m.check();
        cluster.listingFails = new ConnectException("Request cannot be completed because a rebalance is expected");
        after(5);
        m.check();
        assertThat(m.readiness().ok()).isTrue();
        after(40);
        m.check();
        HealthMonitor.Verdict ready = m.readiness();
        assertThat(ready.ok()).isFalse();
        assertThat(ready.body().get("reason").toString()).contains("unavailable").contains("rebalance is expected");
        assertThat(m.liveness().ok()).isTrue();
    }
}
