package io.connectaws.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic of Avro change events from the beginning and decodes keys and values with Apicurio's own
 * {@link AvroKafkaDeserializer} against the registry, as a consumer application would.
 */
final class AvroTopicReader implements AutoCloseable {

    /** One record: decoded key and value (null for a tombstone), and what it cost in Kafka (apicurio.* headers). */
    record Event(GenericRecord key, GenericRecord value, int valueBytes, int headerBytes, List<String> headerKeys) {
        String op() {
            return value == null ? null : value.get("op").toString();
        }

        GenericRecord after() {
            return (GenericRecord) value.get("after");
        }

        int id() {
            return (Integer) key.get("id");
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroKafkaDeserializer<GenericRecord> keys = new AvroKafkaDeserializer<>();
    private final AvroKafkaDeserializer<GenericRecord> values = new AvroKafkaDeserializer<>();
    private final List<Event> events = new ArrayList<>();

    /** {@code serdeSettings}: the registry URL and, where needed, {@code apicurio.auth.*}. */
    AvroTopicReader(String bootstrapServers, String topic, Map<String, Object> serdeSettings) {
        Map<String, Object> config = new HashMap<>(serdeSettings);
        keys.configure(config, true);
        values.configure(config, false);
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "group.id", "it-avro-" + java.util.UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Settings for a registry at {@code url}; ids once resolved stay cached (the test takes the registry down). */
    static Map<String, Object> registry(String url) {
        return Map.of(SerdeConfig.REGISTRY_URL, url, SerdeConfig.CHECK_PERIOD_MS, "3600000");
    }

    /** Polls until {@code done} holds for everything read so far; fails with what was read otherwise. */
    List<Event> await(Predicate<List<Event>> done, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(events)) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + timeout + " waiting for " + what + "; read so far: " + events);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                int headerBytes = 0;
                List<String> headerKeys = new ArrayList<>();
                for (Header h : r.headers()) {
                    headerKeys.add(h.key());
                    if (h.key().startsWith("apicurio.")) { // Debezium's own context headers come with JSON too
                        headerBytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
                    }
                }
                GenericRecord key = keys.deserialize(r.topic(), r.headers(), r.key());
                GenericRecord value = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
                events.add(new Event(key, value, r.value() == null ? 0 : r.value().length, headerBytes, headerKeys));
            }
        }
        return List.copyOf(events);
    }

    List<Event> awaitCount(int count, Duration timeout) {
        return await(e -> e.size() >= count, timeout, count + " records");
    }

    @Override
    public void close() {
        consumer.close();
        keys.close();
        values.close();
    }
}
