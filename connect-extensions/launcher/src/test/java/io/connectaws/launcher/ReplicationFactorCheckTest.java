package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ReplicationFactorCheckTest {

    private static Map<String, String> worker(String factor) {
        Map<String, String> p = new HashMap<>(Map.of("bootstrap.servers", "kafka:9092",
                "config.storage.topic", "g-configs", "offset.storage.topic", "g-offsets", "status.storage.topic", "g-status"));
        for (String kind : new String[] {"config", "offset", "status"}) {
            p.put(kind + ".storage.replication.factor", factor);
        }
        return p;
    }

    private static ReplicationFactorCheck.Cluster cluster(int brokers, String... existing) {
        return new ReplicationFactorCheck.Cluster() {
            @Override
            public int brokers() {
                return brokers;
            }

            @Override
            public Set<String> existing(Collection<String> topics) {
                Set<String> found = new TreeSet<>(Set.of(existing));
                found.retainAll(topics);
                return found;
            }
        };
    }

    private static final ReplicationFactorCheck.Cluster UNASKED = new ReplicationFactorCheck.Cluster() {
        @Override
        public int brokers() {
            throw new AssertionError("the brokers' default needs no round trip");
        }

        @Override
        public Set<String> existing(Collection<String> topics) {
            throw new AssertionError("the brokers' default needs no round trip");
        }
    };

    @Test
    void aFactorAboveTheBrokerCountIsOneLineNamingTheVariablesAndTheCount() {
        Map<String, String> origins = Map.of("config.storage.replication.factor", "CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR",
                "offset.storage.replication.factor", "CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR");
        assertThatThrownBy(() -> ReplicationFactorCheck.check(worker("3"), origins::get, cluster(1)))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR=3 for topic g-configs")
                .hasMessageContaining("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR=3 for topic g-offsets")
                .hasMessageContaining("status.storage.replication.factor (worker profile)=3")
                .hasMessageContaining("has 1 broker,")
                .hasMessageContaining("-1")
                .message().doesNotContain("\n");
    }

    @Test
    void existingTopicsAndFactorsTheClusterMeetsPass() throws Exception {
        assertThatCode(() -> ReplicationFactorCheck.check(worker("3"), k -> null, cluster(3))).doesNotThrowAnyException();
        assertThatCode(() -> ReplicationFactorCheck.check(worker("3"), k -> null,
                cluster(2, "g-configs", "g-offsets", "g-status"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReplicationFactorCheck.check(worker("3"), k -> null, cluster(2, "g-configs", "g-offsets")))
                .hasMessageContaining("g-status").hasMessageNotContaining("g-configs");
    }

    @Test
    void theBrokersDefaultAndOneAreNotChecked() throws Exception {
        ReplicationFactorCheck.check(worker("-1"), k -> null, UNASKED);
        ReplicationFactorCheck.check(worker("1"), k -> null, UNASKED);
        assertThat(ReplicationFactorCheck.run(worker("-1"), k -> null, java.time.Duration.ofMillis(1))).isNull();
    }

    @Test
    void anUnreachableClusterIsLeftToConnect() {
        Map<String, String> w = worker("3");
        w.put("bootstrap.servers", "127.0.0.1:1");
        assertThat(ReplicationFactorCheck.run(w, k -> null, java.time.Duration.ofMillis(300))).isNotNull();
    }

    @Test
    void clientSettingsTheAdminClientRefusesAreNamedByKindNotQuoted() {
        Map<String, String> w = worker("3");
        w.put("security.protocol", "SASL_SSL");
        w.put("sasl.mechanism", "PLAIN");
        w.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
                + "password=\"hunter2");
        assertThat(ReplicationFactorCheck.run(w, k -> null, java.time.Duration.ofMillis(300)))
                .contains("refused by the admin client").doesNotContain("hunter2");
    }
}
