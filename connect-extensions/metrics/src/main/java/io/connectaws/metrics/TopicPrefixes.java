package io.connectaws.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Debezium names its MBeans after the connector's topic prefix ({@code server=...}), not its name. This maps a
 * prefix back to the connector, from the connector configs the worker knows; it looks again when a prefix is
 * unknown (at most every 10 s) and every 5 minutes.
 */
final class TopicPrefixes implements Function<String, String> {
    private static final long RETRY_MILLIS = 10_000;
    private static final long REFRESH_MILLIS = 300_000;

    private final Supplier<Map<String, Map<String, String>>> configs;
    private final LongSupplier clock;
    private Map<String, String> byPrefix = Map.of();
    private long loadedAt = Long.MIN_VALUE / 2;

    /** @param configs the connectors' configs by connector name */
    TopicPrefixes(Supplier<Map<String, Map<String, String>>> configs, LongSupplier clock) {
        this.configs = configs;
        this.clock = clock;
    }

    @Override
    public synchronized String apply(String server) {
        long now = clock.getAsLong();
        String connector = byPrefix.get(server);
        if ((connector == null && now - loadedAt >= RETRY_MILLIS) || now - loadedAt >= REFRESH_MILLIS) {
            reload(now);
            connector = byPrefix.get(server);
        }
        return connector;
    }

    private void reload(long now) {
        loadedAt = now;
        Map<String, String> map = new HashMap<>();
        try {
            configs.get().forEach((name, config) -> {
                String prefix = config.getOrDefault("topic.prefix", config.get("database.server.name"));
                if (prefix != null) {
                    map.putIfAbsent(prefix, name);
                }
            });
        } catch (RuntimeException e) {
            return; // the herder is not ready: keep what is known and try again later
        }
        byPrefix = map;
    }
}
