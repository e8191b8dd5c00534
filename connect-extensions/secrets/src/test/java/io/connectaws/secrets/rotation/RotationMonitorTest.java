package io.connectaws.secrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.connect.health.ConnectClusterDetails;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.ConnectorState;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.health.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.connectaws.it.aws.LocalAws;
import io.connectaws.secrets.RotatableConfigProvider;
import io.connectaws.secrets.SecretsManagerConfigProvider;

/** The monitor with the real Secrets Manager provider against the local endpoint, a cluster view and a fake clock. */
class RotationMonitorTest {
    private static final String ME = "10.0.0.1:8083";
    private static LocalAws aws;

    private final AtomicLong now = new AtomicLong();
    private final List<String> restarts = new ArrayList<>();
    private final List<String> units = new ArrayList<>(); // what was restarted: NAME:instance and/or the task ids
    private final Cluster cluster = new Cluster();
    private final RotationMetrics metrics = new RotationMetrics();
    private boolean refuseRestarts;
    private SecretsManagerConfigProvider worker;
    private SecretsManagerConfigProvider monitorProvider;
    private RotationMonitor monitor;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(0, "eu-west-1");
        System.setProperty("aws.containerCredentialsFullUri", "http://localhost:" + aws.port() + aws.containerCredentialsPath());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.containerCredentialsFullUri");
        aws.close();
    }

    @BeforeEach
    void setUp() {
        Map<String, Object> params = Map.of("endpoint", aws.endpoint().toString(), "region", "eu-west-1",
                "ttl", "5m", "cache.ttl", "1h");
        worker = new SecretsManagerConfigProvider();
        worker.configure(params);
        monitorProvider = new SecretsManagerConfigProvider(); // its own instance, as the REST extension creates one
        monitorProvider.configure(params);
        monitor = new RotationMonitor(cluster, Map.<String, RotatableConfigProvider>of("secretsmanager", monitorProvider),
                ME, (c, instanceHere, tasks) -> {
                    if (refuseRestarts) return false;
                    restarts.add(c);
                    units.add(c + ":" + (instanceHere ? "instance" : "") + tasks);
                    return true;
                }, now::get, metrics);
    }

    @AfterEach
    void tearDown() {
        worker.close();
        monitorProvider.close();
    }

    /** What a task of {@code connector} gets when it starts: the worker's provider resolving the raw config. */
    private Map<String, String> startTasks(String connector) {
        return new ConfigTransformer(Map.of("secretsmanager", worker)).transform(cluster.configs.get(connector)).data();
    }

    private void advance(long minutes) {
        now.addAndGet(TimeUnit.MINUTES.toNanos(minutes));
        monitor.tick();
    }

    @Test
    void restartsOnlyWhenTheValueChangedAndOnlyConnectorsThisWorkerOwns() {
        aws.createSecretString("rot/db", "{\"password\":\"pw-1\"}");
        aws.createSecretString("rot/other", "{\"password\":\"other\"}");
        cluster.add("mine", ME, Map.of("database.password", "${secretsmanager:rot/db:password}"));
        cluster.add("theirs", "10.0.0.2:8083", Map.of("database.password", "${secretsmanager:rot/db:password}"));
        cluster.add("unrelated", ME, Map.of("database.password", "${secretsmanager:rot/other:password}"));
        cluster.add("no-secrets", ME, Map.of("database.password", "plain"));
        assertThat(startTasks("mine")).containsEntry("database.password", "pw-1");
        startTasks("unrelated");
        long reads = aws.count("secretsmanager.GetSecretValue");

        monitor.tick();
        advance(4);
        assertThat(aws.count("secretsmanager.GetSecretValue")).as("nothing due before the interval").isEqualTo(reads);
        advance(1);
        advance(5);
        assertThat(restarts).as("unchanged values restart nothing").isEmpty();
        assertThat(metrics.getChecks()).isEqualTo(4); // two references, checked at 5 and 10 minutes

        aws.putSecretString("rot/db", "{\"password\":\"pw-2\"}");
        advance(5);
        assertThat(restarts).containsExactly("mine");
        assertThat(units).containsExactly("mine:instance[0]");
        assertThat(metrics.getRotationsDetected()).isEqualTo(1);
        // the restarted tasks read the new value although the worker's cache entry had an hour to live
        assertThat(startTasks("mine")).containsEntry("database.password", "pw-2");

        advance(5);
        advance(5);
        assertThat(restarts).as("one restart per rotation").containsExactly("mine");
    }

    @Test
    void eachWorkerRestartsOnlyWhatRunsOnIt() {
        aws.createSecretString("rot/split", "{\"password\":\"pw-1\"}");
        cluster.add("split", "10.0.0.2:8083", Map.of("database.password", "${secretsmanager:rot/split:password}"));
        cluster.taskOwners.put("split", ME);
        startTasks("split");
        monitor.tick();
        aws.putSecretString("rot/split", "{\"password\":\"pw-2\"}");
        advance(5);
        assertThat(units).as("the task here, not the instance on the other worker").containsExactly("split:[0]");
    }

    @Test
    void aPerReferenceTtlOverridesTheProviderAndReferencesWithoutOneAreLeftAlone() {
        aws.createSecretString("rot/fast", "a");
        cluster.add("fast", ME, Map.of("p", "${secretsmanager:rot/fast?ttl=1m}"));
        startTasks("fast");
        monitor.tick();
        aws.putSecretString("rot/fast", "b");
        advance(1);
        assertThat(restarts).containsExactly("fast");
    }

    @Test
    void aRefusedRestartIsRetriedUntilAccepted() {
        aws.createSecretString("rot/retry", "a");
        cluster.add("retry", ME, Map.of("p", "${secretsmanager:rot/retry}"));
        startTasks("retry");
        monitor.tick();
        aws.putSecretString("rot/retry", "b");
        refuseRestarts = true;
        advance(5);
        assertThat(metrics.getRestartFailures()).isEqualTo(1);
        refuseRestarts = false;
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        monitor.tick();
        assertThat(restarts).containsExactly("retry");
    }

    @Test
    void aFailedReadKeepsTheCurrentValueAndChecksAgainLater() {
        aws.createSecretString("rot/flaky", "a");
        cluster.add("flaky", ME, Map.of("p", "${secretsmanager:rot/flaky}"));
        startTasks("flaky");
        monitor.tick();
        aws.denyAccess("rot/flaky");
        advance(5);
        assertThat(metrics.getCheckFailures()).isEqualTo(1);
        assertThat(restarts).isEmpty();
        aws.allowAccess("rot/flaky");
        aws.putSecretString("rot/flaky", "b");
        advance(5);
        assertThat(restarts).containsExactly("flaky");
    }

    @Test
    void aStoppedConnectorIsNotRestartedButTakesTheNewBaseline() {
        aws.createSecretString("rot/stopped", "a");
        cluster.add("stopped", ME, Map.of("p", "${secretsmanager:rot/stopped}"));
        cluster.state.put("stopped", "STOPPED");
        startTasks("stopped");
        monitor.tick();
        aws.putSecretString("rot/stopped", "b");
        advance(5);
        advance(5);
        assertThat(restarts).isEmpty();
    }

    /** The part of Connect's cluster view the monitor reads. */
    static final class Cluster implements ConnectClusterState {
        final Map<String, Map<String, String>> configs = new HashMap<>();
        final Map<String, String> owners = new HashMap<>();
        final Map<String, String> state = new HashMap<>();
        final Map<String, String> taskOwners = new HashMap<>(); // task 0's worker when not the instance's

        void add(String name, String owner, Map<String, String> config) {
            configs.put(name, config);
            owners.put(name, owner);
            state.put(name, "RUNNING");
        }

        @Override
        public Collection<String> connectors() {
            return configs.keySet();
        }

        @Override
        public ConnectorHealth connectorHealth(String name) {
            return new ConnectorHealth(name, new ConnectorState(state.get(name), owners.get(name), null),
                    Map.of(0, new TaskState(0, "RUNNING", taskOwners.getOrDefault(name, owners.get(name)), null)),
                    ConnectorType.SOURCE);
        }

        @Override
        public Map<String, String> connectorConfig(String name) {
            return configs.get(name);
        }

        @Override
        public ConnectClusterDetails clusterDetails() {
            return () -> "cluster";
        }
    }
}
