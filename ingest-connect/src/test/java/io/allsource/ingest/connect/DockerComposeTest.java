package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.topics.IngestTopics;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The docker-compose stack's file, without Docker (DockerStackIT in ingest-docker-it starts it, in the Maven profile
 * docker): its services, ports, volumes and health checks are there and consistent with each other, the worker's
 * variables are real settings with valid values that point at the stack's own services, every published port is on
 * 127.0.0.1, the images are the official ones unless docker/local-images.env names the local ones, and the file is one
 * docker-compose 1.29 reads.
 */
class DockerComposeTest {

    private static final String KAFKA_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

    private final ComposeFile compose = ComposeFile.read();

    @Test
    void definesKafkaTopicInitPostgresRegistryWorkerAndConnect() {
        assertThat(compose.serviceNames())
                .containsExactlyInAnyOrder("kafka", "topic-init", "postgres", "registry", "worker", "connect");
    }

    @Test
    void kafkaIsOneKRaftNodeOfTheProjectsKafkaVersionWithItsDataInAVolume() {
        Map<String, String> env = compose.environment("kafka");

        assertThat(compose.service("kafka").path("image").asText()).isEqualTo(KAFKA_IMAGE);
        assertThat(env.get("KAFKA_PROCESS_ROLES").split(",")).containsExactlyInAnyOrder("broker", "controller");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@kafka:9093");
        assertThat(env.get("KAFKA_LISTENERS")).contains("CONTROLLER://:9093", "INTERNAL://:9092", "HOST://:9094");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("INTERNAL://kafka:9092", "HOST://127.0.0.1:9094");
        assertThat(env.get("KAFKA_CONTROLLER_LISTENER_NAMES")).isEqualTo("CONTROLLER");
        assertThat(env.get("KAFKA_INTER_BROKER_LISTENER_NAME")).isEqualTo("INTERNAL");
        assertThat(env.get("CLUSTER_ID")).as("a formatted KRaft cluster id").hasSize(22);
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(compose.ports("kafka")).containsExactly("127.0.0.1:9094:9094");
        assertThat(compose.mountedAt("kafka", env.get("KAFKA_LOG_DIRS"))).isEqualTo("kafka-data");
        assertThat(compose.healthcheck("kafka")).contains("kafka-broker-api-versions.sh", "kafka:9092");
    }

    @Test
    void topicInitCreatesTheFourTopicsWithThirtyTwoPartitionsOnceKafkaIsHealthy() {
        String command = compose.command("topic-init");

        assertThat(compose.service("topic-init").path("image").asText()).isEqualTo(KAFKA_IMAGE);
        assertThat(compose.dependsOn("topic-init")).containsExactly(Map.entry("kafka", "service_healthy"));
        assertThat(command).contains(IngestTopics.DEFAULT.all().toArray(String[]::new))
                .contains("--partitions " + PartitionFunction.PARTITION_COUNT, "--if-not-exists",
                        "--bootstrap-server kafka:9092", "set -e");
        assertThat(compose.service("topic-init").path("restart").asText()).isEqualTo("no");
    }

    @Test
    void postgresKeepsItsDataInAVolumeAndCreatesTheRegistryAndWarehouseDatabases() throws IOException {
        String initScript = compose.mountedAt("postgres", "/docker-entrypoint-initdb.d/10-registry-and-warehouse.sql");

        assertThat(compose.service("postgres").path("image").asText()).startsWith("postgres:");
        assertThat(compose.mountedAt("postgres", "/var/lib/postgresql/data")).isEqualTo("postgres-data");
        assertThat(initScript).isEqualTo("./connect/postgres-init.sql");
        assertThat(Files.readString(RepositoryFiles.file(initScript.substring(2))))
                .contains("CREATE DATABASE registry", "CREATE DATABASE warehouse", "CREATE TABLE events");
        assertThat(compose.ports("postgres")).containsExactly("127.0.0.1:5432:5432");
        assertThat(compose.healthcheck("postgres")).contains("pg_isready", compose.environment("postgres")
                .get("POSTGRES_USER"));
    }

