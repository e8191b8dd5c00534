package io.connectaws.security;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The password keys of Kafka's clients, for the prefixes under which a connector config passes client settings on. */
final class ClientPasswords {
    private static final Set<String> PRODUCER = passwords(ProducerConfig.configDef());
    private static final Set<String> CONSUMER = passwords(ConsumerConfig.configDef());
    private static final Set<String> ADMIN = passwords(AdminClientConfig.configDef());
    private static final Map<String, Set<String>> BY_PREFIX = Map.of(
            "producer.override.", PRODUCER, "consumer.override.", CONSUMER, "admin.override.", ADMIN,
            "schema.history.internal.producer.", PRODUCER, "schema.history.internal.consumer.", CONSUMER,
            "database.history.producer.", PRODUCER, "database.history.consumer.", CONSUMER, "signal.consumer.", CONSUMER);

    private ClientPasswords() {
    }

    /** The client password keys (such as {@code sasl.jaas.config}) for a client prefix; empty for another prefix. */
    static Set<String> of(String prefix) {
        return BY_PREFIX.getOrDefault(prefix, Set.of());
    }

    /** The keys of {@code def} whose type is {@link ConfigDef.Type#PASSWORD}. */
    static Set<String> passwords(ConfigDef def) {
        return def.configKeys().values().stream().filter(k -> k.type == ConfigDef.Type.PASSWORD)
                .map(k -> k.name).collect(Collectors.toUnmodifiableSet());
    }
}
