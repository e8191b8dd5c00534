package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** IAM's evaluation of an identity-based policy: allow by a matching statement, explicit deny wins, default deny. */
class IamPolicyTest {
    private static final String TOPICS = "arn:aws:kafka:eu-west-1:123456789012:topic/c/u-1/";

    private static IamPolicy policy(String statements) {
        return IamPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");
    }

    @Test
    void aMatchingAllowStatementAllowsAndNamesItself() {
        IamPolicy p = policy("{\"Sid\":\"Write\",\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:WriteData\","
            + "\"Resource\":\"" + TOPICS + "orders\"}");
        assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "orders"))
            .isEqualTo(new IamPolicy.Decision(IamPolicy.Outcome.ALLOWED, "Write"));
        assertThat(p.evaluate("kafka-cluster:ReadData", TOPICS + "orders").outcome())
            .isEqualTo(IamPolicy.Outcome.IMPLICIT_DENY);
        assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "orders2").outcome())
            .isEqualTo(IamPolicy.Outcome.IMPLICIT_DENY);
    }

    @Test
    void nothingIsAllowedByAnEmptyPolicy() {
        assertThat(policy("").evaluate("kafka-cluster:Connect", "arn:aws:kafka:eu-west-1:1:cluster/c/u").allowed())
            .isFalse();
    }

    @Test
    void anExplicitDenyWinsWhateverTheOrder() {
        String allow = "{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:*\",\"Resource\":\"*\"}";
        String deny = "{\"Sid\":\"NoPayments\",\"Effect\":\"Deny\",\"Action\":\"kafka-cluster:ReadData\","
            + "\"Resource\":\"" + TOPICS + "payments*\"}";
        for (IamPolicy p : new IamPolicy[] {policy(allow + "," + deny), policy(deny + "," + allow)}) {
            assertThat(p.evaluate("kafka-cluster:ReadData", TOPICS + "payments.eu"))
                .isEqualTo(new IamPolicy.Decision(IamPolicy.Outcome.EXPLICIT_DENY, "NoPayments"));
            assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "payments.eu").allowed()).isTrue();
            assertThat(p.evaluate("kafka-cluster:ReadData", TOPICS + "orders").allowed()).isTrue();
        }
    }

    @Test
    void actionWildcardsMatchWithoutCaseResourcesWithCase() {
        IamPolicy p = policy("{\"Effect\":\"Allow\",\"Action\":[\"kafka-cluster:*Topic*\",\"kafka-cluster:?riteData\"],"
            + "\"Resource\":[\"" + TOPICS + "Orders-*\"]}");
        assertThat(p.evaluate("kafka-cluster:DescribeTopicDynamicConfiguration", TOPICS + "Orders-1").allowed()).isTrue();
        assertThat(p.evaluate("KAFKA-CLUSTER:createtopic", TOPICS + "Orders-1").allowed()).isTrue();
        assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "Orders-1").allowed()).isTrue();
        assertThat(p.evaluate("kafka-cluster:ReadData", TOPICS + "Orders-1").allowed()).as("not a topic action")
            .isFalse();
        assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "orders-1").allowed()).as("resource case").isFalse();
        assertThat(p.evaluate("kafka-cluster:WriteData", TOPICS + "Orders-").allowed()).as("* matches nothing too")
            .isTrue();
    }

    @Test
    void aStarSpansSlashesAndRegexCharactersAreLiteral() {
        IamPolicy p = policy("{\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:DescribeGroup\","
            + "\"Resource\":\"arn:aws:kafka:eu-west-1:123456789012:group/*\"}");
        assertThat(p.evaluate("kafka-cluster:DescribeGroup", "arn:aws:kafka:eu-west-1:123456789012:group/c/u/g.1"))
            .extracting(IamPolicy.Decision::allowed).isEqualTo(true);
        IamPolicy dots = policy("{\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:ReadData\",\"Resource\":\"" + TOPICS
            + "a.b\"}");
        assertThat(dots.evaluate("kafka-cluster:ReadData", TOPICS + "axb").allowed()).isFalse();
    }

    @Test
    void aSingleStatementObjectIsAccepted() {
        IamPolicy p = IamPolicy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:Connect\","
            + "\"Resource\":\"*\"}}");
        assertThat(p.evaluate("kafka-cluster:Connect", "arn:aws:kafka:eu-west-1:1:cluster/c/u").allowed()).isTrue();
    }

    @Test
    void whatCannotBeEvaluatedFaithfullyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\":[")).hasMessageStartingWith("the IAM policy is not JSON");
        assertThatThrownBy(() -> IamPolicy.parse("{}")).hasMessage("the IAM policy has no Statement");
        assertThatThrownBy(() -> policy("{\"Sid\":\"S\",\"Effect\":\"Allow\",\"NotAction\":\"kafka-cluster:Connect\","
            + "\"Resource\":\"*\"}")).hasMessageContaining("statement S: NotAction is not supported");
        assertThatThrownBy(() -> policy("{\"Sid\":\"C\",\"Effect\":\"Allow\",\"Action\":\"kafka-cluster:Connect\","
            + "\"Resource\":\"*\",\"Condition\":{}}")).hasMessageContaining("statement C: Condition is not supported");
        assertThatThrownBy(() -> policy("{\"Sid\":\"E\",\"Effect\":\"allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}"))
            .hasMessage("statement E: Effect must be Allow or Deny, not 'allow'");
        assertThatThrownBy(() -> policy("{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"))
            .hasMessage("statement #0 has no Action");
    }
}
