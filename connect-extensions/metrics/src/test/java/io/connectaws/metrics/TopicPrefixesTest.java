package io.connectaws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TopicPrefixesTest {
    private final Map<String, Map<String, String>> configs = new HashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private boolean herderDown;
    private final TopicPrefixes prefixes = new TopicPrefixes(() -> {
        loads.incrementAndGet();
        if (herderDown) throw new IllegalStateException("not ready");
        return Map.copyOf(configs);
    }, now::get);

    @Test
    void prefixesResolveAndUnknownOnesAreLookedUpAgainAtMostEveryTenSeconds() {
        configs.put("inventory-cdc", Map.of("topic.prefix", "dbserver1"));
        configs.put("legacy", Map.of("database.server.name", "old"));
        configs.put("sink", Map.of("topics", "x"));
        assertThat(prefixes.apply("dbserver1")).isEqualTo("inventory-cdc");
        assertThat(prefixes.apply("old")).isEqualTo("legacy");
        assertThat(loads).hasValue(1);

        configs.put("orders-cdc", Map.of("topic.prefix", "orders"));
        assertThat(prefixes.apply("orders")).as("created a moment ago: not looked up again yet").isNull();
        now.addAndGet(10_000);
        assertThat(prefixes.apply("orders")).isEqualTo("orders-cdc");
        assertThat(loads).hasValue(2);
        assertThat(prefixes.apply("dbserver1")).isEqualTo("inventory-cdc");
        assertThat(loads).hasValue(2);
    }

    @Test
    void knownPrefixesAreRefreshedEveryFiveMinutesAndKeptWhileTheHerderIsNotReady() {
        configs.put("a", Map.of("topic.prefix", "p"));
        assertThat(prefixes.apply("p")).isEqualTo("a");
        configs.clear();
        configs.put("b", Map.of("topic.prefix", "p"));
        now.addAndGet(299_000);
        assertThat(prefixes.apply("p")).isEqualTo("a");
        now.addAndGet(1_000);
        assertThat(prefixes.apply("p")).as("renamed connector seen after the refresh").isEqualTo("b");

        herderDown = true;
        now.addAndGet(300_000);
        assertThat(prefixes.apply("p")).isEqualTo("b");
    }
}
