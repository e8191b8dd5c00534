package io.connectaws.it.mskiam;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * Kafka operations to MSK actions, row by row from AWS's table (kafka-actions.html), and the ARNs MSK builds for each
 * resource type.
 */
class MskIamActionsTest {

    private static String action(AclOperation op, ResourceType type) {
        return MskIamActions.of(op, type).orElse(null);
    }

    @Test
    void everyPublishedActionHasItsKafkaOperation() {
        assertThat(action(AclOperation.DESCRIBE, ResourceType.CLUSTER)).isEqualTo("kafka-cluster:DescribeCluster");
        assertThat(action(AclOperation.ALTER, ResourceType.CLUSTER)).isEqualTo("kafka-cluster:AlterCluster");
        assertThat(action(AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER))
            .isEqualTo("kafka-cluster:DescribeClusterDynamicConfiguration");
        assertThat(action(AclOperation.ALTER_CONFIGS, ResourceType.CLUSTER))
            .isEqualTo("kafka-cluster:AlterClusterDynamicConfiguration");
        assertThat(action(AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER))
            .isEqualTo("kafka-cluster:WriteDataIdempotently");
        assertThat(action(AclOperation.CREATE, ResourceType.CLUSTER)).isEqualTo("kafka-cluster:CreateTopic");
        assertThat(action(AclOperation.CREATE, ResourceType.TOPIC)).isEqualTo("kafka-cluster:CreateTopic");
        assertThat(action(AclOperation.DESCRIBE, ResourceType.TOPIC)).isEqualTo("kafka-cluster:DescribeTopic");
        assertThat(action(AclOperation.ALTER, ResourceType.TOPIC)).isEqualTo("kafka-cluster:AlterTopic");
        assertThat(action(AclOperation.DELETE, ResourceType.TOPIC)).isEqualTo("kafka-cluster:DeleteTopic");
        assertThat(action(AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC))
            .isEqualTo("kafka-cluster:DescribeTopicDynamicConfiguration");
        assertThat(action(AclOperation.ALTER_CONFIGS, ResourceType.TOPIC))
            .isEqualTo("kafka-cluster:AlterTopicDynamicConfiguration");
        assertThat(action(AclOperation.READ, ResourceType.TOPIC)).isEqualTo("kafka-cluster:ReadData");
        assertThat(action(AclOperation.WRITE, ResourceType.TOPIC)).isEqualTo("kafka-cluster:WriteData");
        assertThat(action(AclOperation.DESCRIBE, ResourceType.GROUP)).isEqualTo("kafka-cluster:DescribeGroup");
        assertThat(action(AclOperation.READ, ResourceType.GROUP)).isEqualTo("kafka-cluster:AlterGroup");
        assertThat(action(AclOperation.DELETE, ResourceType.GROUP)).isEqualTo("kafka-cluster:DeleteGroup");
        assertThat(action(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID))
            .isEqualTo("kafka-cluster:DescribeTransactionalId");
        assertThat(action(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID))
            .isEqualTo("kafka-cluster:AlterTransactionalId");
    }

    @Test
    void operationsWithoutAPublishedActionHaveNone() {
        assertThat(MskIamActions.of(AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER)).isEmpty();
        assertThat(MskIamActions.of(AclOperation.WRITE, ResourceType.GROUP)).isEmpty();
        assertThat(MskIamActions.of(AclOperation.READ, ResourceType.TRANSACTIONAL_ID)).isEmpty();
        assertThat(MskIamActions.of(AclOperation.DESCRIBE_TOKENS, ResourceType.DELEGATION_TOKEN)).isEmpty();
        assertThat(MskIamActions.of(AclOperation.ALTER_CONFIGS, ResourceType.GROUP)).isEmpty();
    }

    @Test
    void arnsAreBuiltFromTheClusterArnAsMskBuildsThem() {
        MskArns arns = MskArns.of("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abcd-1234-1");
        assertThat(arns.of(ResourceType.CLUSTER, "kafka-cluster"))
            .isEqualTo("arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abcd-1234-1");
        assertThat(arns.of(ResourceType.TOPIC, "cdc.inventory.customers"))
            .isEqualTo("arn:aws:kafka:eu-west-1:123456789012:topic/orders/abcd-1234-1/cdc.inventory.customers");
        assertThat(arns.of(ResourceType.GROUP, "connect-orders"))
            .isEqualTo("arn:aws:kafka:eu-west-1:123456789012:group/orders/abcd-1234-1/connect-orders");
        assertThat(arns.of(ResourceType.TRANSACTIONAL_ID, "connect-cluster-orders"))
            .isEqualTo("arn:aws:kafka:eu-west-1:123456789012:transactional-id/orders/abcd-1234-1/connect-cluster-orders");
    }

    @Test
    void aClusterArnOfAnotherShapeIsRefusedShowingTheShape() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MskArns.of("arn:aws:kafka:eu-west-1:1:topic/a/b/c"))
            .hasMessageContaining("is not an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/CLUSTER/CLUSTER-UUID)");
    }
}
