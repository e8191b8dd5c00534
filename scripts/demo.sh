#!/usr/bin/env bash
# The main job: builds the image (and the local Kafka/PostgreSQL images) if needed, starts Kafka,
# PostgreSQL and the connect-aws image on one Docker network with a Debezium PostgreSQL connector
# declared in a file mounted at /opt/connect/connectors (no REST call creates it: the worker applies
# the declaration itself, docs/connectors.md), inserts/updates/deletes rows and prints the change
# events that arrive in Kafka.
#   scripts/demo.sh          run the demo (leaves it running: REST API on http://localhost:8083)
#   scripts/demo.sh stop     remove the demo's containers and network
set -euo pipefail
cd "$(dirname "$0")/.."
docker=/usr/bin/docker
net=connect-aws-demo
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1)
kafka_version=$(sed -n 's|.*<kafka.version>\(.*\)</kafka.version>.*|\1|p' pom.xml)
image=connect-aws:$version
topic=demo.public.customers
declarations_prefix="${TMPDIR:-/tmp}"; declarations_prefix="${declarations_prefix%/}/connect-aws-demo."

stop() {
  # the declarations directory mounted into the worker: found from the container, removed with it
  local declarations
  declarations=$("$docker" inspect -f \
    '{{range .Mounts}}{{if eq .Destination "/opt/connect/connectors"}}{{.Source}}{{end}}{{end}}' \
    demo-connect 2>/dev/null || true)
  "$docker" rm -f demo-connect demo-postgres demo-kafka >/dev/null 2>&1 || true
  "$docker" network rm "$net" >/dev/null 2>&1 || true
  case "$declarations" in
    "$declarations_prefix"*) rm -rf -- "$declarations" ;;
  esac
}
if [ "${1:-}" = stop ]; then stop; echo "demo: stopped"; exit 0; fi

./scripts/ensure-docker.sh
# What the demo runs on the host besides Docker: Maven and a JDK for the build (Java 17 or newer, the root pom's
# release level; Debian's default JDK is 17 on Debian 12 and 21 on Debian 13) and curl for the REST calls.
java_major() { javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'; }
missing=()
command -v mvn >/dev/null || missing+=(maven)
if ! command -v javac >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then missing+=(default-jdk-headless); fi
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "demo: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  echo "demo: the build needs JDK 17 or newer and javac is $(javac -version 2>&1); set JAVA_HOME or update-alternatives" >&2
  exit 1
fi

echo "demo: building the image and the local Kafka/PostgreSQL images (cached after the first run)"
# no 'clean': the image's Docker context is assembled afresh by every build, and Docker's cache keeps a rebuild short
mvn -B -q -ntp install -DskipTests

stop
"$docker" network create "$net" >/dev/null
echo "demo: starting Kafka (KRaft) and PostgreSQL (logical decoding)"
"$docker" run -d --name demo-kafka --network "$net" --network-alias kafka \
  -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
  -e KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093 \
  -e KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:9092 \
  -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER \
  -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT \
  -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@kafka:9093 \
  -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 -e KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
  -e KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 -e KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0 \
  "connect-aws-it/kafka:$kafka_version" >/dev/null
"$docker" run -d --name demo-postgres --network "$net" --network-alias postgres \
  -e POSTGRES_USER=cdc -e POSTGRES_PASSWORD=cdc-secret -e POSTGRES_DB=inventory \
  connect-aws-it/postgres:17 >/dev/null

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "demo: $what did not come up" >&2; exit 1
}
psql() { "$docker" exec -i demo-postgres psql -q -v ON_ERROR_STOP=1 -U cdc -d inventory "$@"; }
wait_for "PostgreSQL" psql -c 'SELECT 1'
wait_for "Kafka" sh -c "$docker logs demo-kafka 2>&1 | grep -q 'Transitioning from RECOVERY to RUNNING'"
psql <<'SQL'
CREATE TABLE customers (id INT PRIMARY KEY, name TEXT, email TEXT);
ALTER TABLE customers REPLICA IDENTITY FULL;
INSERT INTO customers VALUES (1, 'alice', 'alice@example.com'), (2, 'bob', 'bob@example.com');
SQL

