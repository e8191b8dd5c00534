package io.connectaws.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Refuses, before Connect starts, a replication factor for a storage topic that does not exist yet and that the
 * cluster has too few brokers to create. Connect itself would retry creating it forever and log only INFO lines
 * ("target replication factor of 3 cannot be reached"). Factors of -1 (the brokers' default) and 1 need no check, so
 * the image's default costs no round trip.
 */
final class ReplicationFactorCheck {

    /** What the check needs to know of the cluster. */
    interface Cluster {
        /** How many brokers the cluster has. */
        int brokers() throws Exception;

        /** Which of {@code topics} exist. */
        Set<String> existing(Collection<String> topics) throws Exception;
    }

    private ReplicationFactorCheck() {
    }

    /** The factor keys above 1, by the topic key they belong to. */
    static Map<String, Integer> asked(Map<String, String> properties) {
        Map<String, Integer> asked = new HashMap<>();
        for (String topicKey : WorkerConfiguration.STORAGE_TOPICS.keySet()) {
            String factorKey = topicKey.replace(".topic", ".replication.factor");
            String value = properties.get(factorKey);
            try {
                int factor = value == null ? -1 : Integer.parseInt(value.trim());
                if (factor > 1) {
                    asked.put(topicKey, factor);
                }
            } catch (NumberFormatException e) {
                // Connect refuses it with its own message
            }
        }
        return asked;
    }

    /**
     * @throws LauncherException naming each variable whose factor the cluster cannot meet for a topic it has not got
     */
    static void check(Map<String, String> properties, java.util.function.Function<String, String> originOf,
                      Cluster cluster) throws Exception {
        Map<String, Integer> asked = asked(properties);
        if (asked.isEmpty()) {
            return;
        }
        int brokers = cluster.brokers();
        List<String> tooHigh = new ArrayList<>();
        Set<String> existing = cluster.existing(asked.keySet().stream().map(properties::get).toList());
        int max = 0;
        for (String topicKey : WorkerConfiguration.STORAGE_TOPICS.keySet()) {
            Integer factor = asked.get(topicKey);
            if (factor != null && factor > brokers && !existing.contains(properties.get(topicKey))) {
                String factorKey = topicKey.replace(".topic", ".replication.factor");
                String origin = originOf.apply(factorKey);
                tooHigh.add((origin == null || origin.equals("profile") ? factorKey + " (worker profile)" : origin)
                        + "=" + factor + " for topic " + properties.get(topicKey));
                max = Math.max(max, factor);
            }
        }
        if (!tooHigh.isEmpty()) {
            throw new LauncherException(String.join(", ", tooHigh) + ": the Kafka cluster at "
                    + properties.get("bootstrap.servers") + " has " + brokers + (brokers == 1 ? " broker" : " brokers")
                    + ", fewer than " + max + " copies need. Set " + (tooHigh.size() == 1 ? "it" : "them") + " to at most "
                    + brokers + ", or remove " + (tooHigh.size() == 1 ? "it" : "them") + " for the image's default -1 "
                    + "(the brokers' default.replication.factor)");
        }
    }

    /**
     * The check against the real cluster, with the worker's own client settings: two requests of at most
     * {@code timeout} each. A cluster that cannot be asked (unreachable, refused, client settings Kafka refuses, or
     * settings with config provider references, which only the worker can resolve: SCRAM's password) is not judged
     * here, and the reason is returned for the log.
     *
     * @return why the check was skipped, or null when it ran
     */
    static String run(Map<String, String> properties, java.util.function.Function<String, String> originOf,
                      Duration timeout) {
        if (asked(properties).isEmpty()) {
            return null;
        }
        Map<String, Object> admin = new HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        properties.forEach((key, value) -> {
            if (known.contains(key)) {
                admin.put(key, value);
            }
        });
        properties.forEach((key, value) -> {
            if (key.startsWith("admin.") && known.contains(key.substring(6))) {
                admin.put(key.substring(6), value);
            }
        });
        if (admin.values().stream().anyMatch(v -> String.valueOf(v).contains("${"))) {
            return "the worker's Kafka settings hold config provider references";
        }
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "connect-aws-launcher");
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin client;
        try {
            client = Admin.create(admin);
        } catch (RuntimeException refused) {
            // the class only: a message about client settings may quote them (a literal JAAS password)
            return "the worker's Kafka client settings were refused by the admin client ("
                    + refused.getClass().getSimpleName() + "; Connect reports them in full)";
        }
        try {
            Admin cluster = client;
            check(properties, originOf, new Cluster() {
                @Override
                public int brokers() throws Exception {
                    return cluster.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
                }

                @Override
                public Set<String> existing(Collection<String> topics) throws Exception {
                    Set<String> all = cluster.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    Set<String> found = new TreeSet<>(topics);
                    found.retainAll(all);
                    return found;
                }
            });
            return null;
        } catch (LauncherException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return String.valueOf(e.getCause() != null ? e.getCause() : e);
        } finally {
            client.close(Duration.ofSeconds(1));
        }
    }
}
