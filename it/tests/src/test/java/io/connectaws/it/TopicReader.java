package io.connectaws.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a topic from the beginning, from the host, and keeps every record it has seen. */
final class TopicReader implements AutoCloseable {

    /** One record: key and value parsed as JSON; {@code value} is null for a tombstone. */
    record Event(JsonNode key, JsonNode value) {
        String op() {
            return value == null ? null : value.path("op").asText();
        }

        JsonNode before() {
            return value.path("before");
        }

        JsonNode after() {
            return value.path("after");
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> events = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, "read_uncommitted");
    }

    /** With {@code isolationLevel} {@code read_committed}: only records of committed transactions are read. */
    TopicReader(String bootstrapServers, String topic, String isolationLevel) {
        consumer = fromTheBeginning(bootstrapServers, topic, isolationLevel);
    }

    /** A consumer of {@code topic} from its first record, in a group of its own, with {@code isolationLevel}. */
    static KafkaConsumer<String, String> fromTheBeginning(String bootstrapServers, String topic, String isolationLevel) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until {@code done} holds for everything read so far; fails with what was read otherwise. */
    List<Event> awaitEvents(Predicate<List<Event>> done, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(events)) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + timeout + " waiting for " + what + "; read so far: " + events);
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                events.add(new Event(parse(r.key()), parse(r.value())));
            }
        }
        return List.copyOf(events);
    }

    /** Polls until at least {@code count} records were read. */
    List<Event> awaitCount(int count, Duration timeout) {
        return awaitEvents(e -> e.size() >= count, timeout, count + " records");
    }

    /** Whatever arrives within {@code quiet}, for checking that nothing more comes. */
    List<Event> drain(Duration quiet) {
        Instant until = Instant.now().plus(quiet);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                events.add(new Event(parse(r.key()), parse(r.value())));
            }
        }
        return List.copyOf(events);
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return ConnectRest.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
