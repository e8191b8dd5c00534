#!/usr/bin/env bash
# The benchmark: this project's image beside the stock recipe (bench/stock) and the machine's physical limits, in one
# run on one machine. Builds every image it needs (the product image, the test images of Kafka, PostgreSQL and MariaDB,
# the stock reference image), then runs the harness (bench/compare, io.connectaws.bench.Compare).
#
# usage: bench/compare/run.sh               full sizes (~45 min on 2 vCPUs); writes bench/results/<UTC time>/
#        SMOKE=1 bench/compare/run.sh       tiny sizes, every scenario (~8 min); writes /tmp/bench-smoke/
#        SKIP_BUILD=1 ONLY=exactly-once bench/compare/run.sh   exactly-once cost (issue 19), our image only, images as built
#        SKIP_BUILD=1 ONLY=avro bench/compare/run.sh   Avro through Apicurio against JSON with schemas (issue 21), our image only
# env:   ONLY=size,cold,memory,probe,snapshot,profile,stream,mariadb,limits,density,fleet,exactly-once,avro   scenarios (default: all)
#        COLD_RUNS=5 SNAPSHOT_ROWS=1000000 STREAM_ROWS=200000 TXN_ROWS=10 MEMORY_ROWS=100000 TENANTS=200
#        FLEET_TENANTS=$TENANTS FLEET_RUNS=3   fleet (issue 16): tenants deployed from the container's start, runs per image
#        EOS_RUNS=3 EOS_ROWS=$STREAM_ROWS EOS_VARIANTS=on+interval1000,on+batch8192 EOS_PACED_RATE=1000 EOS_PACED_SECONDS=20
#                                           exactly-once (issue 19): runs per variant (off and on always), rows in
#                                           TXN_ROWS-row transactions, extra variants (on+interval<ms>, on+batch<n>,
#                                           on+poll<ms>, on+linger<ms>, on+key=value; "" for none), then a paced phase
#                                           (rows/s, seconds; 0 seconds: none)
#        AVRO_RUNS=3 AVRO_SNAPSHOT_ROWS=200000 AVRO_STREAM_ROWS=100000   avro (issue 21): runs per converter (interleaved),
#                                           snapshot rows, rows streamed in one transaction and again in TXN_ROWS-row ones
#        PROBE_RUNS=10 LIMIT_RUNS=3 PRODUCER_RECORDS=1000000 SETTLE_SECONDS=30 WORKER_MEMORY_MB=4096
#        OUT=<dir>                          where results.json, samples.csv, summary.md and plot.png go
#        OURS_ENV=K=V,..  OURS_CONNECTOR=k=v,..   extra worker env / connector settings for our image (tuning trials;
#                                           STOCK_ENV, STOCK_CONNECTOR likewise); recorded in results.json
#        FLAVOURS=ours                      measure our image alone (tuning trials; default: ours,stock)
#        SKIP_BUILD=1                       use the images as they are (fails at once if one is missing)
#        HARNESS_OPTS="-Dbench.image.ours=... -Dbench.image.stock=..."   other images to compare
# Output: results.json (machine, versions, settings, every raw sample, medians, ratios, targets, profile),
#         samples.csv (one raw sample a line), summary.md (the README's table), plot.png.
# Needs root (it reads the workers' /proc and cgroups), Docker (installed and started if absent), Maven, a JDK 17+.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
SMOKE=${SMOKE:-0}
if [ "$SMOKE" = 1 ]; then
  OUT=${OUT:-/tmp/bench-smoke}
else
  OUT=${OUT:-$repo/bench/results/$(date -u +%Y-%m-%dT%H%MZ)}
fi
export SMOKE
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (reads the workers' /proc and cgroups, runs Docker)" >&2; exit 1; }
command -v mvn >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null; }
bash scripts/ensure-docker.sh

mvn_offline_first() { # offline from ~/.m2 when it has everything, online otherwise
  mvn -o -q -B "$@" 2>/dev/null || mvn -q -B -ntp "$@"
}
if [ "${SKIP_BUILD:-0}" = 1 ]; then
  for image in connect-aws:0.1.0-SNAPSHOT connect-aws-it/kafka:4.3.1 connect-aws-it/postgres:17 connect-aws-it/mariadb:11 \
      connect-aws-it/apicurio-local:local; do
    /usr/bin/docker image inspect "$image" >/dev/null 2>&1 \
      || { echo "run.sh: SKIP_BUILD=1 but image $image is absent: run without SKIP_BUILD once" >&2; exit 1; }
  done
else
  echo "run.sh: building the product image and the test images"
  mvn_offline_first install -pl image,it/images -am -DskipTests
  echo "run.sh: building the stock reference image"
  bash bench/stock/build-stock-image.sh 2>/dev/null || MVN_ARGS="-q -B -ntp" bash bench/stock/build-stock-image.sh
fi
mvn_offline_first -f bench/compare/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/compare/target/classes:$(cat bench/compare/target/classpath.txt)"
# Containers of an interrupted run (only the harness's own: a test run may be using Testcontainers alongside)
stale=$(/usr/bin/docker ps -aq --filter label=io.connectaws.bench)
[ -z "$stale" ] || /usr/bin/docker rm -f $stale >/dev/null
mkdir -p "$OUT"
TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost \
  java -Xmx3g ${HARNESS_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.connectaws.bench.Compare "$OUT" \
  2>&1 | tee "$OUT/run.log"
exit "${PIPESTATUS[0]}"
