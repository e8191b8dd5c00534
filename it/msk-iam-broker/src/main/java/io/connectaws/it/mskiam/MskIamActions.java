package io.connectaws.it.mskiam;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The IAM action MSK checks for each Kafka ACL operation on a resource type, from the "Equivalent to Apache Kafka's
 * ... ACL" descriptions of AWS's table, "Semantics of IAM authorization policy actions and resources"
 * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html). One action per operation, with no
 * implication between them: unlike Kafka's own authorizers, WRITE does not imply DESCRIBE; the table lists such pairs
 * as "Required actions" a policy must grant as well. Operations the table has no action for (CLUSTER_ACTION, the
 * delegation-token and user operations, group configurations) have none here, so IAM principals are refused them.
 */
final class MskIamActions {
    private static final String PREFIX = "kafka-cluster:";
    private static final Map<ResourceType, Map<AclOperation, String>> TABLE = Map.of(
        CLUSTER, Map.of(
            DESCRIBE, "DescribeCluster",
            ALTER, "AlterCluster",
            DESCRIBE_CONFIGS, "DescribeClusterDynamicConfiguration",
            ALTER_CONFIGS, "AlterClusterDynamicConfiguration",
            IDEMPOTENT_WRITE, "WriteDataIdempotently",
            // "CREATE CLUSTER/TOPIC": Kafka asks CREATE on the cluster first and per topic when that is refused
            CREATE, "CreateTopic"),
        TOPIC, Map.of(
            CREATE, "CreateTopic",
            DESCRIBE, "DescribeTopic",
            ALTER, "AlterTopic",
            DELETE, "DeleteTopic",
            DESCRIBE_CONFIGS, "DescribeTopicDynamicConfiguration",
            ALTER_CONFIGS, "AlterTopicDynamicConfiguration",
            READ, "ReadData",
            WRITE, "WriteData"),
        GROUP, Map.of(
            DESCRIBE, "DescribeGroup",
            READ, "AlterGroup",
            DELETE, "DeleteGroup"),
        TRANSACTIONAL_ID, Map.of(
            DESCRIBE, "DescribeTransactionalId",
            WRITE, "AlterTransactionalId"));

    /** Checked by MSK when a client authenticates (the signed SASL payload's action), on the cluster ARN. */
    static final String CONNECT = PREFIX + "Connect";

    private MskIamActions() {
    }

    /** The IAM action for {@code operation} on a resource of {@code type}, e.g. {@code kafka-cluster:ReadData}. */
    static Optional<String> of(AclOperation operation, ResourceType type) {
        String action = TABLE.getOrDefault(type, Map.of()).get(operation);
        return Optional.ofNullable(action).map(a -> PREFIX + a);
    }
}
