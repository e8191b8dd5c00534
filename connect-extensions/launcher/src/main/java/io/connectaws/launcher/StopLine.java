package io.connectaws.launcher;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.logging.LogSettings;

/**
 * The one line that says why the worker could not start or stopped ({@code connect-aws: cannot start: ...}), in the
 * log's format: as text, or, with {@code CONNECT_AWS_LOG_FORMAT=json}, as one JSON object with the fields of the
 * image's JSON layout, so that every line the container writes parses as JSON in CloudWatch Logs Insights.
 * Once the log has begun the launcher writes it on standard output, the log's own stream, so that it is the last line
 * there (Docker and the awslogs driver read stdout and stderr through two pipes and may show lines written
 * milliseconds apart in either order); before, on standard error.
 */
final class StopLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JSON layout's timestamp: always three digits of milliseconds, UTC. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LogSettings.Format format;

    StopLine(LogSettings.Format format) {
        this.format = format;
    }

    /** The line for {@code what} ("cannot start", "stopped") and its reason. */
    String line(String what, String message, Instant at) {
        String text = "connect-aws: " + what + ": " + message;
        if (format != LogSettings.Format.JSON) {
            return text;
        }
        Map<String, String> event = new LinkedHashMap<>();
        event.put("@timestamp", TIMESTAMP.format(at));
        event.put("level", "ERROR");
        event.put("message", text);
        event.put("logger", ConnectLauncher.class.getName());
        event.put("thread", Thread.currentThread().getName());
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /** Writes the line to {@code out} and flushes, after flushing what the log wrote before it. */
    void print(PrintStream out, String what, String message) {
        System.out.flush();
        out.println(line(what, message, Instant.now()));
        out.flush();
    }
}
