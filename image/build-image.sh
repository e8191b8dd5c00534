#!/usr/bin/env bash
# Builds the product image from the context the Maven `image` module assembled.
#   image/build-image.sh <context-dir> <image:tag> <kafka-version> <debezium-version> <mariadb-connector-version> <debian-suite>
# Prints the image's uncompressed size. BUILD_BASE=<image> picks the build stage's base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
context=$1 image=$2 kafka=$3 debezium=$4 mariadb=$5 suite=$6
if [ ! -s "$context/sbom/bom.json" ]; then
  # cyclonedx-maven-plugin's goals require Maven online; offline (-o) the SBOM comes from a scan of the context's jars
  # (their Maven coordinates and SHA-256, looked up in the local repository when a jar carries none)
  echo "build-image: no SBOM from cyclonedx (Maven ran offline): scanning the context's jars instead" >&2
  mkdir -p "$context/sbom"
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" "$here/src/sbom/JarSbom.java" "$context" "${image%%:*}" "${image##*:}" "${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" \
    > "$context/sbom/bom.json.tmp"
  mv "$context/sbom/bom.json.tmp" "$context/sbom/bom.json"
fi
docker=/usr/bin/docker

"$here/../scripts/ensure-docker.sh"
base=$("$here/../scripts/resolve-base-image.sh" "$suite")
revision=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "build-image: building $image from base $base"
DOCKER_BUILDKIT=1 "$docker" build -q \
  --build-arg BUILD_BASE="$base" \
  --build-arg VERSION="${image##*:}" \
  --build-arg REVISION="$revision" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --build-arg KAFKA_VERSION="$kafka" \
  --build-arg DEBEZIUM_VERSION="$debezium" \
  --build-arg DEBEZIUM_MARIADB_VERSION="$mariadb" \
  -t "$image" "$context" >/dev/null
size=$("$docker" image inspect -f '{{.Size}}' "$image")
echo "build-image: $image uncompressed size: $((size / 1024 / 1024)) MiB ($size bytes)"
