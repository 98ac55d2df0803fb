#!/usr/bin/env bash
# The secured stack's Kafka deployment step (docker-compose.secured.yml's kafka-init, in the Kafka image, as the
# admin of /certs/admin.properties): the pipeline's topics with 32 partitions, the views' alerts topic, Connect's three
# compacted topics, a SCRAM-SHA-512 user per component, and exactly the ACLs of the README's "Kafka: SASL_SSL, SCRAM
# and ACLs" (IngestGrants in test-support holds the same set). Idempotent: existing topics are kept, users' passwords
# set again, ACLs added again (a no-op).
set -euo pipefail
: "${KAFKA_WORKER_PASSWORD:?}" "${KAFKA_CLIENT_PASSWORD:?}" "${KAFKA_VIEWS_PASSWORD:?}" "${KAFKA_CONNECT_PASSWORD:?}"
bin=/opt/kafka/bin
server=(--bootstrap-server kafka:9092 --command-config /certs/admin.properties)
# Each tool is a JVM start: the independent steps of each stage run at once, and a stage fails if one of them does.
stage() {
  local pids=() pid status=0
  local line
  while IFS= read -r line; do
    while [ "${line%\\}" != "$line" ] && IFS= read -r next; do line="${line%\\} $next"; done
    [ -n "$line" ] || continue
    eval "$line" < /dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return $status
}

topic() {
  "$bin/kafka-topics.sh" "${server[@]}" --create --if-not-exists --topic "$1" --replication-factor 1 "${@:2}"
}
user() {
  "$bin/kafka-configs.sh" "${server[@]}" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$2]"
}
acl() {
  "$bin/kafka-acls.sh" "${server[@]}" --add "$@" > /dev/null
}

stage <<'STEPS'
topic ingest.commands --partitions 32
topic ingest.results --partitions 32
topic ingest.events --partitions 32
topic ingest.commands.dlq --partitions 32
topic ingest.alerts --partitions 32
topic ingest-connect-configs --partitions 1 --config cleanup.policy=compact
topic ingest-connect-offsets --partitions 25 --config cleanup.policy=compact
topic ingest-connect-status --partitions 5 --config cleanup.policy=compact
user ingest-worker "$KAFKA_WORKER_PASSWORD"
user ingest-client "$KAFKA_CLIENT_PASSWORD"
user ingest-views "$KAFKA_VIEWS_PASSWORD"
user ingest-connect "$KAFKA_CONNECT_PASSWORD"
STEPS

worker=User:ingest-worker client=User:ingest-client views=User:ingest-views connect=User:ingest-connect
stage <<'STEPS'
acl --allow-principal $worker --operation Read --topic ingest.commands --group ingest-worker
acl --allow-principal $worker --operation Write --topic ingest.results --topic ingest.events --topic ingest.commands.dlq
acl --allow-principal $worker --operation Write --resource-pattern-type prefixed --topic ingest.replies.
acl --allow-principal $client --operation Write --topic ingest.commands
acl --allow-principal $client --operation Read --topic ingest.results
acl --allow-principal $views --operation Read --topic ingest.events --group ingest-views
acl --allow-principal $views --operation Write --topic ingest.alerts
acl --allow-principal $views --operation Create --operation Read --operation Write --operation Delete \
  --resource-pattern-type prefixed --topic ingest-views-
acl --allow-principal $views --operation Write --resource-pattern-type prefixed --transactional-id ingest-views-
acl --allow-principal $connect --operation Read --group ingest-connect
acl --allow-principal $connect --operation Read --operation Write \
  --topic ingest-connect-configs --topic ingest-connect-offsets --topic ingest-connect-status
acl --allow-principal $connect --operation Read --resource-pattern-type prefixed --group connect-ingest-events
acl --allow-principal $connect --operation Read --topic ingest.events
STEPS
echo "kafka-init: topics, users and ACLs in place"
