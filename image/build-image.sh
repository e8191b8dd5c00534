#!/usr/bin/env bash
# Builds the product image from the context the Maven `image` module assembled.
#   image/build-image.sh <context-dir> <image:tag> <kafka-version> <debezium-version> <mariadb-connector-version> <debian-suite>
# Prints the image's uncompressed size. BUILD_BASE=<image> picks the build stage's base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
context=$1 image=$2 kafka=$3 debezium=$4 mariadb=$5 suite=$6
if [ ! -s "$context/sbom/bom.json" ]; then
  # cyclonedx skips makeBom when Maven runs offline (-o); the image is then built without its SBOM
  echo "build-image: no SBOM (Maven ran offline); the image's /opt/connect/sbom stays empty" >&2
  mkdir -p "$context/sbom"
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
