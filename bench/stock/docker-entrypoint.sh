#!/bin/bash
# Stock-recipe reference entrypoint (benchmark fixture). Mirrors Debezium's connect-base docker-entrypoint.sh
# (debezium/container-images connect-base/3.7/docker-entrypoint.sh): the same variables, defaults and CONNECT_* ->
# connect-distributed.properties rewriting; then, instead of `exec bin/connect-distributed.sh`, it execs java with
# the flags Kafka's bin/connect-distributed.sh + bin/kafka-run-class.sh produce (Kafka 4.2+/4.3 scripts).
# Left out (all off by default in Debezium's image): Apicurio, Debezium scripting, OpenTelemetry, Chronicle Queue,
# Jolokia, the JMX exporter, JFR, and CONNECT_LOG4J_* other than CONNECT_LOG4J_LOGGERS.

# Exit immediately if a *pipeline* returns a non-zero status. (Add -x for command tracing)
set -e

: "${KAFKA_HOME:=/kafka}"
: "${KAFKA_DATA:=$KAFKA_HOME/data}"
: "${KAFKA_CONNECT_PLUGINS_DIR:=$KAFKA_HOME/connect}"

if [[ -z "$SENSITIVE_PROPERTIES" ]]; then
    SENSITIVE_PROPERTIES="CONNECT_SASL_JAAS_CONFIG,CONNECT_CONSUMER_SASL_JAAS_CONFIG,CONNECT_PRODUCER_SASL_JAAS_CONFIG,CONNECT_SSL_KEYSTORE_PASSWORD,CONNECT_PRODUCER_SSL_KEYSTORE_PASSWORD,CONNECT_SSL_TRUSTSTORE_PASSWORD,CONNECT_PRODUCER_SSL_TRUSTSTORE_PASSWORD,CONNECT_SSL_KEY_PASSWORD,CONNECT_PRODUCER_SSL_KEY_PASSWORD,CONNECT_CONSUMER_SSL_TRUSTSTORE_PASSWORD,CONNECT_CONSUMER_SSL_KEYSTORE_PASSWORD,CONNECT_CONSUMER_SSL_KEY_PASSWORD"
fi

if [[ -z "$BOOTSTRAP_SERVERS" ]]; then
    # Docker container links (KAFKA_PORT_9092_TCP=tcp://host:port), as Debezium's image does.
    BOOTSTRAP_SERVERS=$(env | grep '.*PORT_9092_TCP=' | sed -e 's|.*tcp://||' | uniq | paste -sd , || true)
fi
if [[ "x$BOOTSTRAP_SERVERS" = "x" ]]; then
    export BOOTSTRAP_SERVERS=0.0.0.0:9092
fi
echo "Using BOOTSTRAP_SERVERS=$BOOTSTRAP_SERVERS"

if [[ -z "$HOST_NAME" ]]; then
    # Debezium: the first broadcast interface's IPv4 address from `ip addr`; iproute2 is not installed here,
    # `hostname -i` gives the container's address the same way.
    HOST_NAME=$(hostname -i | awk '{print $1}')
fi

: ${REST_PORT:=8083}
: ${REST_HOST_NAME:=$HOST_NAME}
: ${ADVERTISED_PORT:=8083}
: ${ADVERTISED_HOST_NAME:=$HOST_NAME}
: ${GROUP_ID:=1}
: ${OFFSET_FLUSH_INTERVAL_MS:=60000}
: ${OFFSET_FLUSH_TIMEOUT_MS:=5000}
: ${SHUTDOWN_TIMEOUT:=10000}
: ${KEY_CONVERTER:=org.apache.kafka.connect.json.JsonConverter}
: ${VALUE_CONVERTER:=org.apache.kafka.connect.json.JsonConverter}

export CONNECT_REST_ADVERTISED_PORT=$ADVERTISED_PORT
export CONNECT_REST_ADVERTISED_HOST_NAME=$ADVERTISED_HOST_NAME
# rest.port / rest.host.name no longer exist in Kafka 4.x (the worker logs them as unknown and listens on
# listeners' default http://:8083); Debezium's entrypoint still writes them, so this one does too.
export CONNECT_REST_PORT=$REST_PORT
export CONNECT_REST_HOST_NAME=$REST_HOST_NAME
export CONNECT_BOOTSTRAP_SERVERS=$BOOTSTRAP_SERVERS
export CONNECT_GROUP_ID=$GROUP_ID
export CONNECT_CONFIG_STORAGE_TOPIC=$CONFIG_STORAGE_TOPIC
export CONNECT_OFFSET_STORAGE_TOPIC=$OFFSET_STORAGE_TOPIC
if [[ -n "$STATUS_STORAGE_TOPIC" ]]; then
    export CONNECT_STATUS_STORAGE_TOPIC=$STATUS_STORAGE_TOPIC
