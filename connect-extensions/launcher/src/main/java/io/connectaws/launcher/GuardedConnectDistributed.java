package io.connectaws.launcher;

import static org.apache.kafka.clients.CommonClientConfigs.CLIENT_ID_CONFIG;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.WorkerConfigTransformer;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.RestClient;
import org.apache.kafka.connect.runtime.rest.RestServer;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.errors.BadRequestException;
import org.apache.kafka.connect.storage.ConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.storage.KafkaStatusBackingStore;
import org.apache.kafka.connect.storage.StatusBackingStore;
import org.apache.kafka.connect.util.Callback;
import org.apache.kafka.connect.util.ConnectUtils;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.Stage;
import org.apache.kafka.common.config.ConfigException;

import io.connectaws.security.PluginPasswordKeys;
import io.connectaws.security.SecretReferencePolicy;
import io.connectaws.sourcedb.Preflight;
import io.connectaws.sourcedb.SlotLagCollector;

/**
 * Kafka's distributed worker with the {@link SecretReferencePolicy} at the two places a connector config's references
 * are resolved: validation (every REST create, replace, patch and the validate endpoint; declared connectors come
 * through the same calls), where a refusal is an HTTP 400 before anything is resolved, and the config topic's configs
 * when a connector or task starts, where a refusal fails that connector or task with the reason (a config planted in
 * the topic, or stored before the policy). {@link #createHerder} is Kafka 4.3.1's own, with the two guards put in;
 * it also turns off Jetty's SNI host check on https listeners ({@link JettySniHostCheck}), and its herder runs the
 * replication slot lag collector ({@link SlotLagCollector}) while it runs.
 */
