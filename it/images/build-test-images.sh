#!/usr/bin/env bash
# Builds the test images (Kafka, PostgreSQL, MariaDB) from Debian packages and Maven Central jars.
#   it/images/build-test-images.sh <maven-target-dir> <kafka-version> <debian-suite>
# Tags: connect-aws-it/kafka:<kafka-version>, connect-aws-it/postgres:17, connect-aws-it/mariadb:11,
#       connect-aws-it/aws-local:local (the AWS wire-protocol endpoint of it/aws-local, on the Kafka image's JRE),
#       connect-aws-it/apicurio-local:local (the Apicurio Registry stand-in of it/apicurio-local, same JRE).
# Docker's layer cache makes a rebuild with unchanged inputs take seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$1 kafka=$2 suite=$3
docker=/usr/bin/docker

"$here/../../scripts/ensure-docker.sh"
base=$("$here/../../scripts/resolve-base-image.sh" "$suite")

build() { # name tag context
  local started=$SECONDS
  DOCKER_BUILDKIT=1 "$docker" build -q --build-arg BASE_IMAGE="$base" --build-arg KAFKA_IMAGE="connect-aws-it/kafka:$kafka" \
    -t "$2" "$3" >/dev/null
  echo "build-test-images: $2 ($((SECONDS - started)) s)"
}

ctx="$target/kafka-context"
rm -rf "$ctx" && mkdir -p "$ctx" && cp -a "$here/kafka/." "$ctx/" && cp -a "$target/kafka-libs" "$ctx/libs"
build kafka "connect-aws-it/kafka:$kafka" "$ctx"
build postgres connect-aws-it/postgres:17 "$here/postgres"
build mariadb connect-aws-it/mariadb:11 "$here/mariadb"

ctx="$target/aws-local-context"
rm -rf "$ctx" && mkdir -p "$ctx" && cp -a "$here/aws-local/." "$ctx/" && cp -a "$here/../aws-local/target/aws-local-libs" "$ctx/aws-local-libs"
build aws-local connect-aws-it/aws-local:local "$ctx"

ctx="$target/apicurio-local-context"
rm -rf "$ctx" && mkdir -p "$ctx" && cp -a "$here/apicurio-local/." "$ctx/" \
  && cp -a "$here/../apicurio-local/target/apicurio-local-libs" "$ctx/apicurio-local-libs"
build apicurio-local connect-aws-it/apicurio-local:local "$ctx"
