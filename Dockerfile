# syntax=docker/dockerfile:1
#
# Images built from this repository with Maven; docker-compose.yml builds both targets:
#   worker   (the default, last stage)  the AllSource Ingest worker, io.allsource.ingest.startup.WorkerCommand
#   connect                            Kafka Connect (the Apache Kafka image) with Apicurio's Avro converter and
#                                      Debezium's JDBC sink connector installed
#
#   docker build -t allsource-ingest/worker .
#   docker build --target connect -t allsource-ingest/connect .
#
# The worker takes every setting as an INGEST_... environment variable (see README.md, "Settings"), for example
#   docker run -e INGEST_BOOTSTRAP_SERVERS=kafka:9092 -e INGEST_DB_URL=jdbc:postgresql://db:5432/ingest \
#     -e INGEST_DB_USER=ingest -e INGEST_DB_PASSWORD=... \
#     -e INGEST_REGISTRY_URL=http://registry:8080/apis/ccompat/v7 allsource-ingest/worker
# or flags after the image name (docker run ... allsource-ingest/worker --help).

ARG KAFKA_IMAGE=apache/kafka:4.3.1

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# One reactor build of the worker and the Connect module (and what they need), tests skipped: the worker's jar and
# its runtime libraries land in ingest-worker/target/, the converter plugin in ingest-connect/target/connect-plugins/,
# the JDBC sink plugin in ingest-connect-plugins/target/connect-plugins/.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -pl ingest-worker,ingest-connect -am \
        package dependency:copy-dependencies -DincludeScope=runtime

FROM ${KAFKA_IMAGE} AS connect
USER root
RUN mkdir -p /opt/connect-plugins /etc/kafka-connect /var/lib/kafka-connect/sink \
 && chown -R appuser /var/lib/kafka-connect
COPY --from=build /src/ingest-connect/target/connect-plugins/ /opt/connect-plugins/
COPY --from=build /src/ingest-connect-plugins/target/connect-plugins/ /opt/connect-plugins/
COPY connect/connect-distributed.properties /etc/kafka-connect/connect-distributed.properties
USER appuser
EXPOSE 8083
CMD ["/opt/kafka/bin/connect-distributed.sh", "/etc/kafka-connect/connect-distributed.properties"]

FROM eclipse-temurin:17-jre AS worker
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ingest
WORKDIR /app
COPY --from=build /src/ingest-worker/target/dependency/ /app/lib/
COPY --from=build /src/ingest-worker/target/ingest-worker-*.jar /app/lib/
USER ingest
EXPOSE 9400
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.allsource.ingest.startup.WorkerCommand"]
