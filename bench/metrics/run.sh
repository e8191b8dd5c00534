#!/usr/bin/env bash
# Benchmarks the CloudWatch exporter (connect-extensions/metrics): CPU, allocation and retained heap of its cycle
# (MetricsExporter.runOnce: JmxSampler over the platform MBean server with the SHIPPED config/metrics/metrics-rules.yml,
# CloudWatchShaper, then the sink) over the MBeans of a worker running 50 Debezium Postgres source connectors with
# 2 tasks each: Connect's groups through Kafka's own ConnectMetrics/JmxReporter, each task's producer with the
# client-level metrics of a real KafkaProducer plus its per-broker and per-topic MBeans, the worker's coordinator,
# its internal clients, Debezium's streaming and snapshot MXBeans (5 tables each), the health extension's MBeans and
# the JVM's own. Counters move between cycles. Both sinks: emf (lines to a stream that counts and discards them) and
# api (PutMetricData with the real SDK client against it/aws-local's in-process LocalAws). Also: the phases of a
# cycle measured one by one, how many rule attempts jmx_exporter makes, what-if variants of the rules, a JFR
# profile, and an EMF line-limit check. Writes bench/metrics/results.md (keeping its "## Findings" part).
#
# CPU is the exporting thread's own (ThreadMXBean.getCurrentThreadCpuTime around runOnce(), called on one dedicated
# thread); % of one core at an interval = mean CPU per cycle / interval. Cycles run back to back after a warm-up.
#
# usage: bench/metrics/run.sh            (full size, ~25 min on 2 vCPUs)
#        SMOKE=1 bench/metrics/run.sh    (2 connectors, 5 cycles: a few seconds after the build; writes to /tmp)
# env:   CONNECTORS=50 TASKS=2 TABLES=5 NODES=3   workload size (tasks per connector, tables per connector, brokers)
#        ADVANCED=0        1: Debezium advanced metrics (per-table streaming counts) on
#        CYCLES=300        measured cycles per sink
#        WARMUP=50         warm-up cycles before each measured loop
#        DETAIL=100        cycles for the phase split and the what-if rules (0 skips neither; keep it > 0)
#        PROFILE=100       cycles under JFR execution sampling (0: no profile)
#        SINKS=emf,api     which sinks to measure (the phases, rule counts and what-ifs come with emf)
#        LEVEL=basic       the exporter's detail level (cloudwatch.detail): basic (the default) or full
#        JAVA=java         the java to run (17 or newer)
#        JVM_OPTS="-XX:MaxRAMPercentage=70 -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Xmx1g"
#                          the worker's JVM options from image/src/docker/Dockerfile's ENTRYPOINT, with a 1 GiB heap
#        OUT=bench/metrics/results.md              (SMOKE=1: /tmp/metrics-bench-smoke.md)
#
# The bench is a Maven module outside the reactor (bench/metrics/pom.xml, package io.connectaws.bench.metrics) that uses
# the exporter's public API only. It installs connect-extensions/metrics and what it needs into ~/.m2 (offline,
# -DskipTests: the module's test-jar carries the synthetic MBeans, ConnectMBeans and DebeziumMBeans), then packages the
# bench against it. No Docker, no network.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
module=connect-extensions/metrics
SMOKE=${SMOKE:-0}
if [ "$SMOKE" = 1 ]; then
  CONNECTORS=${CONNECTORS:-2} CYCLES=${CYCLES:-5} WARMUP=${WARMUP:-2} DETAIL=${DETAIL:-3} PROFILE=${PROFILE:-3}
  OUT=${OUT:-/tmp/metrics-bench-smoke.md}
fi
CONNECTORS=${CONNECTORS:-50}
TASKS=${TASKS:-2}
TABLES=${TABLES:-5}
NODES=${NODES:-3}
ADVANCED=${ADVANCED:-0}
CYCLES=${CYCLES:-300}
WARMUP=${WARMUP:-50}
DETAIL=${DETAIL:-100}
PROFILE=${PROFILE:-100}
SINKS=${SINKS:-emf,api}
LEVEL=${LEVEL:-basic}
JAVA=${JAVA:-java}
JVM_OPTS=${JVM_OPTS:--XX:MaxRAMPercentage=70 -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Xmx1g}
OUT=${OUT:-$repo/bench/metrics/results.md}
rules=$repo/config/metrics/metrics-rules.yml

