#!/usr/bin/env bash
# kafka-configs.sh: Kafka's kafka.admin.ConfigCommand.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