fi
export CONNECT_KEY_CONVERTER=$KEY_CONVERTER
export CONNECT_VALUE_CONVERTER=$VALUE_CONVERTER
export CONNECT_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS=$SHUTDOWN_TIMEOUT
export CONNECT_OFFSET_FLUSH_INTERVAL_MS=$OFFSET_FLUSH_INTERVAL_MS
export CONNECT_OFFSET_FLUSH_TIMEOUT_MS=$OFFSET_FLUSH_TIMEOUT_MS
if [[ -n "$HEAP_OPTS" ]]; then
    export KAFKA_HEAP_OPTS=$HEAP_OPTS
fi
unset HOST_NAME REST_PORT REST_HOST_NAME ADVERTISED_PORT ADVERTISED_HOST_NAME GROUP_ID OFFSET_FLUSH_INTERVAL_MS \
      OFFSET_FLUSH_TIMEOUT_MS SHUTDOWN_TIMEOUT KEY_CONVERTER VALUE_CONVERTER HEAP_OPTS MD5HASH SCALA_VERSION

#
# Plugins: one child directory of $CONNECT_PLUGIN_PATH per connector (the image sets CONNECT_PLUGIN_PATH=/kafka/connect).
#
if [ -z "$CONNECT_PLUGIN_PATH" ]; then
    export CONNECT_PLUGIN_PATH=$KAFKA_CONNECT_PLUGINS_DIR
fi
echo "Plugins are loaded from $CONNECT_PLUGIN_PATH"

#
# JMX (Debezium: only when both JMXPORT and JMXHOST are set; otherwise kafka-run-class.sh's default below)
#
: ${JMXAUTH:="false"}
: ${JMXSSL:="false"}
if [[ -n "$JMXPORT" && -n "$JMXHOST" ]]; then
    echo "Enabling JMX on ${JMXHOST}:${JMXPORT}"
    export KAFKA_JMX_OPTS="-Djava.rmi.server.hostname=${JMXHOST} -Dcom.sun.management.jmxremote.rmi.port=${JMXPORT} -Dcom.sun.management.jmxremote.port=${JMXPORT} -Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=${JMXAUTH} -Dcom.sun.management.jmxremote.ssl=${JMXSSL} "
fi

mkdir -p "${KAFKA_DATA}/$KAFKA_BROKER_ID"

