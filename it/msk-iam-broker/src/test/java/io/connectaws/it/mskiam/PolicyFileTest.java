package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file is read again after the interval when it changed; a broken edit leaves the policy in force. */
class PolicyFileTest {
    private static final String ARN = "arn:aws:kafka:eu-west-1:1:cluster/c/u";

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static String allow(String action) {
        return "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
    }

    @Test
    void changesAreReadAfterTheIntervalAndBrokenEditsAreIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, allow("kafka-cluster:Connect"));
        StepClock clock = new StepClock();
        PolicyFile policy = new PolicyFile(file, Duration.ofSeconds(1), clock);
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).isTrue();

        Files.writeString(file, allow("kafka-cluster:DescribeCluster"));
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).as("within the interval").isTrue();
        clock.now = clock.now.plusSeconds(1);
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).isFalse();
        assertThat(policy.current().evaluate("kafka-cluster:DescribeCluster", ARN).allowed()).isTrue();

        Files.writeString(file, "{\"Statement\": [");
        clock.now = clock.now.plusSeconds(5);
        assertThat(policy.current().evaluate("kafka-cluster:DescribeCluster", ARN).allowed()).isTrue();
    }

    @Test
    void aBrokenFileAtStartIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "[]");
        assertThatThrownBy(() -> new PolicyFile(file, Duration.ofSeconds(1), Clock.systemUTC()))
            .hasMessage("IAM policy file " + file + ": the IAM policy is not a JSON object");
    }
}
