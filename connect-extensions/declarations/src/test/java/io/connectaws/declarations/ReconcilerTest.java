package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.connectaws.declarations.Connect.Reply;
import io.connectaws.declarations.Status.Outcome;

class ReconcilerTest {
    static final String PG = "io.debezium.connector.postgresql.PostgresConnector";

    final FakeConnect connect = new FakeConnect();
    final List<Long> slept = new ArrayList<>();

    Reconciler reconciler(boolean purge) {
        return new Reconciler(connect, purge, 4, slept::add, 10, 20, 40);
    }

    static Declaration decl(String name, DesiredState state, String... kv) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("connector.class", PG);
        config.put("topic.prefix", name);
        for (int i = 0; i < kv.length; i += 2) config.put(kv[i], kv[i + 1]);
        return new Declaration(name, config, state, Origin.of("file:" + name + ".yaml"));
    }

    static DesiredSet set(boolean complete, Declaration... ds) {
        return new DesiredSet(List.of(ds), List.of(), Set.of(), complete);
    }

    Map<String, Status> round(Reconciler r, DesiredSet s) throws InterruptedException {
        return r.reconcile(s, connect.connectors());
    }

    @Test
    void createsWithItsInitialStateThenNothingWhenUnchanged() throws Exception {
        Reconciler r = reconciler(false);
        Map<String, Status> first = round(r, set(true, decl("a", DesiredState.RUNNING), decl("b", DesiredState.PAUSED),
                decl("c", DesiredState.STOPPED)));
        assertThat(first.values()).extracting(Status::outcome).containsOnly(Outcome.APPLIED);
        assertThat(connect.calls).containsExactlyInAnyOrder("create a RUNNING", "create b PAUSED", "create c STOPPED");
        assertThat(connect.configs.get("a")).containsEntry(Declaration.MARKER, decl("a", DesiredState.RUNNING).fingerprint())
                .containsEntry("name", "a");
        connect.calls.clear();
        Map<String, Status> second = round(r, set(true, decl("a", DesiredState.RUNNING), decl("b", DesiredState.PAUSED),
                decl("c", DesiredState.STOPPED)));
        assertThat(second.values()).extracting(Status::outcome).containsOnly(Outcome.UNCHANGED);
        assertThat(connect.calls).as("an unchanged declaration sends nothing, worker-added keys are no drift").isEmpty();
    }

    @Test
    void aChangedConfigIsPutOnlyForThatConnector() throws Exception {
        Reconciler r = reconciler(false);
        round(r, set(true, decl("a", DesiredState.RUNNING), decl("b", DesiredState.RUNNING)));
        connect.calls.clear();
        Map<String, Status> s = round(r, set(true, decl("a", DesiredState.RUNNING, "table.include.list", "public.x"),
                decl("b", DesiredState.RUNNING)));
        assertThat(connect.calls).containsExactly("update a");
        assertThat(s.get("a").detail()).isEqualTo("config updated");
        assertThat(s.get("b").outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void pauseOrStopComesBeforeTheConfigChangeAndResumeAfter() throws Exception {
        Reconciler r = reconciler(false);
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        connect.calls.clear();
        round(r, set(true, decl("a", DesiredState.STOPPED, "k", "1")));
        assertThat(connect.calls).containsExactly("validate a", "stopped a", "update a");
        assertThat(connect.states.get("a")).isEqualTo("STOPPED");
        connect.calls.clear();
        Map<String, Status> s = round(r, set(true, decl("a", DesiredState.RUNNING, "k", "2")));
        assertThat(connect.calls).containsExactly("update a", "running a");
        assertThat(s.get("a").detail()).isEqualTo("config updated, resumed");
        connect.calls.clear();
        round(r, set(true, decl("a", DesiredState.PAUSED, "k", "2")));
        assertThat(connect.calls).containsExactly("paused a");
    }

    @Test
    void anInvalidConfigNeverPausesTheRunningConnector() throws Exception {
        Reconciler r = reconciler(false);
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        connect.calls.clear();
        connect.validationErrors = Map.of("database.port", "Invalid value x");
        Map<String, Status> s = round(r, set(true, decl("a", DesiredState.PAUSED, "database.port", "x")));
        assertThat(connect.calls).containsExactly("validate a");
        assertThat(connect.states.get("a")).isEqualTo("RUNNING");
        assertThat(s.get("a").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(s.get("a").detail()).contains("database.port").contains("left as it is");
    }

    @Test
    void driftOnDeclaredKeysAndAddedKeysIsUndone() throws Exception {
        Reconciler r = reconciler(false);
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        connect.configs.get("a").put("topic.prefix", "changed-by-hand");
        connect.calls.clear();
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        assertThat(connect.calls).containsExactly("update a");
        connect.configs.get("a").put("snapshot.mode", "never");
        connect.calls.clear();
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        assertThat(connect.calls).containsExactly("update a");
        assertThat(connect.configs.get("a")).doesNotContainKey("snapshot.mode");
    }

    @Test
    void aHandMadeConnectorIsNeverTouched() throws Exception {
        connect.handMade("manual", Map.of("connector.class", PG, "topic.prefix", "manual"));
        Map<String, Status> s = round(reconciler(true), set(true, decl("manual", DesiredState.PAUSED, "x", "y")));
        assertThat(connect.calls).isEmpty();
        assertThat(s.get("manual").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(s.get("manual").detail()).contains("not created from a declaration");
        Map<String, Status> undeclared = round(reconciler(true), set(true));
        assertThat(undeclared).isEmpty();
        assertThat(connect.configs).containsKey("manual");
    }

    @Test
    void orphansAreKeptWithoutPurgeAndDeletedWithPurgeOnlyWhenEverythingWasRead() throws Exception {
        round(reconciler(false), set(true, decl("a", DesiredState.RUNNING), decl("b", DesiredState.RUNNING)));
        connect.calls.clear();
        Map<String, Status> kept = round(reconciler(false), set(true, decl("a", DesiredState.RUNNING)));
        assertThat(kept.get("b").outcome()).isEqualTo(Outcome.ORPHANED);
        assertThat(connect.calls).isEmpty();
        Map<String, Status> incomplete = round(reconciler(true), set(false, decl("a", DesiredState.RUNNING)));
        assertThat(incomplete.get("b").outcome()).isEqualTo(Outcome.ORPHANED);
        assertThat(incomplete.get("b").detail()).contains("could not be read");
        assertThat(connect.calls).isEmpty();
        Map<String, Status> purged = round(reconciler(true), set(true, decl("a", DesiredState.RUNNING)));
        assertThat(purged.get("b").outcome()).isEqualTo(Outcome.DELETED);
        assertThat(connect.calls).containsExactly("delete b");
    }

    @Test
    void aHeldDeclarationIsNeverPurged() throws Exception {
        round(reconciler(false), set(true, decl("a", DesiredState.RUNNING)));
        connect.calls.clear();
        DesiredSet held = new DesiredSet(List.of(), List.of(new Problem("file:a.yaml", "a", "topic.prefix", "collides")),
                Set.of("a"), true);
        Map<String, Status> s = round(reconciler(true), held);
        assertThat(connect.calls).isEmpty();
        assertThat(s.get("a").outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void rebalanceAndServerErrorsAreRetriedWithBackoffAndRefusalsAreReported() throws Exception {
        connect.scripted.add(new Reply(409, "Cannot complete request because of a conflicting operation (e.g. worker rebalance)"));
        connect.scripted.add(new Reply(500, "boom"));
        Map<String, Status> s = round(reconciler(false), set(true, decl("a", DesiredState.RUNNING)));
        assertThat(s.get("a").outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(slept).containsExactly(10L, 20L);
        connect.scripted.add(new Reply(400, "Connector configuration is invalid and contains the following 1 error(s): x"));
        Map<String, Status> refused = round(reconciler(false), set(true, decl("b", DesiredState.RUNNING)));
        assertThat(refused.get("b").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.get("b").detail()).startsWith("create refused: Connector configuration is invalid");
        for (int i = 0; i < 4; i++) connect.scripted.add(new Reply(503, "down"));
        slept.clear();
        Map<String, Status> gaveUp = round(reconciler(false), set(true, decl("c", DesiredState.RUNNING)));
        assertThat(gaveUp.get("c").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(slept).containsExactly(10L, 20L, 40L);
    }

    @Test
    void aRebalanceThatOutlastsTheRetriesIsAFailureForThisRound() throws Exception {
        for (int i = 0; i < 4; i++) connect.scripted.add(new Reply(409, "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"));
        Reconciler r = reconciler(false);
        Map<String, Status> s = round(r, set(true, decl("a", DesiredState.RUNNING)));
        assertThat(s.get("a").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.retrySoon()).as("a rebalance passes: try again soon").isTrue();
        round(r, set(true, decl("a", DesiredState.RUNNING)));
        assertThat(r.retrySoon()).isFalse();
        connect.scripted.add(new Reply(404, "Not Found"));
        round(r, set(true, decl("b", DesiredState.RUNNING)));
        assertThat(r.retrySoon()).as("REST resources not installed yet").isTrue();
        connect.scripted.add(new Reply(400, "Connector configuration is invalid"));
        round(r, set(true, decl("c", DesiredState.RUNNING)));
        assertThat(r.retrySoon()).as("an invalid config waits for the next interval").isFalse();
    }

    @Test
    void createdConcurrentlyElsewhereIsNotAnError() throws Exception {
        connect.scripted.add(new Reply(409, "Connector a already exists"));
        Map<String, Status> s = round(reconciler(false), set(true, decl("a", DesiredState.RUNNING)));
        assertThat(s.get("a").outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(slept).isEmpty();
    }

    @Test
    void stateCallsOnlyForStatesTheOperatorChose() {
        assertThat(Reconciler.stateDiffers(DesiredState.RUNNING, "FAILED")).isFalse();
        assertThat(Reconciler.stateDiffers(DesiredState.RUNNING, "UNASSIGNED")).isFalse();
        assertThat(Reconciler.stateDiffers(DesiredState.STOPPED, "FAILED")).isTrue();
        assertThat(Reconciler.stateDiffers(DesiredState.PAUSED, "PAUSED")).isFalse();
    }
}
