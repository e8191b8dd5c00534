package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/** The shipped log4j2 configuration loads without status errors and logs INFO to stdout. */
class LoggingConfigTest {

    @Test
    void loadsWithAStdoutConsoleAppender() throws Exception {
        URI uri = LoggingConfigTest.class.getResource("/connect-aws/config/log4j2.properties").toURI();
        try (LoggerContext context = Configurator.initialize("test", null, uri)) {
            Configuration configuration = context.getConfiguration();
            assertThat(configuration.getName()).isEqualTo("connect-aws");
            assertThat(configuration.getRootLogger().getLevel()).isEqualTo(Level.INFO);
            ConsoleAppender stdout = configuration.getAppender("STDOUT");
            assertThat(stdout).isNotNull();
            assertThat(stdout.getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_OUT);
        }
    }
}
