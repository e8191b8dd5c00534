package io.connectaws.metrics;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the CloudWatch exporter inside the worker. A REST extension because Connect configures it with the worker
 * config, starts it with the worker, closes it on shutdown (the last interval is flushed) and hands it the
 * cluster state, which maps Debezium's topic prefixes to connector names. It adds no REST resource.
 */
public final class MetricsExtension implements ConnectRestExtension {
    private static final Logger log = LoggerFactory.getLogger(MetricsExtension.class);

    /** Worker property: this worker's id ({@code host:port}), a property of every EMF object. Set by the launcher. */
    public static final String WORKER_ID = "connect.aws.worker.id";
    /** Worker property: the ECS task's ARN, a property of every EMF object. Set by the launcher on ECS. */
    public static final String ECS_TASK_ARN = "connect.aws.ecs.task.arn";

    private MetricsSettings settings;
    private MetricsRules rules;
    private MetricsExporter exporter;
    private Map<String, String> properties = Map.of();

    @Override
    public void configure(Map<String, ?> configs) {
        settings = MetricsSettings.from(configs, System.getenv());
        properties = properties(configs);
        if (settings.sink() != MetricsSettings.Sink.OFF) {
            rules = MetricsRules.load(settings.rulesFile());
        }
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        if (settings.sink() == MetricsSettings.Sink.OFF) {
            log.info("CloudWatch metrics off (cloudwatch.sink=off{})",
                    System.getenv().containsKey("ECS_CONTAINER_METADATA_URI_V4") ? "" : ", the default outside ECS");
            return;
        }
        ConnectClusterState state = context.clusterState();
        TopicPrefixes prefixes = new TopicPrefixes(() -> {
            Map<String, Map<String, String>> configs = new HashMap<>();
            for (String connector : state.connectors()) {
                configs.put(connector, state.connectorConfig(connector));
            }
            return configs;
        }, System::currentTimeMillis);
        DimensionPlan plan = settings.dimensionPlan();
        MetricsSink sink = settings.sink() == MetricsSettings.Sink.EMF
                ? new EmfSink(new EmfFormatter(settings.namespace(), plan, properties))
                : new CloudWatchApiSink(CloudWatchApiSink.client(settings.region(), settings.endpoint()),
                        settings.namespace(), plan);
        exporter = new MetricsExporter(new JmxSampler(rules, plan), new CloudWatchShaper(settings.cluster(), prefixes,
                plan::publishes), sink, settings.interval(), Clock.systemUTC());
        exporter.start();
        log.info("CloudWatch metrics: {} ({} rules)", settings.describe(), rules.ruleCount());
    }

    /** Members of every EMF object that identify the worker without becoming dimensions. */
    static Map<String, String> properties(Map<String, ?> worker) {
        Map<String, String> properties = new LinkedHashMap<>();
        Object id = worker.get(WORKER_ID);
        if (id != null) {
            properties.put("WorkerId", id.toString());
        }
        Object task = worker.get(ECS_TASK_ARN);
        if (task != null) {
            properties.put("EcsTaskArn", task.toString());
        }
        return properties;
    }

    @Override
    public void close() {
        if (exporter != null) {
            exporter.close();
        }
    }

    @Override
    public String version() {
        return AppInfoParser.getVersion();
    }
}
