#!/usr/bin/env bash
# Starts Apicurio Registry 2.6.13 on 0.0.0.0:8080 (QUARKUS_HTTP_PORT overrides the port); see the Dockerfile.
set -euo pipefail
case "$REGISTRY_DATASOURCE_URL" in
  jdbc:h2:*) ;;
  *)
    echo "error: REGISTRY_DATASOURCE_URL=${REGISTRY_DATASOURCE_URL%%\?*} is not an H2 URL: this image's Apicurio" \
      "build has only H2's driver; use jdbc:h2:file:/var/lib/apicurio/registry (a volume there keeps the schemas)" \
      "or the official apicurio/apicurio-registry-sql image for PostgreSQL" >&2
    exit 1
    ;;
esac
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
exec java $JAVA_OPTS -Dquarkus.http.host=0.0.0.0 -Dquarkus.http.port="${QUARKUS_HTTP_PORT:-8080}" \
  -jar /opt/apicurio/apicurio-registry-app-2.6.13.Final-runner.jar