# The connector is declared in a file, as it would be in an image built FROM this one
# (COPY connectors/ /opt/connect/connectors/); here the directory is mounted read-only instead.
# The worker runs as UID 10001: the directory and the file must be readable by others.
declarations=$(mktemp -d "${declarations_prefix}XXXXXX")
chmod 755 "$declarations"
cat > "$declarations/inventory.yaml" <<'YAML'
# The body of POST /connectors, in YAML; GET /declarations shows what the worker did with it.
name: inventory
state: running
config:
  connector.class: io.debezium.connector.postgresql.PostgresConnector
  database.hostname: postgres
  database.port: 5432
  database.user: cdc
  database.password: cdc-secret   # a demo; in AWS: "${secretsmanager:connect/inventory-db:password}"
  database.dbname: inventory
  plugin.name: pgoutput
  topic.prefix: demo
  table.include.list: public.customers
  topic.creation.default.replication.factor: 1
  topic.creation.default.partitions: 1
  key.converter: org.apache.kafka.connect.json.JsonConverter
  key.converter.schemas.enable: "false"
  value.converter: org.apache.kafka.connect.json.JsonConverter
  value.converter.schemas.enable: "false"
YAML
chmod 644 "$declarations/inventory.yaml"

echo "demo: starting $image (read-only root filesystem, tmpfs /tmp, 1 GiB memory limit)"
echo "demo: the Debezium PostgreSQL connector is declared in $declarations/inventory.yaml (mounted at /opt/connect/connectors)"
started=$(date +%s%N)
"$docker" run -d --name demo-connect --network "$net" -p 8083:8083 \
  --read-only --tmpfs /tmp --memory 1g \
  -v "$declarations:/opt/connect/connectors:ro" \
  -e BOOTSTRAP_SERVERS=kafka:9092 -e GROUP_ID=demo \
  "$image" >/dev/null
# no replication factors: the storage topics (demo-configs, demo-offsets, demo-status) take the broker's default
wait_for "the Connect REST API" curl -sf http://localhost:8083/health
echo "demo: REST API ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"

wait_for "the declared connector's task" sh -c "curl -sf http://localhost:8083/connectors/inventory/status | grep -q '\"tasks\":\[{\"id\":0,\"state\":\"RUNNING\"'"
echo "demo: the worker created the declared connector; its task RUNNING after $(( ($(date +%s%N) - started) / 1000000 )) ms"
echo "demo: GET /declarations:"
curl -sf http://localhost:8083/declarations | grep -o '"connectors":\[[^]]*\]' | cut -c1-300 || true

echo "demo: changing rows: insert 3, update 1, delete 2"
psql <<'SQL'
INSERT INTO customers VALUES (3, 'carol', 'carol@example.com');
UPDATE customers SET email = 'alice@example.org' WHERE id = 1;
DELETE FROM customers WHERE id = 2;
SQL

echo "demo: change events in topic $topic (key | value; op r=snapshot c=insert u=update d=delete, null=tombstone):"
"$docker" exec demo-kafka java -cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/etc/kafka/docker/tools-log4j2.yaml \
  org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server localhost:9092 --topic "$topic" \
  --from-beginning --max-messages 6 --timeout-ms 60000 \
  --formatter-property print.key=true --formatter-property key.separator=' | ' 2>/dev/null \
  | sed -E 's/,"source":\{[^}]*\}//; s/,"transaction":null//; s/,"ts_(ms|us|ns)":[0-9]+//g'

echo "demo: worker health (the probe ECS runs, inside the image: no shell, no curl there):"
"$docker" exec demo-connect /opt/java/bin/java @/opt/connect/config/probe.args ready | cut -c1-220

cat <<EOF2
demo: done. The worker keeps running: http://localhost:8083/connectors/inventory/status
      declarations: http://localhost:8083/declarations; edit $declarations/inventory.yaml
             (state: paused, say) and the worker applies it within 30 s (docs/connectors.md)
      health: http://localhost:8083/health/live and /health/ready (docs/health.md)
      psql:  docker exec -it demo-postgres psql -U cdc -d inventory
      stop:  scripts/demo.sh stop
EOF2
