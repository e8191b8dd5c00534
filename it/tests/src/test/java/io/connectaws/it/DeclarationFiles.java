package io.connectaws.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A host directory of declaration files, bind-mounted read-only at {@code /opt/connect/connectors} the way a task
 * definition mounts a volume (directory 0755, files 0644, the worker's uid 10001 only reads them), edited the way an
 * operator or a config agent edits it: a new version written beside the file under a dot-name, then renamed over it.
 * Also the reads the declaration tests share: a group's config topic and a worker's {@code GET /declarations}.
 */
final class DeclarationFiles implements AutoCloseable {
    static final String DIR_IN_IMAGE = "/opt/connect/connectors";

    private final Path dir;

    DeclarationFiles(String prefix) {
        try {
            dir = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Mounts the directory read-only where the image reads declarations. The bind is set on the create command itself:
     * Testcontainers' withFileSystemBind first probes file mounting with an alpine container, which cannot be pulled
     * here (it waits two minutes per container for the pull, then mounts anyway).
     */
    ConnectWorker mountOn(ConnectWorker worker) {
        return worker.withCreateContainerCmdModifier(cmd -> {
            HostConfig host = cmd.getHostConfig();
            List<Bind> binds = new ArrayList<>(host.getBinds() == null ? List.of() : Arrays.asList(host.getBinds()));
            binds.add(new Bind(dir.toString(), new Volume(DIR_IN_IMAGE), AccessMode.ro));
            host.withBinds(binds);
        });
    }

    /** Writes (or replaces) a file atomically: the worker never reads half of it. */
    void write(String name, String text) {
        try {
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void remove(String name) {
        try {
            Files.delete(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the file is as the worker names it in messages ({@code file:/opt/connect/connectors/NAME}). */
    static String id(String name) {
        return "file:" + DIR_IN_IMAGE + "/" + name;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }

    /** A config map as the YAML block of a declaration, each value quoted, indented by {@code indent} spaces. */
    static String yaml(Map<String, String> config, int indent) {
        StringBuilder out = new StringBuilder();
        config.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.append(" ".repeat(indent))
                .append(e.getKey()).append(": \"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n"));
        return out.toString();
    }

    /** A config map as JSON. */
    static String json(Object value) {
        try {
            return ConnectRest.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every key of a Connect group's config topic, from its start to its current end, in order: {@code connector-NAME}
     * is written once per create or config update, so counting it tells how often a connector's config was written.
     */
    static List<String> configTopicKeys(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0); // Connect's config topic has exactly one partition
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.kafka().getBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> keys = new ArrayList<>();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(r.key());
                }
            }
            return keys;
        }
    }

    /** How many records {@code connector-NAME} the config topic holds. */
    static long configWrites(String topic, String connector) {
        return configTopicKeys(topic).stream().filter(("connector-" + connector)::equals).count();
    }

    /** The worker's {@code GET /declarations}, or null while it does not answer 200. */
    static JsonNode report(ConnectRest rest) {
        try {
            ConnectRest.Reply r = rest.get("/declarations");
            return r.status() == 200 ? r.body() : null;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The report's entry for {@code connector}, or a missing node. */
    static JsonNode entry(JsonNode report, String connector) {
        if (report != null) {
            for (JsonNode c : report.path("connectors")) {
                if (connector.equals(c.path("name").asText())) {
                    return c;
                }
            }
        }
        return ConnectRest.JSON.missingNode();
    }

    /** The report's outcome for {@code connector} ({@code applied}, {@code unchanged}, ...), or "" when not listed. */
    static String outcome(JsonNode report, String connector) {
        return entry(report, connector).path("outcome").asText("");
    }
}
