package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file is read again on refresh when it changed; a broken edit leaves the policy in force. */
class PolicyFileTest {
    private static final String ARN = "arn:aws:kafka:eu-west-1:1:cluster/c/u";

    private static String allow(String action) {
        return "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
    }

    @Test
    void aChangeTakesEffectOnRefreshAndABrokenEditIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, allow("kafka-cluster:Connect"));
        PolicyFile policy = new PolicyFile(file);
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).isTrue();

        Files.writeString(file, allow("kafka-cluster:DescribeCluster"));
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).as("before refresh").isTrue();
        String before = policy.fingerprint();
        policy.refresh();
        assertThat(policy.current().evaluate("kafka-cluster:Connect", ARN).allowed()).isFalse();
        assertThat(policy.fingerprint()).isNotEqualTo(before).hasSize(12)
            .isEqualTo(PolicyFile.fingerprint(allow("kafka-cluster:DescribeCluster")));
        assertThat(policy.current().evaluate("kafka-cluster:DescribeCluster", ARN).allowed()).isTrue();

        Files.writeString(file, "{\"Statement\": [");
        policy.refresh();
        assertThat(policy.current().evaluate("kafka-cluster:DescribeCluster", ARN).allowed()).isTrue();
        Files.delete(file);
        policy.refresh();
        assertThat(policy.current().evaluate("kafka-cluster:DescribeCluster", ARN).allowed()).isTrue();
    }

    @Test
    void aBrokenFileAtStartIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "[]");
        assertThatThrownBy(() -> new PolicyFile(file))
            .hasMessage("IAM policy file " + file + ": the IAM policy is not a JSON object");
    }
}
