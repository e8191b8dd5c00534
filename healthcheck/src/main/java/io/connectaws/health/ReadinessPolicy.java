package io.connectaws.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.apache.kafka.connect.health.AbstractState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.TaskState;

/**
 * Decides readiness from the connectors and tasks <em>this worker owns</em>: those in a configured unhealthy state
 * count, unless their connector matches an ignore pattern; PAUSED and STOPPED connectors (and their tasks) are not
 * counted at all. The worker is unready once the count reaches the threshold.
 */
final class ReadinessPolicy {

    /** The outcome, with the units that made it. */
    record Evaluation(boolean ready, String reason, int ownedConnectors, int ownedTasks, List<Unit> unhealthy,
                      List<Unit> ignored) {
    }

    private static final Set<String> NOT_COUNTED = Set.of("PAUSED", "STOPPED");
    private final HealthSettings settings;

    ReadinessPolicy(HealthSettings settings) {
        this.settings = settings;
    }

    /** The units of {@code connectors} owned by {@code workerId}, leaving out PAUSED and STOPPED connectors. */
    static List<Unit> owned(String workerId, Collection<ConnectorHealth> connectors) {
        List<Unit> units = new ArrayList<>();
        for (ConnectorHealth h : connectors) {
            AbstractState c = h.connectorState();
            if (c != null && NOT_COUNTED.contains(c.state())) continue;
            if (c != null && workerId.equals(c.workerId())) {
                units.add(new Unit(h.name(), null, c.state(), c.workerId(), c.traceMessage()));
            }
            for (TaskState t : h.tasksState().values()) {
                if (workerId.equals(t.workerId()) && !NOT_COUNTED.contains(t.state())) {
                    units.add(new Unit(h.name(), t.taskId(), t.state(), t.workerId(), t.traceMessage()));
                }
            }
        }
        units.sort((a, b) -> a.key().compareTo(b.key()));
        return units;
    }

    /** Readiness from the units this worker owns ({@link #owned}). */
    Evaluation evaluate(List<Unit> owned) {
        List<Unit> unhealthy = new ArrayList<>();
        List<Unit> ignored = new ArrayList<>();
        int counted = 0;
        int connectorsOwned = 0;
        int tasksOwned = 0;
        for (Unit u : owned) {
            if (u.task() == null) connectorsOwned++;
            else tasksOwned++;
            boolean bad = settings.unhealthyStates.contains(u.state());
            if (settings.ignored(u.connector())) {
                if (bad) ignored.add(u);
                continue;
            }
            counted++;
            if (bad) unhealthy.add(u);
        }
        boolean ready = settings.thresholdPercent > 0
                ? unhealthy.size() * 100L < (long) settings.thresholdPercent * counted || unhealthy.isEmpty()
                : unhealthy.size() < settings.thresholdCount;
        String states = String.join("/", settings.unhealthyStates.stream().sorted().toList());
        String reason = unhealthy.isEmpty()
                ? counted + " connectors and tasks on this worker are counted, none is " + states
                : unhealthy.size() + " of " + counted + " connectors and tasks on this worker are " + states
                  + " (unready at " + settings.threshold() + "): "
                  + String.join(", ", unhealthy.stream().map(u -> u.label() + " " + u.state()
                          + (u.detail() == null ? "" : " (" + u.detail() + ")")).toList());
        if (!ignored.isEmpty()) reason += "; ignored: " + String.join(", ", ignored.stream().map(Unit::label).toList());
        return new Evaluation(ready, reason, connectorsOwned, tasksOwned, List.copyOf(unhealthy), List.copyOf(ignored));
    }
}
