package io.connectaws.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a change-event topic from the beginning and counts the records of each row id (the key's {@code id}), as a
 * consumer with the given isolation level sees them: {@code read_committed} is what an exactly-once consumer sets.
 */
final class KeyCounter implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final KafkaConsumer<String, String> consumer;
    private final Map<Integer, Integer> counts = new HashMap<>();
    private int records;

    KeyCounter(String bootstrapServers, String topic, boolean readCommitted) {
        consumer = TopicReader.fromTheBeginning(bootstrapServers, topic,
                readCommitted ? "read_committed" : "read_uncommitted");
    }

    /** Reads until every id of {@code expected} was seen, then for {@code quiet} more; fails naming what is missing. */
    KeyCounter readAll(Set<Integer> expected, Duration timeout, Duration quiet) {
        Instant deadline = Instant.now().plus(timeout);
        while (!counts.keySet().containsAll(expected)) {
            if (Instant.now().isAfter(deadline)) {
                fail("after " + timeout + " " + missing(expected).size() + " of " + expected.size() + " rows are not in "
                        + "Kafka (first: " + missing(expected).stream().sorted().limit(10).toList() + ")");
            }
            poll(Duration.ofMillis(500));
        }
        Instant until = Instant.now().plus(quiet);
        while (Instant.now().isBefore(until)) {
            poll(Duration.ofMillis(250));
        }
        return this;
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            if (r.value() == null) {
                continue; // a tombstone: these tables see inserts only
            }
            Matcher m = ID.matcher(r.key());
            if (!m.find()) {
                fail("a record without an id in its key: " + r.key());
            }
            counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            records++;
        }
    }

    /** Ids of {@code expected} never read. */
    Set<Integer> missing(Set<Integer> expected) {
        Set<Integer> missing = new java.util.TreeSet<>(expected);
        missing.removeAll(counts.keySet());
        return missing;
    }

    /** Records read beyond the first of each id. */
    int duplicates() {
        return records - counts.size();
    }

    /** Ids read that the table does not hold. */
    Set<Integer> unexpected(Set<Integer> expected) {
        Set<Integer> extra = new java.util.TreeSet<>(counts.keySet());
        extra.removeAll(expected);
        return extra;
    }

    int records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