for tool in mvn "$JAVA"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
[ "$DETAIL" -gt 0 ] || { echo "run.sh: DETAIL must be > 0" >&2; exit 1; }

work=$(mktemp -d /tmp/metrics-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "run.sh: installing $module (offline, no tests) and building bench/metrics"
# (mvn -q still prints bare colour resets: stripped)
(cd "$repo" && mvn -o -q -B install -DskipTests -pl "$module" -am \
  && mvn -o -q -B -f bench/metrics/pom.xml package dependency:build-classpath -Dmdep.outputFile="$work/cp.txt") 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' | { grep -v '^[[:space:]]*$' || true; } >&2
[ -f "$repo/bench/metrics/target/classes/io/connectaws/bench/metrics/ExporterBench.class" ] \
  || { echo "run.sh: bench/metrics did not build" >&2; exit 1; }
cp="$repo/bench/metrics/target/classes:$(cat "$work/cp.txt")"

read -r -a jvm_opts <<< "$JVM_OPTS"
props=(-Dbench.connectors="$CONNECTORS" -Dbench.tasks="$TASKS" -Dbench.tables="$TABLES" -Dbench.nodes="$NODES"
       -Dbench.advanced="$([ "$ADVANCED" = 1 ] && echo true || echo false)" -Dbench.cycles="$CYCLES"
       -Dbench.warmup="$WARMUP" -Dbench.detail="$DETAIL" -Dbench.profile="$PROFILE" -Dbench.sinks="$SINKS" -Dbench.level="$LEVEL"
       -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error
       -XX:FlightRecorderOptions:stackdepth=128)
echo "run.sh: running the benchmark ($CONNECTORS connectors, $CYCLES cycles per sink; progress below)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
"$JAVA" "${jvm_opts[@]}" "${props[@]}" -cp "$cp" io.connectaws.bench.metrics.ExporterBench "$rules" "$work/body.md"
elapsed=$(( $(date +%s) - started ))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

java_version=$("$JAVA" "${jvm_opts[@]}" -version 2>&1 | tr '\n' ' ')
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')
rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain -- "$module/src/main" config/metrics 2>/dev/null | head -c1)
env_line="CONNECTORS=$CONNECTORS TASKS=$TASKS TABLES=$TABLES NODES=$NODES ADVANCED=$ADVANCED CYCLES=$CYCLES WARMUP=$WARMUP DETAIL=$DETAIL PROFILE=$PROFILE SINKS=$SINKS LEVEL=$LEVEL"
[ "$SMOKE" = 1 ] && env_line="SMOKE=1 $env_line"
{
  echo "# CloudWatch exporter overhead benchmark"
  echo
  echo "Generated by \`bench/metrics/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') in ${elapsed} s; rerun it to refresh this file."
  echo
  echo "- Machine: $(uname -srm), $(nproc) CPUs (\`nproc\`, $cpu_model), memory $mem (\`free -g\`)."
  echo "  Load average (1/5/15 min) before and after: $load_before; $load_after."
  echo "- Java: $java_version"
  echo "- JVM options: \`$JVM_OPTS\` (the worker's, from the image's ENTRYPOINT, with a 1 GiB heap), plus JFR's"
  echo "  \`-XX:FlightRecorderOptions:stackdepth=128\` (recording only during the profile pass)."
  echo "- Code: git $rev$([ -n "$dirty" ] && echo ' with uncommitted changes in the module or config/metrics'); rules \`config/metrics/metrics-rules.yml\`"
  echo "  ($(grep -c '^  - pattern:' "$rules") rules, sha256 $(sha256sum "$rules" | cut -c1-12)); jmx_exporter collector $(tr ':' '\n' < "$work/cp.txt" | grep -o 'collector/[0-9.]*/' | cut -d/ -f2 | head -n1)."
  echo "- Command: \`$env_line bench/metrics/run.sh\` (the bench/metrics module, built with $(mvn -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g'))."
  echo
  cat "$work/body.md"
} > "$OUT.generated"

# Keep the hand-written part of results.md (from its "## Findings" heading on) below the generated tables.
if [ -f "$OUT" ] && grep -q '^## Findings' "$OUT"; then
  { echo; sed -n '/^## Findings/,$p' "$OUT"; } >> "$OUT.generated"
fi
mv "$OUT.generated" "$OUT"
echo "run.sh: wrote $OUT"