    @Test
    void registryIsApicurioTwoPointSixKeepingSchemasInPostgres() {
        Map<String, String> env = compose.environment("registry");
        Map<String, String> postgres = compose.environment("postgres");

        assertThat(compose.service("registry").path("image").asText())
                .startsWith("apicurio/apicurio-registry-sql:2.6.");
        assertThat(env.get("REGISTRY_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/registry");
        assertThat(env.get("REGISTRY_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get("REGISTRY_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(compose.dependsOn("registry")).containsEntry("postgres", "service_healthy");
        assertThat(compose.ports("registry")).containsExactly("127.0.0.1:8080:8080");
        assertThat(compose.healthcheck("registry")).contains("http://localhost:8080/health/ready");
        assertThat(compose.mountedAt("registry", "/var/lib/apicurio")).as("the local image's H2 file")
                .isEqualTo("registry-data");
    }

    @Test
    void everyWorkerVariableNamesASettingAndHoldsAValueItAccepts() {
        Map<String, ConfigKey> settings = ConfigKeys.ALL.stream()
                .collect(Collectors.toMap(ConfigKey::environmentVariable, Function.identity()));
        Map<String, String> env = compose.environment("worker");

        assertThat(env.keySet()).as("the worker's INGEST_ variables, each a setting's").isSubsetOf(settings.keySet());
        assertThat(env).allSatisfy((variable, value) -> assertThat(settings.get(variable).check().apply(value))
                .as("the worker's check of %s=%s", variable, value).isEqualTo(Optional.empty()));
        assertThat(env.keySet()).containsAll(WorkerCommand.REQUIRED.stream().map(ConfigKey::environmentVariable)
                .toList());
    }

    @Test
    void theWorkerPointsAtTheStacksKafkaPostgresAndRegistry() {
        Map<String, String> env = compose.environment("worker");
        Map<String, String> postgres = compose.environment("postgres");
        URI database = URI.create(env.get(ConfigKeys.DB_URL.environmentVariable()).substring("jdbc:".length()));

        assertThat(env.get(ConfigKeys.BOOTSTRAP_SERVERS.environmentVariable())).isEqualTo("kafka:9092");
        assertThat(compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("://kafka:9092");
        assertThat(database.getHost()).isEqualTo("postgres");
        assertThat(database.getPort()).isEqualTo(5432);
        assertThat(database.getPath()).isEqualTo("/" + postgres.get("POSTGRES_DB"));
        assertThat(env.get(ConfigKeys.DB_USER.environmentVariable())).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get(ConfigKeys.DB_PASSWORD.environmentVariable())).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(env.get(ConfigKeys.REGISTRY_URL.environmentVariable()))
                .isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(compose.dependsOn("worker")).containsAllEntriesOf(Map.of("kafka", "service_healthy",
                "postgres", "service_healthy", "registry", "service_healthy",
                "topic-init", "service_completed_successfully"));
    }

    @Test
    void theWorkerUsesTheTopicsTopicInitCreatesAndPublishesItsHealthPort() {
        Map<String, String> env = compose.environment("worker");
        String metricsPort = env.get(ConfigKeys.METRICS_PORT.environmentVariable());

        assertThat(env).doesNotContainKeys(ConfigKeys.TOPIC_COMMANDS.environmentVariable(),
                ConfigKeys.TOPIC_RESULTS.environmentVariable(), ConfigKeys.TOPIC_EVENTS.environmentVariable(),
                ConfigKeys.TOPIC_DEAD_LETTERS.environmentVariable());
        assertThat(env.get(ConfigKeys.CREATE_TOPICS.environmentVariable())).isEqualTo("false");
        assertThat(metricsPort).isNotEqualTo("0");
        assertThat(compose.ports("worker")).containsExactly("127.0.0.1:" + metricsPort + ":" + metricsPort);
        assertThat(compose.healthcheck("worker")).contains("http://localhost:" + metricsPort + "/health/ready");
    }

    @Test
    void theWorkerAndConnectAreBuiltFromTheRepositoryDockerfile() throws IOException {
        String dockerfile = Files.readString(RepositoryFiles.file("Dockerfile"));

        assertThat(compose.service("worker").path("build").path("target").asText()).isEqualTo("worker");
        assertThat(compose.service("connect").path("build").path("target").asText()).isEqualTo("connect");
        assertThat(compose.service("worker").path("build").path("dockerfile").asText()).isEqualTo("Dockerfile");
        assertThat(dockerfile).contains("AS build", "AS worker", "AS connect", "ARG KAFKA_IMAGE=" + KAFKA_IMAGE,
                "ARG JRE_IMAGE=eclipse-temurin:17-jre", "ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17",
                "ARG JARS=build", "FROM ${JARS} AS jars", "FROM ${JRE_IMAGE} AS worker",
                "mvn ", "\"" + WorkerCommand.class.getName() + "\"",
                "ingest-connect/target/connect-plugins/. ingest-connect-plugins/target/connect-plugins/.",
                "COPY --from=jars /jars/connect-plugins/ /opt/connect-plugins/",
                "COPY --from=jars /jars/worker/ /app/lib/");
        assertThat(dockerfile).as("no frontend image to pull").doesNotContain("# syntax=");
        assertThat(compose.service("connect").path("build").path("args").path("KAFKA_IMAGE").asText())
                .isEqualTo(KAFKA_IMAGE);
    }

    @Test
    void connectRunsItsWorkerConfigAgainstTheStacksKafkaWithTheConverterPluginFolder() throws IOException {
        String workerConfig = compose.mountedAt("connect", "/etc/kafka-connect/connect-distributed.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(RepositoryFiles.file(workerConfig.substring(2)))) {
            properties.load(reader);
        }

        assertThat(compose.command("connect")).contains("connect-distributed.sh",
                "/etc/kafka-connect/connect-distributed.properties");
        assertThat(properties.getProperty("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(properties.getProperty("plugin.path").split(",")).containsExactlyInAnyOrder(
                "/opt/kafka/libs/connect-file-" + AppInfoParser.getVersion() + ".jar", "/opt/connect-plugins");
        assertThat(properties.getProperty("plugin.discovery")).isEqualTo("hybrid_warn");
        assertThat(properties.getProperty("listeners")).endsWith(":8083");
        assertThat(compose.ports("connect")).containsExactly("127.0.0.1:8083:8083");
        assertThat(compose.dependsOn("connect")).containsEntry("kafka", "service_healthy")
                .containsEntry("registry", "service_healthy");
        assertThat(compose.healthcheck("connect")).contains("8083");
    }

    @Test
    void theFileSinksWriteIntoConnectsSinkVolume() {
        String sinkDirectory = "/var/lib/kafka-connect/sink";

        assertThat(compose.mountedAt("connect", sinkDirectory)).isEqualTo("connect-sink");
        assertThat(RepositoryFiles.connector("file-sink-events.json").config().get("file"))
                .startsWith(sinkDirectory + "/");
        assertThat(RepositoryFiles.connector("file-sink-events-json-envelope.json").config().get("file"))
                .startsWith(sinkDirectory + "/");
    }

    @Test
    void everyNamedVolumeIsDeclaredAndEveryLongRunningServiceHasAHealthcheck() {
        assertThat(compose.declaredVolumes()).containsExactlyInAnyOrder("kafka-data", "postgres-data", "registry-data",
                "connect-sink");
        assertThat(compose.serviceNames()).filteredOn(service -> !service.equals("topic-init"))
                .allSatisfy(service -> {
                    assertThat(compose.healthcheck(service)).as("healthcheck of %s", service).isNotBlank();
                    assertThat(compose.service(service).path("restart").asText()).as("restart of %s", service)
                            .isEqualTo("unless-stopped");
                });
        compose.serviceNames().forEach(service -> compose.volumes(service).stream()
                .map(volume -> volume.split(":")[0])
                .filter(source -> !source.startsWith("."))
                .forEach(source -> assertThat(compose.declaredVolumes()).as("volume of %s", service)
                        .contains(source)));
        compose.serviceNames().forEach(service -> compose.volumes(service).stream()
                .map(volume -> volume.split(":")[0])
                .filter(source -> source.startsWith("./"))
                .forEach(source -> assertThat(RepositoryFiles.root().resolve(source.substring(2)))
                        .as("file mounted into %s", service).exists()));
    }

    @Test
    void everyPublishedPortIsBoundToLoopbackWithItsHostPortAVariable() {
        String text = ComposeFile.text("docker-compose.yml");

        compose.serviceNames().forEach(service -> assertThat(compose.ports(service)).as("ports of %s", service)
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:")));
        assertThat(text).contains("127.0.0.1:${KAFKA_HOST_PORT:-9094}:9094",
                "127.0.0.1:${POSTGRES_HOST_PORT:-5432}:5432",
                "127.0.0.1:${REGISTRY_HOST_PORT:-8080}:8080", "127.0.0.1:${WORKER_HOST_PORT:-9400}:9400",
                "127.0.0.1:${CONNECT_HOST_PORT:-8083}:8083", "HOST://127.0.0.1:${KAFKA_HOST_PORT:-9094}");
    }

    @Test
    void theImagesAreTheOfficialOnesUnlessTheLocalEnvFileNamesTheLocallyBuiltOnes() throws IOException {
        String text = ComposeFile.text("docker-compose.yml");
        Properties local = new Properties();
        try (Reader reader = Files.newBufferedReader(RepositoryFiles.file("docker/local-images.env"))) {
            local.load(reader);
        }

        assertThat(text).contains("image: ${KAFKA_IMAGE:-" + KAFKA_IMAGE + "}",
                "image: ${POSTGRES_IMAGE:-postgres:17}",
                "image: ${REGISTRY_IMAGE:-apicurio/apicurio-registry-sql:2.6.13.Final}");
        assertThat(local).containsEntry("KAFKA_IMAGE", "allsource-ingest/kafka:local")
                .containsEntry("POSTGRES_IMAGE", "allsource-ingest/postgres:local")
                .containsEntry("REGISTRY_IMAGE", "allsource-ingest/registry:local")
                .containsEntry("JRE_IMAGE", "allsource-ingest/jre:local").containsEntry("JARS", "host");
        assertThat((String) local.get("REGISTRY_DATASOURCE_URL")).as("the local registry's H2 file, on its volume")
                .startsWith("jdbc:h2:file:/var/lib/apicurio/");
        assertThat(compose.service("worker").path("image").asText()).isEqualTo("allsource-ingest/worker:local");
        assertThat(compose.service("connect").path("image").asText()).isEqualTo("allsource-ingest/connect:local");
    }

    @Test
    void theFileHasOnlyTheTopLevelKeysDockerComposeOnePointTwentyNineReads() {
        assertThat(compose.topLevelKeys()).as("no top-level name: docker-compose 1.29 refuses it")
                .isSubsetOf("version", "services", "volumes", "networks", "configs", "secrets");
    }
}
