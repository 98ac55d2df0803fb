#!/usr/bin/env bash
# Builds the images the compose stack and the Docker tests use, on an engine with no registry (docker/engine.sh):
#   allsource-ingest/jre:local       Debian's OpenJDK 17 JRE and curl (the base of the four below)
#   allsource-ingest/kafka:local     Kafka 4.3.1, a drop-in for apache/kafka:4.3.1           (docker/kafka)
#   allsource-ingest/postgres:local  PostgreSQL 15, a drop-in for postgres                   (docker/postgres)
#   allsource-ingest/registry:local  Apicurio Registry 2.6.13 with H2 file storage           (docker/registry)
#   allsource-ingest/worker:local    the worker, top-level Dockerfile, target worker, JARS=host
#   allsource-ingest/connect:local   Kafka Connect with the plugins, target connect, JARS=host
# and, for docker-compose.secured.yml:
#   allsource-ingest/nginx:local     Debian's nginx, the registry's TLS and basic-auth proxy   (docker/nginx)
#   allsource-ingest/cli:local       the ingest command line (ingest migrate), target cli, JARS=host
# The worker's, Connect's and the command line's jars come from a Maven build on the host (tests skipped; MVN_FLAGS
# adds flags, e.g. -o), staged in docker/build/jars; the Kafka jars and Apicurio's distribution come from the local
# Maven repository.
# Usage: docker/build-images.sh [name ...]   (names: jre kafka postgres registry jars worker connect nginx cli;
# jars stages the host build's jars for worker, connect and cli; default all, independent ones in parallel).
# BASE_IMAGE overrides local/debian:bookworm; DOCKER_BUILD_FLAGS adds flags to each docker build (--no-cache to
# time a build from scratch). Each build's time is printed on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE="${BASE_IMAGE:-local/debian:bookworm}"
MVN_FLAGS="${MVN_FLAGS:-}"
JRE=allsource-ingest/jre:local

# BuildKit (cache mounts, unused stages skipped): a client with buildx, else the engine's own 20.10 client, whose
# BuildKit is built in (a newer client without the buildx plugin refuses DOCKER_BUILDKIT=1).
if docker buildx version > /dev/null 2>&1; then
  docker_build() { DOCKER_BUILDKIT=1 docker build "$@"; }
elif [ -x /usr/bin/docker ]; then
  docker_build() { DOCKER_BUILDKIT=1 /usr/bin/docker build "$@"; }
else
  echo "build-images: no Docker client with BuildKit (buildx plugin or /usr/bin/docker)" >&2
  exit 1
fi

build() {
  local image=$1
  shift
  local start=$SECONDS log="/tmp/build-image-${image//[\/:]/-}.log"
  # shellcheck disable=SC2086 # DOCKER_BUILD_FLAGS is a list of flags (e.g. --no-cache)
  if ! docker_build --network host --progress plain ${DOCKER_BUILD_FLAGS:-} -t "$image" "$@" > "$log" 2>&1; then
    tail -30 "$log" >&2
    echo "build-images: $image failed; see $log" >&2
    return 1
  fi
  echo "build-images: $image built in $((SECONDS - start)) s" >&2
}

stage_kafka_libs() {
  rm -rf docker/kafka/build
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn -B -q $MVN_FLAGS -f docker/kafka/pom.xml dependency:copy-dependencies \
    -DoutputDirectory=build/libs -DincludeScope=runtime
}

stage_registry_distribution() {
  mkdir -p docker/registry/build
  # shellcheck disable=SC2086
  mvn -B -q -N $MVN_FLAGS dependency:copy -Dartifact=io.apicurio:apicurio-registry-app:2.6.13.Final:tar.gz:all \
    -DoutputDirectory="$PWD/docker/registry/build"
}

stage_project_jars() {
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn -B -q $MVN_FLAGS -Dmaven.test.skip=true -pl ingest-worker,ingest-connect,ingest-cli -am \
    package dependency:copy-dependencies -DincludeScope=runtime
  rm -rf docker/build/jars
  mkdir -p docker/build/jars/worker docker/build/jars/connect-plugins docker/build/jars/cli
  cp ingest-worker/target/dependency/*.jar ingest-worker/target/ingest-worker-*.jar docker/build/jars/worker/
  cp ingest-cli/target/dependency/*.jar ingest-cli/target/ingest-cli-*.jar docker/build/jars/cli/
  cp -r ingest-connect/target/connect-plugins/. ingest-connect-plugins/target/connect-plugins/. \
    docker/build/jars/connect-plugins/
}

build_one() {
  case "$1" in
    jre) build "$JRE" --build-arg BASE_IMAGE="$BASE_IMAGE" docker/jre ;;
    kafka) stage_kafka_libs && build allsource-ingest/kafka:local --build-arg BASE_IMAGE="$JRE" docker/kafka ;;
    postgres) build allsource-ingest/postgres:local --build-arg BASE_IMAGE="$BASE_IMAGE" docker/postgres ;;
    registry)
      stage_registry_distribution \
        && build allsource-ingest/registry:local --build-arg BASE_IMAGE="$JRE" docker/registry ;;
    jars)
      local start=$SECONDS
      stage_project_jars
      echo "build-images: project jars staged in $((SECONDS - start)) s" >&2 ;;
    worker)
      build allsource-ingest/worker:local --target worker --build-arg JARS=host --build-arg JRE_IMAGE="$JRE" . ;;
    connect)
      build allsource-ingest/connect:local --target connect --build-arg JARS=host \
        --build-arg KAFKA_IMAGE=allsource-ingest/kafka:local . ;;
    nginx) build allsource-ingest/nginx:local --build-arg BASE_IMAGE="$BASE_IMAGE" docker/nginx ;;
    cli) build allsource-ingest/cli:local --target cli --build-arg JARS=host --build-arg JRE_IMAGE="$JRE" . ;;
    *)
      echo "build-images: unknown image $1 (jre kafka postgres registry jars worker connect nginx cli)" >&2
      return 1 ;;
  esac
}

# Runs the named builds at once; fails if one does.
parallel() {
  local pids=() name status=0
  for name in "$@"; do
    build_one "$name" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || status=1
  done
  return $status
}

if [ $# -eq 0 ]; then
  # Three waves: the JRE, PostgreSQL and nginx (mostly apt downloads), then what needs the JRE beside the host's
  # Maven build, then the three images made from the repository's Dockerfile.
  start=$SECONDS
  parallel jre postgres nginx
  parallel kafka registry jars
  parallel worker connect cli
  echo "build-images: all images built in $((SECONDS - start)) s" >&2
else
  for name in "$@"; do
    build_one "$name"
  done
fi
