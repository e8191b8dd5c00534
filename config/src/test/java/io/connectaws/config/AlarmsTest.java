package io.connectaws.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.connectaws.metrics.CloudWatchShaper;
import io.connectaws.metrics.DimensionPlan;
import io.connectaws.metrics.MetricsSettings;
import io.connectaws.metrics.Sample;

/**
 * The shipped alarm templates watch metrics the exporter really publishes: names from the rules file (with the
 * state expansion), the exporter's unit for each, dimension sets it publishes, its default namespace; and they
 * are well-formed CloudFormation (every Ref and expression id defined, one returned series per alarm); and every
 * metric an alarm watches, with the alarm's dimensions, is one the default detail level ({@code cloudwatch.detail=basic})
 * publishes, so no alarm waits for data that only {@code full} sends.
 */
class AlarmsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Path.of("metrics/metrics-rules.yml");

    private static List<Pattern> ruleNames() throws Exception {
        List<Pattern> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*name:\\s*\"?([A-Za-z0-9_$]+)\"?\\s*$").matcher(Files.readString(RULES));
        while (m.find()) {
            names.add(Pattern.compile(m.group(1).replaceAll("\\$\\d+", "[a-z0-9_]+")));
        }
        return names;
    }

    /** True when the exporter publishes {@code metric}: a rule's name, or a state gauge of a rule named *_state. */
    private static boolean published(String metric, List<Pattern> rules) {
        for (Pattern p : rules) {
            if (p.matcher(metric).matches()) {
                return true;
            }
            for (String state : CloudWatchShaper.STATES) {
                if (metric.endsWith("_" + state) && p.pattern().endsWith("_state")
                        && p.matcher(metric.substring(0, metric.length() - state.length() - 1)).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the default settings publish {@code metric} under exactly {@code dims}, for a point of a task, a
     * connector or a worker.
     */
    static boolean publishedByDefault(String metric, List<String> dims) {
        DimensionPlan byDefault = MetricsSettings.from(Map.of(), Map.of()).dimensionPlan();
        for (Map<String, String> own : List.of(Map.of("Cluster", "c"), Map.of("Cluster", "c", "Connector", "x"),
                Map.of("Cluster", "c", "Connector", "x", "Task", "0"))) {
            if (byDefault.setsFor(metric, own).contains(dims)) {
                return true;
            }
        }
        return false;
    }

    static String unitOf(String metric) {
        for (String state : CloudWatchShaper.STATES) {
            if (metric.endsWith("_state_" + state)) {
                return "None";
            }
        }
        return CloudWatchShaper.unit(metric, metric.endsWith("_total") ? Sample.Type.COUNTER : Sample.Type.GAUGE);
    }

    /** An expression as written: plain text, or the string of an {@code Fn::Sub}. */
    private static String expression(JsonNode q) {
        JsonNode e = q.get("Expression");
        return e.isTextual() ? e.asText() : e.path("Fn::Sub").asText();
    }

    /** The {@code ${Name}} references of every {@code Fn::Sub} string in the template. */
    private static List<String> substitutions(JsonNode template) {
        List<String> names = new ArrayList<>();
        for (JsonNode sub : template.findValues("Fn::Sub")) {
            Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(sub.asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudwatch/cluster-alarms.cfn.json", "cloudwatch/connector-alarms.cfn.json"})
    void everyAlarmWatchesWhatTheExporterPublishes(String file) throws Exception {
        JsonNode template = JSON.readTree(Path.of(file).toFile());
        List<Pattern> rules = ruleNames();
        assertThat(rules).hasSizeGreaterThan(20);
        Set<String> parameters = new HashSet<>();
        template.get("Parameters").fieldNames().forEachRemaining(parameters::add);
        assertThat(template.at("/Parameters/Namespace/Default").asText())
                .isEqualTo(MetricsSettings.from(Map.of(), Map.of()).namespace());
        for (JsonNode ref : template.findValues("Ref")) {
            assertThat(parameters.contains(ref.asText()) || ref.asText().startsWith("AWS::")).as("Ref " + ref).isTrue();
        }
        for (String name : substitutions(template)) {
            assertThat(parameters.contains(name) || name.startsWith("AWS::")).as("Fn::Sub ${" + name + "}").isTrue();
        }

        int alarms = 0;
        for (JsonNode resource : template.get("Resources")) {
            assertThat(resource.get("Type").asText()).isEqualTo("AWS::CloudWatch::Alarm");
            JsonNode p = resource.get("Properties");
            alarms++;
            for (String required : List.of("AlarmName", "AlarmDescription", "ComparisonOperator", "Threshold",
                    "EvaluationPeriods", "TreatMissingData")) {
                assertThat(p.has(required)).as(resource + " has " + required).isTrue();
            }
            List<JsonNode> metrics = new ArrayList<>();
            if (p.has("Metrics")) {
                Set<String> ids = new HashSet<>();
                int returned = 0;
                for (JsonNode q : p.get("Metrics")) {
                    ids.add(q.get("Id").asText());
                    if (q.path("ReturnData").asBoolean(true)) {
                        returned++;
                    }
                    if (q.has("MetricStat")) {
                        assertThat(q.at("/MetricStat/Period").asInt()).isPositive();
                        metrics.add(q.at("/MetricStat/Metric"));
                        if (q.at("/MetricStat").has("Unit")) {
                            String name = q.at("/MetricStat/Metric/MetricName").asText();
                            assertThat(q.at("/MetricStat/Unit").asText()).as("the unit " + name + " is published with, or the alarm sees no data")
                                    .isEqualTo(unitOf(name));
                        }
                    }
                }
                assertThat(returned).as("one series per alarm").isEqualTo(1);
                for (JsonNode q : p.get("Metrics")) {
                    if (q.has("Expression")) {
                        assertThat(expression(q)).as("expression of " + q.get("Id")).isNotBlank();
                        Matcher m = Pattern.compile("\\b[a-z][a-zA-Z0-9_]*\\b").matcher(expression(q).replaceAll("\\$\\{[^}]*}", "0"));
                        while (m.find()) {
                            if (!Set.of("and", "or").contains(m.group())) {
                                assertThat(ids).as("expression id " + m.group()).contains(m.group());
                            }
                        }
                    }
                }
            } else {
                metrics.add(p);
                assertThat(p.get("Unit").asText()).as("an alarm's Unit must be the one published, or it sees no data")
                        .isEqualTo(unitOf(p.get("MetricName").asText()));
            }
            for (JsonNode metric : metrics) {
                String name = metric.get("MetricName").asText();
                assertThat(published(name, rules)).as(name + " is published by config/metrics/metrics-rules.yml").isTrue();
                assertThat(metric.at("/Namespace/Ref").asText()).isEqualTo("Namespace");
                List<String> dims = new ArrayList<>();
                metric.get("Dimensions").forEach(d -> dims.add(d.get("Name").asText()));
                assertThat(dims).as(name).isIn(List.of("Cluster"), List.of("Cluster", "Connector"));
                assertThat(publishedByDefault(name, dims)).as("%s %s is published at the default detail level "
                        + "(cloudwatch.detail=basic, io.connectaws.metrics.BasicMetrics)", name, dims).isTrue();
            }
        }
        assertThat(alarms).isGreaterThanOrEqualTo(3);
    }

    /**
     * Every worker publishes the declarations' figures under the same dimensions, so CloudWatch aggregates them: the
     * alarm must take the Maximum (the leader's Failed, which a Sum would add the followers' own count of the same
     * document problems to), return 1 when no worker reports Leader=1 or a round is stale, and watch each figure with
     * the unit the exporter gives it.
     */
    @Test
    void theDeclarationsAlarmTakesTheMaximumOverTheWorkersAndFiresWithoutALeader() throws Exception {
        JsonNode template = JSON.readTree(Path.of("cloudwatch/cluster-alarms.cfn.json").toFile());
        JsonNode alarm = template.at("/Resources/DeclarationsFailingAlarm/Properties");
        assertThat(alarm.isMissingNode()).as("DeclarationsFailingAlarm in cluster-alarms.cfn.json").isFalse();
        List<Pattern> rules = ruleNames();

        Map<String, String> metricOf = new java.util.TreeMap<>();
        String expression = null;
        for (JsonNode q : alarm.get("Metrics")) {
            if (q.has("MetricStat")) {
                String name = q.at("/MetricStat/Metric/MetricName").asText();
                metricOf.put(q.get("Id").asText(), name);
                assertThat(published(name, rules)).as(name + " is published").isTrue();
                assertThat(q.at("/MetricStat/Stat").asText()).as(name).isEqualTo("Maximum");
                assertThat(q.at("/MetricStat/Period").asInt()).as(name).isEqualTo(60);
                assertThat(q.at("/MetricStat/Unit").asText()).as(name).isEqualTo(unitOf(name));
                assertThat(q.at("/MetricStat/Metric/Dimensions")).as(name).hasSize(1);
                assertThat(q.at("/MetricStat/Metric/Dimensions/0/Name").asText()).isEqualTo("Cluster");
                assertThat(q.path("ReturnData").asBoolean(true)).isFalse();
            } else {
                expression = expression(q);
                assertThat(q.path("ReturnData").asBoolean(true)).isTrue();
            }
        }
        assertThat(metricOf).containsOnly(Map.entry("failed", "connect_aws_declarations_failed_count"),
                Map.entry("leader", "connect_aws_declarations_leader"),
                Map.entry("since", "connect_aws_declarations_since_last_round_seconds"));
        assertThat(unitOf("connect_aws_declarations_failed_count")).isEqualTo("Count");
        assertThat(unitOf("connect_aws_declarations_since_last_round_seconds")).isEqualTo("Seconds");
        assertThat(expression).isEqualTo("IF(leader >= 1 AND since < ${DeclarationsStaleSeconds}, failed, 1)");
        assertThat(alarm.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.get("Threshold").asInt()).isEqualTo(1);
        assertThat(alarm.at("/EvaluationPeriods/Ref").asText()).isEqualTo("DeclarationsFailingMinutes");
        assertThat(alarm.at("/DatapointsToAlarm/Ref").asText()).isEqualTo("DeclarationsFailingMinutes");
        assertThat(alarm.get("TreatMissingData").asText()).isEqualTo("notBreaching");
        assertThat(template.at("/Parameters/DeclarationsFailingMinutes/Default").asInt()).isPositive();
        assertThat(template.at("/Parameters/DeclarationsStaleSeconds/Default").asInt()).isGreaterThan(60);
    }

    /**
     * A task whose database is gone stays RUNNING in Connect while Debezium retries, and Debezium's own metrics vanish
     * meanwhile, so the disconnected alarms watch the health extension's gauges, which read 0 instead, and fire on
     * missing data too (no worker reporting the tasks at all is no better); the "no writes while connected" alarm keeps
     * Debezium's raw Connected and stays quiet without it, as the disconnected alarm covers that case.
     */
    @Test
    void theDisconnectedAlarmsFireOnZeroAndOnMissingData() throws Exception {
        List<Pattern> rules = ruleNames();
        JsonNode connector = JSON.readTree(Path.of("cloudwatch/connector-alarms.cfn.json").toFile());
        JsonNode task = connector.at("/Resources/DisconnectedAlarm/Properties");
        assertThat(task.isMissingNode()).as("DisconnectedAlarm in connector-alarms.cfn.json").isFalse();
        assertThat(task.get("MetricName").asText()).isEqualTo("connect_aws_health_database_connected");
        assertThat(published("connect_aws_health_database_connected", rules)).isTrue();
        assertThat(task.get("Statistic").asText()).as("any task of the connector").isEqualTo("Minimum");
        assertThat(task.get("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(task.get("Threshold").asInt()).isEqualTo(1);
        assertThat(task.get("TreatMissingData").asText()).isEqualTo("breaching");
        assertThat(task.get("Dimensions")).extracting(d -> d.get("Name").asText()).containsExactly("Cluster", "Connector");
        assertThat(task.at("/EvaluationPeriods/Ref").asText()).isEqualTo("DisconnectedMinutes");
        assertThat(connector.at("/Parameters/DisconnectedMinutes/Default").asInt()).isBetween(1, 5);

        JsonNode cluster = JSON.readTree(Path.of("cloudwatch/cluster-alarms.cfn.json").toFile());
        JsonNode any = cluster.at("/Resources/DisconnectedTasksAlarm/Properties");
        assertThat(any.isMissingNode()).as("DisconnectedTasksAlarm in cluster-alarms.cfn.json").isFalse();
        assertThat(any.get("MetricName").asText()).isEqualTo("connect_aws_health_disconnected_tasks");
        assertThat(published("connect_aws_health_disconnected_tasks", rules)).isTrue();
        assertThat(any.get("Statistic").asText()).as("the worst worker").isEqualTo("Maximum");
        assertThat(any.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(any.get("Threshold").asInt()).isEqualTo(1);
        assertThat(any.get("TreatMissingData").asText()).isEqualTo("breaching");
        assertThat(any.get("Dimensions")).extracting(d -> d.get("Name").asText()).containsExactly("Cluster");

        JsonNode stalled = connector.at("/Resources/ZeroWritesWhileConnectedAlarm/Properties");
        assertThat(stalled.toString()).contains("\"MetricName\":\"debezium_streaming_connected\"");
        assertThat(stalled.get("TreatMissingData").asText()).isEqualTo("notBreaching");
    }

    /**
     * The retained WAL alarm watches the slot lag collector's one per-connector figure at connector level, the largest
     * reading of the interval, in the unit the exporter gives a {@code _bytes} metric; no data is not an alarm here: a
     * connector without a slot (MySQL, SQL Server) has none, and an unreachable database or a stopped connector is the
     * disconnected alarm's.
     */
    @Test
    void theRetainedWalAlarmWatchesTheSlotOfThisConnectorInBytes() throws Exception {
        List<Pattern> rules = ruleNames();
        JsonNode connector = JSON.readTree(Path.of("cloudwatch/connector-alarms.cfn.json").toFile());
        JsonNode alarm = connector.at("/Resources/RetainedWalAlarm/Properties");
        assertThat(alarm.isMissingNode()).as("RetainedWalAlarm in connector-alarms.cfn.json").isFalse();
        assertThat(alarm.get("MetricName").asText()).isEqualTo("connect_aws_replication_slot_retained_wal_bytes");
        assertThat(published("connect_aws_replication_slot_retained_wal_bytes", rules)).isTrue();
        assertThat(alarm.get("Unit").asText()).isEqualTo("Bytes").isEqualTo(unitOf("connect_aws_replication_slot_retained_wal_bytes"));
        assertThat(alarm.get("Statistic").asText()).isEqualTo("Maximum");
        assertThat(alarm.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.at("/Threshold/Ref").asText()).isEqualTo("RetainedWalThresholdBytes");
        assertThat(alarm.at("/EvaluationPeriods/Ref").asText()).isEqualTo("RetainedWalMinutes");
        assertThat(alarm.get("TreatMissingData").asText()).isEqualTo("notBreaching");
        assertThat(alarm.get("Dimensions")).extracting(d -> d.get("Name").asText()).containsExactly("Cluster", "Connector");
        assertThat(connector.at("/Parameters/RetainedWalThresholdBytes/Default").asLong())
                .as("far above what a heartbeat-bounded quiet slot keeps (a few MB), well below a small instance's storage")
                .isBetween(512L << 20, 20L << 30);
        assertThat(connector.at("/Parameters/RetainedWalMinutes/Default").asInt()).isBetween(5, 60);
    }
}