case $1 in
    start)
        if [[ "x$CONNECT_BOOTSTRAP_SERVERS" = "x" ]]; then
            echo "The BOOTSTRAP_SERVERS variable must be set, or the container must be linked to one that runs Kafka."
            exit 1
        fi
        if [[ "x$CONNECT_GROUP_ID" = "x" ]]; then
            echo "The GROUP_ID must be set to an ID that uniquely identifies the Kafka Connect cluster these workers belong to."
            echo "Ensure this is unique for all groups that work with a Kafka cluster."
            exit 1
        fi
        if [[ "x$CONNECT_CONFIG_STORAGE_TOPIC" = "x" ]]; then
            echo "The CONFIG_STORAGE_TOPIC variable must be set to the name of the topic where connector configurations will be stored."
            echo "This topic must have a single partition, be highly replicated (e.g., 3x or more) and should be configured for compaction."
            exit 1
        fi
        if [[ "x$CONNECT_OFFSET_STORAGE_TOPIC" = "x" ]]; then
            echo "The OFFSET_STORAGE_TOPIC variable must be set to the name of the topic where connector offsets will be stored."
            echo "This topic should have many partitions (e.g., 25 or 50), be highly replicated (e.g., 3x or more) and be configured for compaction."
            exit 1
        fi
        if [[ "x$CONNECT_STATUS_STORAGE_TOPIC" = "x" ]]; then
            echo "WARNING: it is recommended to specify the STATUS_STORAGE_TOPIC variable for defining the name of the topic where connector statuses will be stored."
            echo "This topic may have multiple partitions, be highly replicated (e.g., 3x or more) and should be configured for compaction."
            echo "As no value is given, the default of 'connect-status' will be used."
        fi

        echo "Using the following environment variables:"
        echo "      GROUP_ID=$CONNECT_GROUP_ID"
        echo "      CONFIG_STORAGE_TOPIC=$CONNECT_CONFIG_STORAGE_TOPIC"
        echo "      OFFSET_STORAGE_TOPIC=$CONNECT_OFFSET_STORAGE_TOPIC"
        if [[ "x$CONNECT_STATUS_STORAGE_TOPIC" != "x" ]]; then
            echo "      STATUS_STORAGE_TOPIC=$CONNECT_STATUS_STORAGE_TOPIC"
        fi
        echo "      BOOTSTRAP_SERVERS=$CONNECT_BOOTSTRAP_SERVERS"
        echo "      REST_HOST_NAME=$CONNECT_REST_HOST_NAME"
        echo "      REST_PORT=$CONNECT_REST_PORT"
        echo "      ADVERTISED_HOST_NAME=$CONNECT_REST_ADVERTISED_HOST_NAME"
        echo "      ADVERTISED_PORT=$CONNECT_REST_ADVERTISED_PORT"
        echo "      KEY_CONVERTER=$CONNECT_KEY_CONVERTER"
        echo "      VALUE_CONVERTER=$CONNECT_VALUE_CONVERTER"
        echo "      OFFSET_FLUSH_INTERVAL_MS=$CONNECT_OFFSET_FLUSH_INTERVAL_MS"
        echo "      OFFSET_FLUSH_TIMEOUT_MS=$CONNECT_OFFSET_FLUSH_TIMEOUT_MS"
        echo "      SHUTDOWN_TIMEOUT=$CONNECT_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS"

        # Copy config files if not provided in volume (Kafka's connect-distributed.properties + the log4j2 config)
        cp -rn "$KAFKA_HOME"/config.orig/* "$KAFKA_HOME/config"

        #
        # Logging: LOG_LEVEL sets the root level and the console threshold; CONNECT_LOG4J_LOGGERS
        # ("LEVEL, stdout, appender" in Debezium's log4j.rootLogger form) sets the root level.
        #
        log4j_config=$KAFKA_HOME/config/log4j2.yaml
        if [[ -n "$CONNECT_LOG4J_LOGGERS" ]]; then
            sed -i -r -e "s|^( *level: )[A-Za-z]+( # root-level)$|\1${CONNECT_LOG4J_LOGGERS%%,*}\2|" "$log4j_config"
            unset CONNECT_LOG4J_LOGGERS
        fi
        for env_var in $(compgen -e | grep '^CONNECT_LOG4J_' || true); do
            echo "--- Ignoring $env_var: CONNECT_LOG4J_* other than CONNECT_LOG4J_LOGGERS is not supported by this reference image"
            unset "$env_var"
        done
        if [[ -n "$LOG_LEVEL" ]]; then
            sed -i -r -e "s|^( *level: )[A-Za-z]+( # (root-level\|stdout-threshold))$|\1${LOG_LEVEL}\2|" "$log4j_config"
        fi

        #
        # Process all environment variables that start with 'CONNECT_'
        #
        env | while read -r VAR;
        do
          env_var=`echo "$VAR" | sed -r "s/([^=]*)=.*/\1/g"`
          if [[ $env_var =~ ^CONNECT_ ]]; then
            prop_name=`echo "$VAR" | sed -r "s/^CONNECT_([^=]*)=.*/\1/g" | tr '[:upper:]' '[:lower:]' | tr _ .`
            prop_value=`echo "$VAR" | sed -r "s/^CONNECT_[^=]*=(.*)/\1/g"`
            if grep -Eq "(^|^#)$prop_name=" $KAFKA_HOME/config/connect-distributed.properties; then
                #note that no config names or values may contain an '@' char
                sed -r -i "s@(^|^#)($prop_name)=(.*)@\2=${prop_value}@g" $KAFKA_HOME/config/connect-distributed.properties
            else
                echo "$prop_name=${prop_value}" >> $KAFKA_HOME/config/connect-distributed.properties
            fi
            if [[ "$SENSITIVE_PROPERTIES" = *"$env_var"* ]]; then
                echo "--- Setting property from $env_var: $prop_name=[hidden]"
            else
                echo "--- Setting property from $env_var: $prop_name=${prop_value}"
            fi
          fi
        done

        #
        # What `bin/connect-distributed.sh config/connect-distributed.properties` runs (Kafka 4.3):
        # connect-distributed.sh defaults KAFKA_LOG4J_OPTS (to its log4j2 config; here the one above) and
        # KAFKA_HEAP_OPTS, then kafka-run-class.sh -name connectDistributed adds its defaults.
        #
        if [ -z "$KAFKA_LOG4J_OPTS" ]; then
            KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$log4j_config"
        fi
        if [ "x$KAFKA_HEAP_OPTS" = "x" ]; then
            KAFKA_HEAP_OPTS="-Xms256M -Xmx2G"
        fi

        # --- kafka-run-class.sh ---
        # Class path: every file in libs/ (glob order), one grep per file like the script, minus test/source/javadoc
        # jars, signatures and connect-file (Kafka expects that one on plugin.path).
        CLASSPATH=${CLASSPATH-}
        for file in "$KAFKA_HOME"/libs/*; do
            if [ -z "$(echo "$file" | grep -E '(-(test|test-sources|src|scaladoc|javadoc)\.jar|jar.asc|connect-file.*\.jar)$')" ]; then
                CLASSPATH="$CLASSPATH":"$file"
            fi
        done
        CLASSPATH=${CLASSPATH#:}
        if [ -z "$KAFKA_JMX_OPTS" ]; then
            KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote=true -Dcom.sun.management.jmxremote.authenticate=false  -Dcom.sun.management.jmxremote.ssl=false "
        fi
        if [ -n "$JMX_PORT" ]; then
            KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT "
            if ! echo "$KAFKA_JMX_OPTS" | grep -qF -- '-Dcom.sun.management.jmxremote.rmi.port=' ; then
                KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
            fi
        fi
        if [ "x$LOG_DIR" = "x" ]; then
            LOG_DIR="$KAFKA_HOME/logs"
        fi
        if echo "$KAFKA_LOG4J_OPTS" | grep -E "log4j\.[^[:space:]]+(\.properties|\.xml)$" >/dev/null; then
            # Enable Log4j 1.x configuration compatibility mode for Log4j 2 (log4j-1.2-api is in libs/)
            export LOG4J_COMPATIBILITY=true
            echo "DEPRECATED: A Log4j 1.x configuration file has been detected, which is no longer recommended." >&2
        fi
        mkdir -p "$LOG_DIR"
        KAFKA_LOG4J_CMD_OPTS="-Dkafka.logs.dir=$LOG_DIR $KAFKA_LOG4J_OPTS"
        if [ "x$KAFKA_DEBUG" != "x" ]; then
            KAFKA_OPTS="${JAVA_DEBUG_OPTS:--agentlib:jdwp=transport=dt_socket,server=y,suspend=${DEBUG_SUSPEND_FLAG:-n},address=${JAVA_DEBUG_PORT:-5005}} $KAFKA_OPTS"
        fi
        if [ -z "$JAVA_HOME" ]; then JAVA="java"; else JAVA="$JAVA_HOME/bin/java"; fi
        # Kafka 4.2+ dropped -Djava.awt.headless=true from this default (KAFKA-6333).
        if [ -z "$KAFKA_JVM_PERFORMANCE_OPTS" ]; then
            KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15"
        fi
        # connect-distributed.sh passes no -loggc: KAFKA_GC_LOG_OPTS stays empty unless given.

        echo "Starting Kafka Connect: $JAVA $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_CMD_OPTS -cp <$KAFKA_HOME/libs/*> $KAFKA_OPTS org.apache.kafka.connect.cli.ConnectDistributed $KAFKA_HOME/config/connect-distributed.properties"
        # shellcheck disable=SC2086
        exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_CMD_OPTS \
            -cp "$CLASSPATH" $KAFKA_OPTS org.apache.kafka.connect.cli.ConnectDistributed "$KAFKA_HOME/config/connect-distributed.properties"
        ;;
esac

# Otherwise just run the specified command
exec "$@"
