package io.connectaws.declarations;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Connect as the reconciler sees it, in memory: stores configs and states the way the REST API would, records every
 * write, and can answer the next calls with scripted failures (409 during a rebalance, 500, 400).
 */
final class FakeConnect implements Connect {
    final Map<String, Map<String, String>> configs = new TreeMap<>();
    final Map<String, String> states = new TreeMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final Deque<Reply> scripted = new ArrayDeque<>();
    /** Keys the worker's connector-defaults filter would add to a Debezium config. */
    boolean addDefaults = true;
    Map<String, String> validationErrors = Map.of();

    /** A connector made by hand (no marker). */
    void handMade(String name, Map<String, String> config) {
        Map<String, String> c = new TreeMap<>(config);
        c.put("name", name);
        configs.put(name, c);
        states.put(name, "RUNNING");
    }

    @Override
    public synchronized Map<String, Existing> connectors() {
        Map<String, Existing> out = new TreeMap<>();
        configs.forEach((n, c) -> out.put(n, new Existing(Map.copyOf(c), states.get(n))));
        return out;
    }

    private synchronized Reply next(String call) {
        calls.add(call);
        return scripted.isEmpty() ? null : scripted.poll();
    }

    @Override
    public synchronized Reply create(String name, Map<String, String> config, DesiredState initialState) {
        Reply r = next("create " + name + " " + initialState);
        if (r != null) return r;
        if (configs.containsKey(name)) return new Reply(409, "Connector " + name + " already exists");
        configs.put(name, withDefaults(config));
        states.put(name, initialState.name());
        return new Reply(201, "");
    }

    @Override
    public synchronized Reply update(String name, Map<String, String> config) {
        Reply r = next("update " + name);
        if (r != null) return r;
        configs.put(name, withDefaults(config));
        return new Reply(200, "");
    }

    @Override
    public synchronized Reply changeState(String name, DesiredState state) {
        Reply r = next(state.name().toLowerCase(java.util.Locale.ROOT) + " " + name);
        if (r != null) return r;
        states.put(name, state.name());
        return new Reply(202, "");
    }

    @Override
    public synchronized Reply delete(String name) {
        Reply r = next("delete " + name);
        if (r != null) return r;
        configs.remove(name);
        states.remove(name);
        return new Reply(204, "");
    }

    @Override
    public synchronized Map<String, String> validate(Map<String, String> config) {
        calls.add("validate " + config.get("name"));
        return validationErrors;
    }

    private Map<String, String> withDefaults(Map<String, String> config) {
        Map<String, String> stored = new LinkedHashMap<>(config);
        if (addDefaults && config.getOrDefault("connector.class", "").startsWith("io.debezium.")) {
            stored.putIfAbsent("topic.creation.default.replication.factor", "-1");
            stored.putIfAbsent("topic.creation.default.partitions", "-1");
        }
        return new TreeMap<>(stored);
    }
}
