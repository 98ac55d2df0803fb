#!/usr/bin/env bash
# kafka-acls.sh: Kafka's org.apache.kafka.tools.AclCommand.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.AclCommand "$@"
