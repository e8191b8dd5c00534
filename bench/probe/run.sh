#!/usr/bin/env bash
# Benchmarks the ECS health probe: io.connectaws.health.probe.HealthProbe started with
# healthcheck/src/main/probe/probe.args. Wall time and peak RSS (GNU time) per JVM option set, runs interleaved across
# the option sets, on the exact Java runtime of the product image (its jlink'd JDK 21 and CDS archive), against a local
# server answering /health/live 200 and /health/ready 503; hyperfine cross-checks the headline comparison. Also through
# `docker exec` in a running container of the image. Writes bench/probe/results.md (keeping its "## Findings" part).
#
# usage: sudo bench/probe/run.sh         (root: it chroots into the image's file system and runs docker)
# env:   IMAGE=connect-aws:0.1.0-SNAPSHOT  whose runtime runs the probe
#        RUNS=20                           runs per measurement
#        JAR=path/to/connect-aws-healthcheck.jar   measure this jar instead of compiling the probe from source
#        DOCKER_EXEC=1                     also measure through `docker exec` in a running container (0: skip)
#        PORT=18083                        the local server's port
#        OUT=bench/probe/results.md
#
# The runtime needs the image's glibc (Debian trixie), newer than many hosts', so rather than copying /opt/java
# alone this exports the image's whole file system and runs the probe in it with chroot, as uid 10001 like the
# image, with the probe jar and probe.args at the paths the image uses.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE=${IMAGE:-connect-aws:0.1.0-SNAPSHOT}
RUNS=${RUNS:-20}
DOCKER_EXEC=${DOCKER_EXEC:-1}
PORT=${PORT:-18083}
OUT=${OUT:-$repo/bench/probe/results.md}
src=$repo/healthcheck/src/main/java/io/connectaws/health/probe/HealthProbe.java
args_file=$repo/healthcheck/src/main/probe/probe.args
main=io.connectaws.health.probe.HealthProbe
jar_path=/opt/connect/plugins/connect-aws-healthcheck/connect-aws-healthcheck.jar

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (chroot, mount, docker)" >&2; exit 1; }
for tool in docker javac jar java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine time >/dev/null 2>&1 || true
fi
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time, Debian package time) is missing" >&2; exit 1; }
bash "$repo/scripts/ensure-docker.sh"

work=$(mktemp -d /tmp/probe-bench.XXXXXX)
root=$work/rootfs
server_pid=
container=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1 || true
  if mountpoint -q "$root/proc"; then umount "$root/proc" || umount -l "$root/proc" || true; fi
  mountpoint -q "$root/proc" || rm -rf "$work" # never recurse into a mounted /proc
}
trap cleanup EXIT

echo "run.sh: exporting the file system of $IMAGE"
mkdir -p "$root"
cid=$(docker create "$IMAGE")
docker export "$cid" | tar -x -C "$root"
docker rm "$cid" >/dev/null
mount -t proc proc "$root/proc"
jvm=(chroot --userspec=10001:10001 "$root" /opt/java/bin/java)
java_version=$("${jvm[@]}" -version 2>&1 | tr '\n' ' ')

echo "run.sh: building the probe"
mkdir -p "$root$(dirname "$jar_path")" "$root/bench" "$work/classes" "$work/huc/classes" "$work/server"
if [ -n "${JAR:-}" ]; then
  cp "$JAR" "$root$jar_path"
  probe_source="the jar $JAR"
else
  javac --release 17 -nowarn -d "$work/classes" "$src"
  jar --create --file "$root$jar_path" -C "$work/classes" .
  probe_source="healthcheck/src/main/java/io/connectaws/health/probe/HealthProbe.java (git $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git -C "$repo" status --porcelain -- "$src" 2>/dev/null)" ] || echo ' with uncommitted changes'), compiled with $(javac -version 2>&1) --release 17)"
fi
cp "$args_file" "$root/opt/connect/config/probe.args"
# The same probe with HttpURLConnection in place of the raw socket: get(...) up to the Response record is replaced.
huc_get='    static Response get(URI url, long deadline) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.toURL().openConnection();
        try {
            c.setConnectTimeout(remaining(deadline));
            c.setReadTimeout(remaining(deadline));
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Connection", "close");
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body = in == null ? new byte[0] : in.readNBytes(MAX_RESPONSE_BYTES);
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }
'
huc=0
if [ -z "${JAR:-}" ] && grep -q '^    static Response get(URI url, long deadline)' "$src" && grep -q '^    record Response' "$src"; then
  HUC_GET=$huc_get awk '/^    static Response get\(URI url, long deadline\)/ { print ENVIRON["HUC_GET"]; skip = 1; next }
       /^    record Response/ { skip = 0 } !skip' "$src" > "$work/huc/HealthProbe.java"
  javac --release 17 -nowarn -d "$work/huc/classes" "$work/huc/HealthProbe.java"
  jar --create --file "$root/bench/huc.jar" -C "$work/huc/classes" .
  huc=1
