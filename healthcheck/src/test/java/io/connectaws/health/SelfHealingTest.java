package io.connectaws.health;

import static io.connectaws.health.FakeCluster.A;
import static io.connectaws.health.FakeCluster.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SelfHealingTest {
    private long now = 1_000_000_000L;
    private final List<String> restarts = new ArrayList<>();
    private SelfHealing.Outcome answer = SelfHealing.Outcome.RESTARTED;
    private final HealthMetrics metrics = new HealthMetrics();
    private final FakeCluster cluster = new FakeCluster();

    private SelfHealing healing(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(HealthSettings.RESTART_UNIT, "1000",
                HealthSettings.RESTART_MAX_BACKOFF, "60000", HealthSettings.RESTART_RESET, "30000"));
        props.putAll(extra);
        return new SelfHealing(HealthSettings.from(props), u -> {
            restarts.add(u.key() + "@" + TimeUnit.NANOSECONDS.toSeconds(now - 1_000_000_000L));
            return answer;
        }, () -> now, metrics);
    }

    private void at(SelfHealing h, long second) {
        now = 1_000_000_000L + TimeUnit.SECONDS.toNanos(second);
        h.onCheck(ReadinessPolicy.owned(A, cluster.all()));
    }

    @Test
    void backOffIsStrimzisScheduleWithACap() {
        SelfHealing h = healing(Map.of());
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 20).stream().map(n -> h.backoff(n).toSeconds()).toList())
                .containsExactly(0L, 2L, 6L, 12L, 20L, 30L, 42L, 56L, 60L, 60L);
        SelfHealing minutes = new SelfHealing(HealthSettings.from(Map.of()), u -> SelfHealing.Outcome.RESTARTED, () -> 0, metrics);
        assertThat(minutes.backoff(3)).isEqualTo(Duration.ofMinutes(12));
        assertThat(minutes.backoff(100)).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void aTaskThatKeepsFailingIsRestartedAtOnceThenWithGrowingGaps() {
        SelfHealing h = healing(Map.of());
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        for (int s = 0; s <= 40; s++) at(h, s);
        assertThat(restarts).containsExactly("orders/0@0", "orders/0@2", "orders/0@8", "orders/0@20", "orders/0@40");
        assertThat(metrics.getSelfHealingRestarts()).isEqualTo(5);
        assertThat(metrics.restarts("orders")).isEqualTo(5);
        Unit failed = ReadinessPolicy.owned(A, cluster.all()).get(1);
        assertThat(h.status(failed)).hasValueSatisfying(s -> {
            assertThat(s.restarts()).isEqualTo(5);
            assertThat(s.nextRestartInMillis()).isEqualTo(30_000L);
        });
    }

    @Test
    void onlyFailedUnitsOwnedByThisWorkerAreRestartedAndPausedOnesNever() {
        SelfHealing h = healing(Map.of());
        cluster.connector("mine", "FAILED", A)
                .connector("theirs", "RUNNING", A).task("theirs", 0, "FAILED", B)
                .connector("paused", "PAUSED", A).task("paused", 0, "FAILED", A);
        at(h, 0);
        assertThat(restarts).containsExactly("mine@0");
    }

    @Test
    void aShortRunKeepsTheBackOffAndAStableRunResetsIt() {
        SelfHealing h = healing(Map.of());
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        at(h, 0);
        at(h, 2);
        cluster.task("orders", 0, "RUNNING", A);
        at(h, 3);
        at(h, 20);
        cluster.task("orders", 0, "FAILED", A);
        at(h, 21);
        at(h, 25);
        assertThat(restarts).as("17 s RUNNING is not stable: the 3rd restart is the 3rd, the 4th waits 12 s")
                .containsExactly("orders/0@0", "orders/0@2", "orders/0@21");
        cluster.task("orders", 0, "RUNNING", A);
        at(h, 26);
        at(h, 56);
        cluster.task("orders", 0, "FAILED", A);
        at(h, 57);
        assertThat(restarts).as("30 s RUNNING: the next failure is restarted at once").last().isEqualTo("orders/0@57");
        assertThat(h.status(ReadinessPolicy.owned(A, cluster.all()).get(1)))
                .hasValueSatisfying(st -> assertThat(st.restarts()).isEqualTo(1));
    }

    @Test
    void maxRestartsGivesUp() {
        SelfHealing h = healing(Map.of(HealthSettings.RESTART_MAX, "2"));
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        for (int s = 0; s <= 200; s += 1) at(h, s);
        assertThat(restarts).containsExactly("orders/0@0", "orders/0@2");
        assertThat(h.status(ReadinessPolicy.owned(A, cluster.all()).get(1))).hasValueSatisfying(s -> assertThat(s.gaveUp()).isTrue());
    }

    @Test
    void aRefusedRestartIsRetriedAtTheNextCheckWithoutCounting() {
        SelfHealing h = healing(Map.of());
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        answer = SelfHealing.Outcome.REFUSED;
        at(h, 0);
        answer = SelfHealing.Outcome.RESTARTED;
        at(h, 1);
        assertThat(restarts).containsExactly("orders/0@0", "orders/0@1");
        assertThat(metrics.getSelfHealingRefused()).isEqualTo(1);
        assertThat(metrics.getSelfHealingRestarts()).isEqualTo(1);
    }

    @Test
    void aUnitThatMovesAwayOrIsDeletedIsForgotten() {
        SelfHealing h = healing(Map.of());
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        at(h, 0);
        cluster.remove("orders");
        at(h, 1);
        cluster.connector("orders", "RUNNING", A).task("orders", 0, "FAILED", A);
        at(h, 2);
        assertThat(restarts).as("a new connector of the same name starts a new streak").containsExactly("orders/0@0", "orders/0@2");
    }
}
