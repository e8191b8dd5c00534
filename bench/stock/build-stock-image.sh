#!/usr/bin/env bash
# Builds the stock-recipe reference image (benchmark fixture; see bench/stock/README.md):
#   bench/stock/build-stock-image.sh [repo-root]
# repo-root (default: the repository this script sits in) is where scripts/resolve-base-image.sh is taken from. The
# Debezium plugins are Debezium's published archives, unpacked by Maven (the product image's copies are slimmed and patched).
# The pom, Dockerfile and entrypoint always come from this script's own directory.
# env: PLUGINS_FROM=<dir>   take debezium-connector-* from another directory (default: target/debezium-plugins)
#      BUILD_BASE=<image>   base image to build from (else resolve-base-image.sh bookworm: debian:bookworm-slim, or
#                           connect-aws/debian-base:bookworm built once from Debian packages)
#      MVN_ARGS="-o -q -B"  Maven flags (drop -o once if ~/.m2 lacks one of Kafka's jars)
# Prints the image's uncompressed size. Reruns are fast: Maven copies from ~/.m2, Docker reuses its layers.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "${1:-$here/../..}" 2>/dev/null && pwd) || { echo "build-stock-image: no such directory: ${1:-}" >&2; exit 1; }
docker=/usr/bin/docker
plugins_from=${PLUGINS_FROM:-$here/target/debezium-plugins}
plugins=(debezium-connector-postgres debezium-connector-mysql debezium-connector-mariadb debezium-connector-sqlserver)
context=$here/target/context

die() { echo "build-stock-image: $*" >&2; exit 1; }

[ -f "$repo/pom.xml" ] && [ -x "$repo/scripts/resolve-base-image.sh" ] \
  || die "$repo is not the connect-aws repository (no pom.xml or scripts/resolve-base-image.sh); pass the repo root"
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/../../pom.xml" | head -n 1)
[ -n "$kafka_version" ] || die "no <kafka.version> in $here/../../pom.xml"
image=connect-aws-bench/stock-connect:$kafka_version

echo "build-stock-image: Kafka $kafka_version distribution jars (mvn ${MVN_ARGS:--o -q -B} -f bench/stock/pom.xml package)"
# shellcheck disable=SC2086
mvn ${MVN_ARGS:--o -q -B} -f "$here/pom.xml" package \
  || die "Maven failed; if a Kafka jar is missing from ~/.m2, run once with MVN_ARGS=-q (online)"
[ -f "$context/libs/connect-runtime-$kafka_version.jar" ] || die "Maven did not put connect-runtime-$kafka_version.jar into $context/libs"
for p in "${plugins[@]}"; do
  [ -d "$plugins_from/$p" ] || die "missing $plugins_from/$p (Maven unpacks Debezium's published plugin archives there; PLUGINS_FROM=<dir> overrides)"
done

echo "build-stock-image: context $context (plugins from $plugins_from)"
rm -rf "$context/connect" "$context/config"
mkdir -p "$context/connect"
for p in "${plugins[@]}"; do cp -a "$plugins_from/$p" "$context/connect/"; done
cp -a "$here/config" "$context/config"
cp "$here/docker-entrypoint.sh" "$context/docker-entrypoint.sh"

"$repo/scripts/ensure-docker.sh" >&2 || die "no Docker engine (scripts/ensure-docker.sh failed)"
base=$("$repo/scripts/resolve-base-image.sh" bookworm) || die "no bookworm base image (scripts/resolve-base-image.sh bookworm failed)"
echo "build-stock-image: building $image from base $base"
DOCKER_BUILDKIT=1 "$docker" build -q --build-arg BASE_IMAGE="$base" -f "$here/Dockerfile" -t "$image" "$context" >/dev/null \
  || die "docker build failed (rerun without -q: DOCKER_BUILDKIT=1 docker build --build-arg BASE_IMAGE=$base -f $here/Dockerfile $context)"
size=$("$docker" image inspect -f '{{.Size}}' "$image")
echo "build-stock-image: $image uncompressed size: $((size / 1024 / 1024)) MiB ($size bytes)"
