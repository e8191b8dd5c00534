package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    @AfterEach
    void resetLevels() {
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }

    @Test
    void nothingSetIsTextAndTheConfigFilesLevels() {
        LogSettings settings = LogSettings.fromEnvironment(Map.of());
        assertThat(settings.format()).isEqualTo(LogSettings.Format.TEXT);
        assertThat(settings.rootLevel()).isEmpty();
        assertThat(settings.loggerLevels()).isEmpty();
        assertThat(settings).hasToString("format text, root level from log4j2.properties");
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_AWS_LOG_FORMAT", " ", "LOG_LEVEL", "",
                "CONNECT_LOG4J_LOGGERS", "")).format()).isEqualTo(LogSettings.Format.TEXT);
    }

    @Test
    void formatsInAnyCase() {
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_AWS_LOG_FORMAT", "json")).format())
                .isEqualTo(LogSettings.Format.JSON);
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_AWS_LOG_FORMAT", "JSON")).format())
                .isEqualTo(LogSettings.Format.JSON);
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_AWS_LOG_FORMAT", "Text")).format())
                .isEqualTo(LogSettings.Format.TEXT);
    }

    @Test
    void unknownFormat() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_AWS_LOG_FORMAT", "ecs")))
                .withMessage("CONNECT_AWS_LOG_FORMAT=ecs is not a log format: use text (the default) or json");
    }

    @Test
    void rootLevelFromEitherImagesVariable() {
        LogSettings debezium = LogSettings.fromEnvironment(Map.of("LOG_LEVEL", "debug"));
        assertThat(debezium.rootLevel()).contains(Level.DEBUG);
        assertThat(debezium).hasToString("format text, root level DEBUG (LOG_LEVEL)");
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_ROOT_LOGLEVEL", "WARN")).rootLevel())
                .contains(Level.WARN);
        assertThat(LogSettings.fromEnvironment(Map.of("LOG_LEVEL", "warn", "CONNECT_LOG4J_ROOT_LOGLEVEL", "WARN"))
                .rootLevel()).contains(Level.WARN);
    }

    @Test
    void unknownOrConflictingRootLevel() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("LOG_LEVEL", "VERBOSE")))
                .withMessage("LOG_LEVEL=VERBOSE is not a log level: use OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_ROOT_LOGLEVEL", "WARNING")))
                .withMessage("CONNECT_LOG4J_ROOT_LOGLEVEL=WARNING is not a log level: "
                        + "use OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("LOG_LEVEL", "DEBUG", "CONNECT_LOG4J_ROOT_LOGLEVEL", "INFO")))
                .withMessage("LOG_LEVEL=DEBUG and CONNECT_LOG4J_ROOT_LOGLEVEL=INFO set different root log levels: set one of them");
    }

    @Test
    void loggerList() {
        LogSettings settings = LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS",
                " org.apache.kafka.connect.runtime.rest = WARN , io.debezium=debug,"));
        assertThat(settings.loggerLevels()).containsExactly(
                Map.entry("org.apache.kafka.connect.runtime.rest", Level.WARN), Map.entry("io.debezium", Level.DEBUG));
        assertThat(settings).hasToString(
                "format text, root level from log4j2.properties, loggers org.apache.kafka.connect.runtime.rest=WARN,io.debezium=DEBUG");
    }

    @Test
    void debeziumsRootLoggerFormIsARootLevel() {
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "DEBUG, stdout")).rootLevel()).contains(Level.DEBUG);
        assertThat(LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "warn", "LOG_LEVEL", "WARN")).rootLevel())
                .contains(Level.WARN);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "DEBUG, stdout", "LOG_LEVEL", "INFO")))
                .withMessage("LOG_LEVEL=INFO and CONNECT_LOG4J_LOGGERS=DEBUG, stdout set different root log levels: set one of them");
    }

    @Test
    void malformedLoggerList() {
        String usage = "which is not logger.name=LEVEL: use comma-separated pairs such as "
                + "org.apache.kafka.connect.runtime.rest=WARN,io.debezium=DEBUG";
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "io.debezium")))
                .withMessage("CONNECT_LOG4J_LOGGERS=io.debezium has \"io.debezium\", " + usage);
        for (String bad : new String[] {"=DEBUG", "io.debezium=", "a=b=DEBUG", "io debezium=DEBUG", "io.debezium:DEBUG"}) {
            assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "org.x=INFO," + bad)))
                    .withMessage("CONNECT_LOG4J_LOGGERS=org.x=INFO," + bad + " has \"" + bad + "\", " + usage);
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "io.debezium=LOUD")))
                .withMessage("CONNECT_LOG4J_LOGGERS=io.debezium=LOUD has \"io.debezium=LOUD\": LOUD is not a log level: "
                        + "use OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSettings.fromEnvironment(Map.of("CONNECT_LOG4J_LOGGERS", "a=INFO,a=DEBUG")))
                .withMessage("CONNECT_LOG4J_LOGGERS=a=INFO,a=DEBUG sets a to both INFO and DEBUG: keep one");
    }

    @Test
    void applySetsTheRootAndTheListedLoggers() {
        Configurator.setLevel("io.connectaws.test.quiet", Level.ERROR); // a logger the configuration sets explicitly
        LogSettings.fromEnvironment(Map.of("LOG_LEVEL", "TRACE",
                "CONNECT_LOG4J_LOGGERS", "io.debezium=WARN,io.connectaws.test.quiet=INFO")).apply();

        assertThat(LogManager.getRootLogger().getLevel()).isEqualTo(Level.TRACE);
        assertThat(LogManager.getLogger("org.apache.kafka.connect.runtime.Worker").getLevel()).isEqualTo(Level.TRACE);
        assertThat(LogManager.getLogger("io.debezium").getLevel()).isEqualTo(Level.WARN);
        assertThat(LogManager.getLogger("io.debezium.connector.postgresql.PostgresConnectorTask").getLevel())
                .isEqualTo(Level.WARN);
        assertThat(LogManager.getLogger("io.connectaws.test.quiet").getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void applyWithNothingSetChangesNothing() {
        Level before = LogManager.getRootLogger().getLevel();
        LogSettings.fromEnvironment(Map.of()).apply();
        assertThat(LogManager.getRootLogger().getLevel()).isEqualTo(before);
    }
}
