package io.connectaws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

class ErrorCaptureTest {

    @Test
    void theFirstErrorWithAnExceptionUnderThePrefixIsKept() {
        ErrorCapture capture = ErrorCapture.attach("org.apache.kafka.connect.cli");
        IllegalStateException first = new IllegalStateException("first");
        LogManager.getLogger("org.apache.kafka.connect.cli.Other").warn("a warning", new IllegalStateException("warn"));
        LogManager.getLogger("org.apache.kafka.connect.runtime.Worker").error("elsewhere", new IllegalStateException("x"));
        LogManager.getLogger("org.apache.kafka.connect.cli.AbstractConnectCli").error("no exception");
        assertThat(capture.first()).isNull();
        LogManager.getLogger("org.apache.kafka.connect.cli.AbstractConnectCli").error("Failed to start Connect", first);
        LogManager.getLogger("org.apache.kafka.connect.cli.AbstractConnectCli").error("later", new IllegalStateException("2"));
        assertThat(capture.first()).isSameAs(first);
    }
}
