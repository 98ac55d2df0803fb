#!/usr/bin/env bash
# connect-distributed.sh worker.properties: a distributed Kafka Connect worker in the foreground, logging to stdout.
base_dir=$(cd "$(dirname "$0")/.." && pwd)
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256M -Xmx2G}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/connect-log4j2.yaml}"
exec "$base_dir/bin/kafka-run-class.sh" org.apache.kafka.connect.cli.ConnectDistributed "$@"
