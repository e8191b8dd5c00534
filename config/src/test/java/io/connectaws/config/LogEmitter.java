package io.connectaws.config;

import java.io.IOException;
import java.util.Arrays;

import io.connectaws.logging.LogSettings;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.apache.kafka.connect.util.LoggingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a child JVM by {@link LoggingOutputTest}, the way the image runs the worker: log4j configured by
 * -Dlog4j2.configurationFile, the format by the environment, events logged through SLF4J with Connect's own
 * LoggingContext setting the MDC. Writes {@link #EVENTS} events at INFO (one is dropped by the health filter, two are
 * below their logger's level), plus one DEBUG event.
 */
public final class LogEmitter {

    /** Events written with the shipped file's levels. */
    static final int EVENTS = 7;

    static final String HEALTH_REQUEST =
            "127.0.0.1 - - [21/Nov/2026:10:00:00 +0000] \"GET /health/live HTTP/1.1\" 200 120 \"-\" \"Java-http-client/21\" 4";
    static final String OTHER_REQUEST =
            "10.0.1.7 - - [21/Nov/2026:10:00:01 +0000] \"GET /connectors HTTP/1.1\" 200 12 \"-\" \"curl/8.5.0\" 9";

    private LogEmitter() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--apply-levels")) {
            LogSettings.fromEnvironment(System.getenv()).apply(); // as the launcher does
        }
        Logger log = LoggerFactory.getLogger(LogEmitter.class);
        log.info("Kafka Connect worker initializing");
        try (LoggingContext context = LoggingContext.forConnector("orders-cdc")) {
            log.info("Starting connector orders-cdc");
        }
        try (LoggingContext context = LoggingContext.forTask(new ConnectorTaskId("orders-cdc", 0))) {
            log.info("Executing source task");
            log.error("Task threw an uncaught and unrecoverable exception",
                    new ConnectException("snapshot failed", new IOException("connection reset")));
        }
        try (LoggingContext context = LoggingContext.forOffsets(new ConnectorTaskId("orders-cdc", 3))) {
            log.info("Committing offsets for 42 acknowledged messages");
        }
        log.info("Worker configuration:\n  group.id=connect-cdc\n  note=\"quoted\"");
        Logger rest = LoggerFactory.getLogger("org.apache.kafka.connect.runtime.rest.RestServer");
        rest.info(HEALTH_REQUEST);
        rest.info(OTHER_REQUEST);
        LoggerFactory.getLogger("org.reflections.Reflections").warn("could not get type for name");
        log.debug("debug detail");
    }
}
