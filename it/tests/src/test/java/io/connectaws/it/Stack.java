package io.connectaws.it;

import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;

/**
 * One Docker network and one KRaft broker shared by every test class of the run (started on first
 * use, stopped when the JVM exits). Ryuk is off here, so this class removes what it started.
 */
final class Stack {

    /** The broker's listener for containers on the network. */
    static final String KAFKA_INTERNAL = "kafka:19092";

    private static Network network;
    private static KafkaContainer kafka;

    private Stack() {
    }

    static synchronized Network network() {
        if (network == null) {
            network = Network.newNetwork();
            Runtime.getRuntime().addShutdownHook(new Thread(Stack::stopAll, "stack-cleanup"));
        }
        return network;
    }

    static synchronized KafkaContainer kafka() {
        if (kafka == null) {
            KafkaContainer broker = new KafkaContainer(Images.kafka())
                    .withNetwork(network())
                    .withNetworkAliases("kafka")
                    .withListener(KAFKA_INTERNAL)
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            broker.start();
            kafka = broker;
        }
        return kafka;
    }

    /** Stops (and removes) the given containers of one test class, skipping those never created. */
    static void stop(Startable... containers) {
        for (Startable container : containers) {
            if (container != null) {
                container.stop();
            }
        }
    }

    private static synchronized void stopAll() {
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }
}