fi
# The options of probe.args (every token before -cp; the file has no quoted tokens).
mapfile -t chosen < <(grep -v '^[[:space:]]*#' "$args_file" | tr -s ' \t\r\n' '\n' | awk '$0 == "-cp" { exit } NF')

echo "run.sh: starting the local server on port $PORT"
javac --release 17 -nowarn -d "$work/server" "$repo/bench/probe/ProbeBenchServer.java"
java -cp "$work/server" ProbeBenchServer "$PORT" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do grep -q listening "$work/server.log" && break; sleep 0.2; done
grep -q listening "$work/server.log" || { cat "$work/server.log" >&2; exit 1; }
url=http://127.0.0.1:$PORT

# Configurations are queued with add LABEL EXPECTED_EXIT COMMAND... and measured by measure_queue, which runs them
# interleaved: every round runs each configuration once, so that load from elsewhere on the machine (this was written
# on a shared 2-vCPU VM) hits all of them alike instead of skewing whichever ran during a burst. Each run is timed
# with date +%s%N around GNU time, whose %M gives the peak RSS of the same run (its own ~1 ms is in every row alike).
labels=() expects=() cmds=() rows=()
add() { labels+=("$1"); expects+=("$2"); shift 2; cmds+=("$(printf '%q ' "$@")"); }
# measure_queue PREFIX TIMED_PREFIX: PREFIX runs a command (empty here; `docker exec <c>` for the container), and
# TIMED_PREFIX runs it under GNU time, whose last stderr line is then the peak RSS in KB.
measure_queue() {
  local prefix=$1 timed=$2 n=${#cmds[@]} i round out rc t0
  local outputs=()
  for ((i = 0; i < n; i++)); do
    rc=0; out=$(eval "$prefix ${cmds[i]}" 2>&1) || rc=$?
    [ "$rc" = "${expects[i]}" ] || { echo "run.sh: '${labels[i]}' exited $rc, expected ${expects[i]}: $out" >&2; exit 1; }
    outputs+=("$(echo "$out" | grep -v '^NOTE: Picked up' | head -n 1 | cut -c 1-90 | tr '|' '/')")
    : > "$work/wall.$i"; : > "$work/rss.$i"
  done
  for ((round = -2; round <= RUNS; round++)); do # two warm-up rounds
    for ((i = 0; i < n; i++)); do
      t0=$(date +%s%N)
      eval "$timed ${cmds[i]}" >/dev/null 2>"$work/stderr" || true
      if [ "$round" -gt 0 ]; then
        echo "$(( ($(date +%s%N) - t0) / 1000 ))" >> "$work/wall.$i"
        tail -n 1 "$work/stderr" >> "$work/rss.$i"
      fi
    done
  done
  for ((i = 0; i < n; i++)); do
    local wall mem
    wall=$(sort -n "$work/wall.$i" | awk '{ v[NR] = $1 / 1000 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
           p = int(0.95 * NR); if (p < 0.95 * NR) p++; printf "%.1f | %.1f", m, v[p] }')
    mem=$(sort -n "$work/rss.$i" | awk '/^[0-9]+$/ { v[++n] = $1 } END { if (n) printf "%.1f | %.1f", v[int((n + 1) / 2)] / 1024, v[n] / 1024; else printf "n/a | n/a" }')
    rows+=("| ${labels[i]} | $wall | $mem | \`${outputs[i]}\` |")
    echo "  ${labels[i]}: $wall ms, $mem MB"
  done
  labels=() expects=() cmds=()
}
without() { local skip=$1; shift; for o in "$@"; do [ "$o" = "$skip" ] || printf '%s\n' "$o"; done; }

echo "run.sh: measuring in the image's runtime ($RUNS interleaved rounds)"
add "\`java -cp JAR HealthProbe live\` (JVM defaults)" 0 "${jvm[@]}" -cp "$jar_path" "$main" live "--url=$url"
add "**\`java @probe.args live\`** (chosen)" 0 "${jvm[@]}" @/opt/connect/config/probe.args live "--url=$url"
add "\`java @probe.args ready\`, HTTP 503 (exit 1)" 1 "${jvm[@]}" @/opt/connect/config/probe.args ready "--url=$url"
add "\`java @probe.args live\`, connection refused, worker start read from /proc" 1 \
  "${jvm[@]}" @/opt/connect/config/probe.args live --url=http://127.0.0.1:1 --startup-grace=0
for option in "${chosen[@]}"; do
  mapfile -t rest < <(without "$option" "${chosen[@]}")
  add "probe.args without \`$option\`" 0 "${jvm[@]}" "${rest[@]}" -cp "$jar_path" "$main" live "--url=$url"
done
# JDK_JAVA_OPTIONS set for the worker reaches the probe too (the launcher puts it before the argfile).
worker_heap=(env "JDK_JAVA_OPTIONS=-Xms1g -Xmx2g")
add "JVM defaults, with \`JDK_JAVA_OPTIONS='-Xms1g -Xmx2g'\` meant for the worker" 0 \
  "${worker_heap[@]}" "${jvm[@]}" -cp "$jar_path" "$main" live "--url=$url"
add "**\`java @probe.args live\`**, with \`JDK_JAVA_OPTIONS='-Xms1g -Xmx2g'\`" 0 \
  "${worker_heap[@]}" "${jvm[@]}" @/opt/connect/config/probe.args live "--url=$url"
mapfile -t no_xms < <(without -Xms4m "${chosen[@]}")
add "probe.args without \`-Xms4m\`, with \`JDK_JAVA_OPTIONS='-Xms1g -Xmx2g'\`: the JVM does not start" 1 \
  "${worker_heap[@]}" "${jvm[@]}" "${no_xms[@]}" -cp "$jar_path" "$main" live "--url=$url"
mapfile -t jit < <(without -Xint "${chosen[@]}")
add "probe.args with \`-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1\` for \`-Xint\`" 0 \
  "${jvm[@]}" "${jit[@]}" -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -cp "$jar_path" "$main" live "--url=$url"
for extra in -XX:+UseSerialGC -Xss256k -XX:ReservedCodeCacheSize=8m -Xshare:off; do
  add "probe.args + \`$extra\`" 0 "${jvm[@]}" "${chosen[@]}" "$extra" -cp "$jar_path" "$main" live "--url=$url"
done
if [ "$huc" = 1 ]; then
  add "HttpURLConnection variant, JVM defaults" 0 "${jvm[@]}" -cp /bench/huc.jar "$main" live "--url=$url"
  add "HttpURLConnection variant, probe.args options" 0 "${jvm[@]}" "${chosen[@]}" -cp /bench/huc.jar "$main" live "--url=$url"
fi
add "\`java -version\` (JVM floor, defaults)" 0 "${jvm[@]}" -version
add "\`java <probe.args options> -version\` (JVM floor)" 0 "${jvm[@]}" "${chosen[@]}" -version
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measure_queue "" "/usr/bin/time -f %M"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
local_rows=("${rows[@]}")
rows=()

# A cross-check of the headline comparison with hyperfine (sequential, not interleaved), as its markdown table.
hyperfine_table="hyperfine is not installed"
if command -v hyperfine >/dev/null; then
  echo "run.sh: hyperfine cross-check"
  hf=(-N --warmup 3 --runs "$RUNS" --export-markdown "$work/hyperfine.md"
      -n "JVM defaults" "$(printf '%q ' "${jvm[@]}" -cp "$jar_path" "$main" live "--url=$url")"
      -n "probe.args" "$(printf '%q ' "${jvm[@]}" @/opt/connect/config/probe.args live "--url=$url")")
  [ "$huc" = 1 ] && hf+=(-n "HttpURLConnection, probe.args options"
      "$(printf '%q ' "${jvm[@]}" "${chosen[@]}" -cp /bench/huc.jar "$main" live "--url=$url")")
  hyperfine "${hf[@]}" >/dev/null 2>&1 && hyperfine_table=$(cat "$work/hyperfine.md")
fi

classes() { # classes loaded, and how many of them not from the CDS archive
  "${jvm[@]}" -Xlog:class+load:file=/tmp/classes.txt "$@" >/dev/null 2>&1 || true
  echo "$(wc -l < "$root/tmp/classes.txt") ($(grep -vc 'shared objects file' "$root/tmp/classes.txt") not from CDS)"
}
mapfile -t logged < <(without -Xlog:disable "${chosen[@]}")
classes_default=$(classes -cp "$jar_path" "$main" live "--url=$url")
classes_chosen=$(classes "${logged[@]}" -cp "$jar_path" "$main" live "--url=$url")
classes_huc=n/a
[ "$huc" = 1 ] && classes_huc=$(classes "${logged[@]}" -cp /bench/huc.jar "$main" live "--url=$url")

docker_note="not measured (DOCKER_EXEC=0)"
if [ "$DOCKER_EXEC" = 1 ]; then
  echo "run.sh: measuring through docker exec"
  dk=$work/dk
  mkdir -p "$dk"
  cp "$root$jar_path" "$dk/connect-aws-healthcheck.jar"
  cp "$work/server/ProbeBenchServer.class" "$dk/"
  sed "s#$jar_path#/bench/connect-aws-healthcheck.jar#" "$args_file" > "$dk/probe.args"
  cp /usr/bin/time "$dk/time"
  chmod -R a+rX "$dk"; chmod a+x "$work"
  container=probe-bench-$$
  # The image's runtime serves the endpoints on 8083 as the worker would; the probe runs beside it as uid 10001.
  docker run -d --name "$container" --read-only --tmpfs /tmp --memory=1536m -v "$dk:/bench:ro" \
    --entrypoint /opt/java/bin/java "$IMAGE" -cp /bench ProbeBenchServer 8083 >/dev/null
  for _ in $(seq 1 50); do docker exec "$container" /opt/java/bin/java @/bench/probe.args live >/dev/null 2>&1 && break; sleep 0.2; done
  add "\`docker exec … java -cp JAR HealthProbe live\` (JVM defaults)" 0 \
    /opt/java/bin/java -cp /bench/connect-aws-healthcheck.jar "$main" live
  add "**\`docker exec … java @probe.args live\`** (chosen)" 0 /opt/java/bin/java @/bench/probe.args live
  add "\`docker exec … java -version\` (exec + JVM floor)" 0 /opt/java/bin/java -version
  measure_queue "docker exec $container" "docker exec $container /bench/time -f %M"
  docker_rows=("${rows[@]}")
  rows=()
fi

cpus=$(nproc)
mem=$(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')
{
  echo "# Health probe benchmark"
  echo
  echo "Generated by \`bench/probe/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); rerun it to refresh this file."
  echo
  echo "- Machine: $(uname -srm), $cpus CPUs (\`nproc\`), memory $mem (\`free -g\`)"
  echo "- Runtime: \`/opt/java\` of \`$IMAGE\` ($(docker image inspect --format '{{.Id}}' "$IMAGE" | cut -c8-19)): $java_version"
  echo "- Probe: $probe_source; options from \`healthcheck/src/main/probe/probe.args\`: \`${chosen[*]}\`"
  echo "- Server: \`bench/probe/ProbeBenchServer.java\` (JDK HttpServer on 127.0.0.1:$PORT; /health/live 200, /health/ready 503, JSON bodies)"
  echo "- Method: $RUNS rounds after 2 warm-up rounds; each round runs every configuration of a table once (interleaved),"
  echo "  timed with \`date +%s%N\` around \`/usr/bin/time -f %M <command>\` (GNU time), which gives the run's peak RSS."
  echo "  Load average (1/5/15 min) before and after the first table: $load_before; $load_after."
  echo "- Commands: \`<java>\` is \`${jvm[*]/$root/<rootfs>}\`, the image's file system exported with"
  echo "  \`docker export\` into \`<rootfs>\` (its runtime needs the image's glibc) with \`/proc\` mounted; the probe jar is at"
  echo "  \`$jar_path\` and probe.args at \`/opt/connect/config/probe.args\` inside it, as in the image."
  echo
  echo "## In the image's runtime (chroot)"
  echo
  echo "| Command | Wall median ms | Wall p95 ms | Peak RSS median MB | Peak RSS max MB | Output |"
  echo "|---|---:|---:|---:|---:|---|"
  printf '%s\n' "${local_rows[@]}"
  echo
  echo "Classes loaded by \`live\` (\`-Xlog:class+load\`): JVM defaults $classes_default; probe.args options $classes_chosen;"
  echo "HttpURLConnection variant with the probe.args options $classes_huc."
  echo
  echo "Cross-check with hyperfine, run by run in sequence (\`hyperfine -N --warmup 3 --runs $RUNS <commands>\`):"
  echo
  echo "$hyperfine_table"
  echo
  echo "## Through \`docker exec\` into a running container of the image"
  echo
  if [ "$DOCKER_EXEC" = 1 ]; then
    echo "The container: \`docker run -d --read-only --tmpfs /tmp --memory=1536m -v <dir>:/bench:ro --entrypoint /opt/java/bin/java"
    echo "$IMAGE -cp /bench ProbeBenchServer 8083\` (the same server on the worker's port), the probe jar and probe.args (jar"
    echo "path rewritten to /bench) mounted at /bench; the probe uses its default URL. Wall times include \`docker exec\` itself;"
    echo "peak RSS is the probe's, measured inside the container: \`docker exec <c> /bench/time -f %M <java ...>\`"
    echo "(the host's GNU time, which runs on the image's newer glibc)."
    echo
    echo "| Command | Wall median ms | Wall p95 ms | Peak RSS median MB | Peak RSS max MB | Output |"
    echo "|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${docker_rows[@]}"
  else
    echo "$docker_note"
  fi
} > "$OUT.generated"

# Keep the hand-written part of results.md (from its "## Findings" heading on) below the generated tables.
if [ -f "$OUT" ] && grep -q '^## Findings' "$OUT"; then
  { echo; sed -n '/^## Findings/,$p' "$OUT"; } >> "$OUT.generated"
fi
mv "$OUT.generated" "$OUT"
echo "run.sh: wrote $OUT"
