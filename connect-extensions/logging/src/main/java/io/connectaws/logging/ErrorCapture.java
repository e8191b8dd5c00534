package io.connectaws.logging;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Remembers the first exception logged at ERROR by loggers under one name, so that a caller that cannot catch it (Kafka
 * Connect logs a failed start, stops and exits on its own) can still say in one line what went wrong. Writes nothing.
 */
public final class ErrorCapture {

    private final AtomicReference<Throwable> first = new AtomicReference<>();

    private ErrorCapture() {
    }

    /** Attaches a capture for loggers whose names start with one of {@code loggerPrefixes} to the running configuration. */
    public static ErrorCapture attach(String... loggerPrefixes) {
        ErrorCapture capture = new ErrorCapture();
        Appender appender = new Appender(java.util.List.of(loggerPrefixes), capture.first);
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().addAppender(appender, Level.ERROR, null);
        context.updateLoggers();
        return capture;
    }

    /** The first exception captured, or null. */
    public Throwable first() {
        return first.get();
    }

    private static final class Appender extends AbstractAppender {
        private final java.util.List<String> loggerPrefixes;
        private final AtomicReference<Throwable> first;

        Appender(java.util.List<String> loggerPrefixes, AtomicReference<Throwable> first) {
            super("connect-aws-error-capture", null, null, true, Property.EMPTY_ARRAY);
            this.loggerPrefixes = loggerPrefixes;
            this.first = first;
        }

        @Override
        public void append(LogEvent event) {
            if (event.getThrown() != null && event.getLevel().isMoreSpecificThan(Level.ERROR)
                    && event.getLoggerName() != null && loggerPrefixes.stream().anyMatch(event.getLoggerName()::startsWith)) {
                first.compareAndSet(null, event.getThrown());
            }
        }
    }
}
