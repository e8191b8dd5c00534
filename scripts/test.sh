#!/usr/bin/env bash
# Runs every test: unit tests, the image build, the test images and the integration tests that
# run the image against real Kafka, PostgreSQL and MariaDB. Installs and starts Docker if needed.
#   scripts/test.sh [extra maven args]     e.g. scripts/test.sh -Dit.test=PostgresCdcIT
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

./scripts/ensure-docker.sh
# Debian's default JDK: 17 on Debian 12, 21 on 13 (which has no openjdk-17); the build needs 17 or newer
command -v mvn >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven default-jdk-headless >/dev/null; }
command -v aws >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null; }
# npm fetches the CloudFormation resource specification (@aws-cdk/aws-service-spec) for config's CloudFormationSpecTest
command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
# Containers left by an interrupted run (Ryuk, Testcontainers' reaper, is off because it must be pulled).
stale=$(/usr/bin/docker ps -aq --filter label=org.testcontainers=true)
[ -z "$stale" ] || /usr/bin/docker rm -f $stale >/dev/null

status=0
# clean: unpacked plugin directories and old test reports must not outlive the build that made them
mvn -B -ntp clean verify "$@" || status=$?

reports=it/tests/target/failsafe-reports
if compgen -G "$reports/TEST-*.xml" >/dev/null; then
  echo "Integration tests skipped, with their reasons:"
  grep -h -o 'Assumption failed: [^]]*' "$reports"/TEST-*.xml | sed 's/^Assumption failed: /  - /' | cut -c1-400 || echo "  (none)"
fi
echo "test.sh: finished in $((SECONDS - started)) s with status $status"
exit $status
