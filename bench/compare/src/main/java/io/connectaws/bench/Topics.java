package io.connectaws.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The broker seen from the harness: topics made ahead (so no measurement includes topic creation), end offsets
 * polled cheaply while a connector runs, and records read back afterwards for their append times.
 */
final class Topics implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    Topics(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        admin = Admin.create(props);
    }

    /** Creates single-partition topics that do not exist yet. */
    void create(Collection<String> names) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, 1, (short) 1)).toList();
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating topic " + entry.getKey() + ": " + e.getCause(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** End offset of partition 0 of {@code topic}; 0 when it does not exist (yet). */
    long end(String topic) {
        return ends(List.of(topic)).getOrDefault(topic, 0L);
    }

    /** End offsets of partition 0 of each topic that exists. */
    Map<String, Long> ends(Collection<String> topics) {
        Map<TopicPartition, OffsetSpec> specs = topics.stream()
                .collect(Collectors.toMap(t -> new TopicPartition(t, 0), t -> OffsetSpec.latest()));
        Map<String, Long> ends = new HashMap<>();
        var result = admin.listOffsets(specs);
        for (TopicPartition partition : specs.keySet()) {
            try {
                ends.put(partition.topic(), result.partitionResult(partition).get().offset());
            } catch (ExecutionException absent) {
                // not created yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return ends;
    }

    /** Hands the first {@code count} records of {@code topic} (append time, value bytes) to {@code each}, in order. */
    void read(String topic, long count, BiConsumer<Long, byte[]> each) {
        records(topic, count, r -> each.accept(r.timestamp(), r.value() == null ? new byte[0] : r.value()));
    }

    /** Hands the first {@code count} records of {@code topic} to {@code each}, in order. */
    void records(String topic, long count, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("max.poll.records", "5000");
        props.put("fetch.max.bytes", Integer.toString(64 << 20));
        props.put("max.partition.fetch.bytes", Integer.toString(16 << 20));
        TopicPartition partition = new TopicPartition(topic, 0);
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read only " + seen + " of " + count + " records from " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (seen++ < count) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /** Bytes on disk of partition 0 of {@code topic}, summed over the brokers' log directories. */
    long logSize(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            long size = 0;
            for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (var dir : dirs.values()) {
                    var replica = dir.replicaInfos().get(partition);
                    size += replica == null ? 0 : replica.size();
                }
            }
            return size;
        } catch (ExecutionException e) {
            throw new IllegalStateException("log size of " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