final class GuardedConnectDistributed extends ConnectDistributed {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuardedConnectDistributed.class);
    private final String extraKeys;
    private final Preflight.Mode preflight;

    /**
     * @param extraKeys the {@link SecretReferencePolicy#SETTING} value, checked already; may be blank
     * @param preflight what the source database pre-flight does ({@link SourcePreflight})
     */
    GuardedConnectDistributed(String extraKeys, Preflight.Mode preflight) {
        this.extraKeys = extraKeys;
        this.preflight = preflight;
    }

    /** The policy for a worker config: its config providers, the default identity keys and {@code extraKeys}. */
    static SecretReferencePolicy policy(WorkerConfig config, String extraKeys) {
        return SecretReferencePolicy.of(Set.copyOf(config.getList(WorkerConfig.CONFIG_PROVIDERS_CONFIG)), extraKeys);
    }

    @Override
    protected DistributedHerder createHerder(DistributedConfig config, String workerId, Plugins plugins,
                                             ConnectorClientConfigOverridePolicy overridePolicy,
                                             RestServer restServer, RestClient restClient) {
        if (JettySniHostCheck.turnOff(restServer) > 0) {
            LOG.info("Jetty's SNI host check is off on the "
                    + "https listener: followers reach the leader at its task address, which the certificate cannot name");
        }
        SecretReferencePolicy policy = policy(config, extraKeys);
        PluginPasswordKeys passwordKeys = new PluginPasswordKeys(plugins);

        String kafkaClusterId = config.kafkaClusterId();
        String clientIdBase = ConnectUtils.clientIdBase(config);
        Map<String, Object> adminProps = new HashMap<>(config.originals());
        ConnectUtils.addMetricsContextProperties(adminProps, config, kafkaClusterId);
        adminProps.put(CLIENT_ID_CONFIG, clientIdBase + "shared-admin");
        SharedTopicAdmin sharedAdmin = new SharedTopicAdmin(adminProps);

        KafkaOffsetBackingStore offsetBackingStore = new KafkaOffsetBackingStore(sharedAdmin, () -> clientIdBase,
                plugins.newInternalConverter(true, JsonConverter.class.getName(),
                        Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false")));
        offsetBackingStore.configure(config);

        Worker worker = new Worker(workerId, Time.SYSTEM, plugins, config, offsetBackingStore, overridePolicy);
        WorkerConfigTransformer configTransformer = new GuardedTransformer(worker, policy, passwordKeys,
                config.getString(DistributedConfig.EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG));

        var internalValueConverter = worker.getInternalValueConverter();
        StatusBackingStore statusBackingStore = new KafkaStatusBackingStore(Time.SYSTEM, internalValueConverter, sharedAdmin, clientIdBase);
        statusBackingStore.configure(config);

        ConfigBackingStore configBackingStore = new KafkaConfigBackingStore(internalValueConverter, config,
                configTransformer, sharedAdmin, clientIdBase);

        return new GuardedHerder(config, worker, kafkaClusterId, statusBackingStore, configBackingStore,
                restServer.advertisedUrl().toString(), restClient, overridePolicy, sharedAdmin, policy, passwordKeys,
                new SourcePreflight(preflight, plugins), slotLag(worker, configBackingStore, plugins));
    }

    /**
     * The replication slot lag of the PostgreSQL connectors whose Connector instance runs on this worker
     * ({@link SlotLagCollector}), read with the config the worker resolves and the driver of the connector's plugin.
     */
    static SlotLagCollector slotLag(Worker worker, ConfigBackingStore configBackingStore, Plugins plugins) {
        return new SlotLagCollector(new SlotLagCollector.Host() {
            @Override
            public java.util.Collection<String> localConnectors() {
                return worker.connectorNames();
            }

            @Override
            public Map<String, String> rawConfig(String connector) {
                return configBackingStore.snapshot().rawConnectorConfig(connector);
            }

            @Override
            public Map<String, String> resolve(Map<String, String> raw) {
                return worker.configTransformer().transform(raw);
            }

            @Override
            public String connectorClass(String value) {
                return SourcePreflight.fullName(plugins, value);
            }
        }, SourcePreflight.drivers(plugins));
    }

    /**
     * Refuses a config the policy refuses before validation resolves it, and one asking for exactly-once delivery this
     * worker does not give ({@link ExactlyOnce#contradiction}): HTTP 400 naming the key and the rule. Once Connect's
     * own validation passes, runs the source database pre-flight ({@link SourcePreflight}), whose refusals are
     * validation errors (HTTP 400 on create and replace).
     */
    static final class GuardedHerder extends DistributedHerder {
        private final SecretReferencePolicy policy;
        private final PluginPasswordKeys passwordKeys;
        private final String exactlyOnceSupport;
        private final SourcePreflight preflight;
        private final SlotLagCollector slotLag;

        GuardedHerder(DistributedConfig config, Worker worker, String kafkaClusterId, StatusBackingStore statusBackingStore,
                      ConfigBackingStore configBackingStore, String restUrl, RestClient restClient,
                      ConnectorClientConfigOverridePolicy overridePolicy, AutoCloseable sharedAdmin,
                      SecretReferencePolicy policy, PluginPasswordKeys passwordKeys, SourcePreflight preflight,
                      SlotLagCollector slotLag) {
            super(config, Time.SYSTEM, worker, kafkaClusterId, statusBackingStore, configBackingStore, restUrl, restClient,
                    overridePolicy, List.of(), sharedAdmin);
            this.policy = policy;
            this.passwordKeys = passwordKeys;
            this.exactlyOnceSupport = config.getString(DistributedConfig.EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG);
            this.preflight = preflight;
            this.slotLag = slotLag;
        }

        /** Starts the herder, then the slot lag rounds (the first after 10 s, when the worker has its assignment). */
        @Override
        public void start() {
            super.start();
            slotLag.start(java.time.Duration.ofSeconds(10));
        }

        /** Stops the slot lag rounds and removes their MBeans before the herder stops its connectors. */
        @Override
        public void stop() {
            slotLag.close();
            super.stop();
        }

        /** The herder's thread ends here when it stops on its own (a fatal error); the rounds stop with it. */
        @Override
        public void halt() {
            slotLag.close();
            super.halt();
        }

        @Override
        public void validateConnectorConfig(Map<String, String> connectorProps, Callback<ConfigInfos> callback, boolean doLog) {
            Optional<String> refusal = policy.refusal(connectorProps, passwordKeys)
                    .or(() -> ExactlyOnce.contradiction(connectorProps, exactlyOnceSupport));
            if (refusal.isPresent()) {
                callback.onCompletion(new BadRequestException(refusal.get()), null);
                return;
            }
            if (!preflight.applies(connectorProps.get("connector.class"))) {
                super.validateConnectorConfig(connectorProps, callback, doLog);
                return;
            }
            super.validateConnectorConfig(connectorProps, callback.chainStaging((error, infos) -> {
                if (error != null || infos == null || infos.errorCount() > 0) {
                    callback.onCompletion(error, infos);
                    return;
                }
                Stage stage = new Stage("running the source database pre-flight checks", Time.SYSTEM.milliseconds());
                callback.recordStage(stage);
                ConfigInfos checked;
                try {
                    String name = connectorProps.get("name");
                    Map<String, String> stored = name == null ? null : configBackingStore.snapshot().rawConnectorConfig(name);
                    checked = preflight.check(infos, connectorProps, stored, worker.configTransformer()::transform);
                } catch (RuntimeException e) {
                    LOG.warn("The source database pre-flight failed; the connector is validated without it", e);
                    checked = infos;
                } finally {
                    stage.complete(Time.SYSTEM.milliseconds());
                }
                callback.onCompletion(null, checked);
            }), doLog);
        }
    }

    /**
     * Resolves the config topic's connector and task configs through the worker's own transformer once the policy
     * passes them; a refused config throws, which fails that connector or task with the reason as its trace. A stored
     * config asking for exactly-once on a worker without it (the switch turned off after it was created) still runs,
     * at-least-once, with one warning per connector: failing every such connector would turn a setting into an outage.
     */
    static final class GuardedTransformer extends WorkerConfigTransformer {
        private final WorkerConfigTransformer resolver;
        private final SecretReferencePolicy policy;
        private final PluginPasswordKeys passwordKeys;
        private final String exactlyOnceSupport;
        private final Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

        GuardedTransformer(Worker worker, SecretReferencePolicy policy, PluginPasswordKeys passwordKeys,
                           String exactlyOnceSupport) {
            super(worker, Map.of());
            this.resolver = worker.configTransformer();
            this.policy = policy;
            this.passwordKeys = passwordKeys;
            this.exactlyOnceSupport = exactlyOnceSupport;
        }

        @Override
        public Map<String, String> transform(String connectorName, Map<String, String> configs) {
            if (configs == null) {
                return null;
            }
            Optional<String> refusal = policy.refusal(configs, passwordKeys);
            if (refusal.isPresent()) {
                throw new ConfigException("Connector '" + connectorName + "' is not started: " + refusal.get()
                        + ". Its stored config was written past the REST API's check (or before this image); replace it "
                        + "with PUT /connectors/" + connectorName + "/config or delete it");
            }
            ExactlyOnce.contradiction(configs, exactlyOnceSupport).filter(why -> warned.add(connectorName))
                    .ifPresent(why -> LOG.warn(
                            "Connector '{}' runs at-least-once: {}", connectorName, why));
            return resolver.transform(connectorName, configs);
        }
    }
}
