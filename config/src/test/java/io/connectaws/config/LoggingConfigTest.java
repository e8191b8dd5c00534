package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
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
            for (String name : new String[] {"text", "json"}) { // CONNECT_AWS_LOG_FORMAT's values
                ConsoleAppender stdout = configuration.getAppender(name);
                assertThat(stdout).as(name).isNotNull();
                assertThat(stdout.getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_OUT);
            }
            assertThat(configuration.getAppender("json").getLayout()).isInstanceOf(JsonTemplateLayout.class);
            // the text format as it was before the JSON switch
            assertThat(((PatternLayout) configuration.getAppender("text").getLayout()).getConversionPattern())
                    .isEqualTo("[%d{ISO8601}] %p %X{connector.context}%m (%c{1})%n");
            // CONNECT_AWS_LOG_FORMAT and connect.aws.log.format are not set in this JVM
            assertThat(configuration.getRootLogger().getAppenders()).containsOnlyKeys("text");
        }
    }

    @Test
    void healthCheckRequestLinesAreDroppedAndOtherRequestsKept() throws Exception {
        URI uri = LoggingConfigTest.class.getResource("/connect-aws/config/log4j2.properties").toURI();
        try (LoggerContext context = Configurator.initialize("filter-test", null, uri)) {
            var rest = context.getConfiguration().getLoggerConfig("org.apache.kafka.connect.runtime.rest.RestServer");
            Filter filter = rest.getFilter();
            assertThat(filter).isNotNull();
            String line = "127.0.0.1 - - [21/Nov/2026:10:00:00 +0000] \"%s HTTP/1.1\" 200 120 \"-\" \"Java-http-client/21\" 4";
            for (String request : new String[] {"GET /health", "GET /health/live", "GET /health/ready", "HEAD /health/live"}) {
                assertThat(filter.filter(event(line.formatted(request)))).as(request).isEqualTo(Filter.Result.DENY);
            }
            for (String request : new String[] {"GET /connectors", "POST /connectors/orders/restart", "GET /health/livez"}) {
                assertThat(filter.filter(event(line.formatted(request)))).as(request).isEqualTo(Filter.Result.NEUTRAL);
            }
        }
    }

    private static org.apache.logging.log4j.core.LogEvent event(String message) {
        return org.apache.logging.log4j.core.impl.Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.kafka.connect.runtime.rest.RestServer").setLevel(Level.INFO)
                .setMessage(new org.apache.logging.log4j.message.SimpleMessage(message)).build();
    }
}
