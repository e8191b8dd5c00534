package io.connectaws.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.health.ConnectClusterDetails;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.ConnectorState;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.health.TaskState;

/** Connect's cluster view as the extension reads it, set by the tests. */
final class FakeCluster implements ConnectClusterState {
    static final String A = "10.0.0.1:8083";
    static final String B = "10.0.0.2:8083";

    private final Map<String, ConnectorState> connectors = new TreeMap<>();
    private final Map<String, Map<Integer, TaskState>> tasks = new LinkedHashMap<>();
    final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    final java.util.Set<String> sinks = new java.util.HashSet<>();
    int configReads;
    RuntimeException listingFails;

    FakeCluster connector(String name, String state, String worker) {
        connectors.put(name, new ConnectorState(state, worker, state.equals("FAILED") ? "boom in " + name : null));
        tasks.putIfAbsent(name, new TreeMap<>());
        return this;
    }

    FakeCluster task(String name, int id, String state, String worker) {
        return task(name, id, state, worker, state.equals("FAILED") ? "org.example.Boom: task " + id + " failed\n\tat x.y(Z.java:1)" : null);
    }

    FakeCluster task(String name, int id, String state, String worker, String trace) {
        tasks.computeIfAbsent(name, n -> new TreeMap<>()).put(id, new TaskState(id, state, worker, trace));
        return this;
    }

    void remove(String name) {
        connectors.remove(name);
        tasks.remove(name);
    }

    List<ConnectorHealth> all() {
        List<ConnectorHealth> all = new ArrayList<>();
        for (String c : connectors()) all.add(connectorHealth(c));
        return all;
    }

    @Override
    public Collection<String> connectors() {
        if (listingFails != null) throw listingFails;
        return new ArrayList<>(connectors.keySet());
    }

    @Override
    public ConnectorHealth connectorHealth(String name) {
        ConnectorState s = connectors.get(name);
        if (s == null) throw new NotFoundException("No status found for connector " + name);
        return new ConnectorHealth(name, s, new LinkedHashMap<>(tasks.get(name)),
                sinks.contains(name) ? ConnectorType.SINK : ConnectorType.SOURCE);
    }

    @Override
    public Map<String, String> connectorConfig(String name) {
        configReads++;
        Map<String, String> c = configs.get(name);
        if (c == null) throw new ConnectException("no config for " + name);
        return c;
    }

    @Override
    public ConnectClusterDetails clusterDetails() {
        return () -> "test-cluster";
    }
}
