# Images built from this repository with Maven; docker-compose.yml builds both targets:
#   worker   (the default, last stage)  the AllSource Ingest worker, io.allsource.ingest.startup.WorkerCommand
#   connect                            Kafka Connect (the Apache Kafka image) with Apicurio's Avro converter and
#                                      Debezium's JDBC sink connector installed
#   cli                                the `ingest` command line (io.allsource.ingest.cli.IngestMain), for the
#                                      deployment steps: ingest migrate, ingest schemas register, ingest verify
#
#   DOCKER_BUILDKIT=1 docker build -t allsource-ingest/worker .
#   DOCKER_BUILDKIT=1 docker build --target connect -t allsource-ingest/connect .
#
# BuildKit is needed (the build stage's Maven cache mount, and stages left out when unused). The base images are build
# arguments, the official ones by default: KAFKA_IMAGE (apache/kafka:4.3.1, the Connect image's base), JRE_IMAGE
# (eclipse-temurin:17-jre, the worker's) and MAVEN_IMAGE (maven:3.9-eclipse-temurin-17, the build stage's).
# JARS=build (the default) compiles the project in the build stage; JARS=host takes the jars and plugin folders a
# Maven build on the host already made, staged in docker/build/jars/ by docker/build-images.sh (no Maven image needed):
#   docker/build-images.sh            the images of docker-compose.yml from the local images, with JARS=host
#
# The worker takes every setting as an INGEST_... environment variable (see README.md, "Settings"), for example
#   docker run -e INGEST_BOOTSTRAP_SERVERS=kafka:9092 -e INGEST_DB_URL=jdbc:postgresql://db:5432/ingest \
#     -e INGEST_DB_USER=ingest -e INGEST_DB_PASSWORD=... \
#     -e INGEST_REGISTRY_URL=http://registry:8080/apis/ccompat/v7 allsource-ingest/worker
# or flags after the image name (docker run ... allsource-ingest/worker --help).

ARG KAFKA_IMAGE=apache/kafka:4.3.1
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JARS=build

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# One reactor build of the worker, the Connect module and the command line (and what they need), tests skipped: the
# worker's jar and its runtime libraries land in ingest-worker/target/, the command line's in ingest-cli/target/, the
# converter plugin in ingest-connect/target/connect-plugins/, the JDBC sink plugin in
# ingest-connect-plugins/target/connect-plugins/. They are gathered in /jars as JARS=host has them.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -pl ingest-worker,ingest-connect,ingest-cli -am \
        package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /jars/worker /jars/connect-plugins /jars/cli \
 && cp ingest-worker/target/dependency/*.jar ingest-worker/target/ingest-worker-*.jar /jars/worker/ \
 && cp ingest-cli/target/dependency/*.jar ingest-cli/target/ingest-cli-*.jar /jars/cli/ \
 && cp -r ingest-connect/target/connect-plugins/. ingest-connect-plugins/target/connect-plugins/. /jars/connect-plugins/

FROM scratch AS host
COPY docker/build/jars/ /jars/

FROM ${JARS} AS jars

FROM ${KAFKA_IMAGE} AS connect
USER root
RUN mkdir -p /opt/connect-plugins /etc/kafka-connect /var/lib/kafka-connect/sink \
 && chown -R appuser /var/lib/kafka-connect
COPY --from=jars /jars/connect-plugins/ /opt/connect-plugins/
COPY connect/connect-distributed.properties /etc/kafka-connect/connect-distributed.properties
USER appuser
EXPOSE 8083
CMD ["/opt/kafka/bin/connect-distributed.sh", "/etc/kafka-connect/connect-distributed.properties"]

FROM ${JRE_IMAGE} AS worker
# curl for the health check and useradd are installed when the base image lacks them (the official JRE image has
# useradd, not curl; allsource-ingest/jre:local has curl).
RUN missing=""; \
    command -v curl > /dev/null || missing="curl"; \
    command -v useradd > /dev/null || missing="$missing passwd"; \
    if [ -n "$missing" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ingest
WORKDIR /app
COPY --from=jars /jars/worker/ /app/lib/
USER ingest
EXPOSE 9400
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.allsource.ingest.startup.WorkerCommand"]

FROM ${JRE_IMAGE} AS cli
RUN command -v useradd > /dev/null || { apt-get update && apt-get install -y --no-install-recommends passwd \
      && rm -rf /var/lib/apt/lists/*; } \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ingest
WORKDIR /app
COPY --from=jars /jars/cli/ /app/lib/
USER ingest
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.allsource.ingest.cli.IngestMain"]
CMD ["--help"]
