package io.connectaws.it.mskiam;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ARNs MSK authorizes against, built from the cluster's ARN as AWS documents them
 * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html, "Authorization policy resources"):
 * {@code arn:aws:kafka:REGION:ACCOUNT:cluster/CLUSTER/UUID}, and {@code topic/}, {@code group/} and
 * {@code transactional-id/} followed by {@code CLUSTER/UUID/NAME}.
 */
record MskArns(String prefix, String cluster) {
    private static final Pattern CLUSTER_ARN =
        Pattern.compile("(arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:)cluster/([^/]+/[^/]+)");

    /** From a cluster ARN; an {@link IllegalArgumentException} shows the expected form. */
    static MskArns of(String clusterArn) {
        Matcher m = CLUSTER_ARN.matcher(clusterArn == null ? "" : clusterArn.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + clusterArn + "' is not an MSK cluster ARN "
                + "(arn:aws:kafka:REGION:ACCOUNT:cluster/CLUSTER/CLUSTER-UUID)");
        }
        return new MskArns(m.group(1), m.group(2));
    }

    /** The cluster's own ARN. */
    String clusterArn() {
        return prefix + "cluster/" + cluster;
    }

    /** The ARN of the Kafka resource {@code name} of {@code type}; the cluster's ARN for {@link ResourceType#CLUSTER}. */
    String of(ResourceType type, String name) {
        // topic/, group/, transactional-id/: the type's name in lower case with '-' for '_'
        return type == ResourceType.CLUSTER ? clusterArn()
            : prefix + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "/" + cluster + "/" + name;
    }
}
