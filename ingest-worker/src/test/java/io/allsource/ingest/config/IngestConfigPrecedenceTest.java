package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.BOOTSTRAP;
import static io.allsource.ingest.config.ConfigFixtures.REQUIRED;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.describedLine;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static io.allsource.ingest.config.ConfigFixtures.propertiesFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags beat environment variables, which beat the properties file, which beats the defaults; describe() says which. */
class IngestConfigPrecedenceTest {

    @TempDir
    Path directory;

    @Test
    void aFlagBeatsTheEnvironmentAndTheFile() {
        Path file = propertiesFile(directory, "batch-size=100");

        IngestConfig config = IngestConfig.load(pairs("batch-size", "300"), pairs("INGEST_BATCH_SIZE", "200"), file,
                List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(300);
        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 300  [flag]");
    }

    @Test
    void theEnvironmentBeatsTheFile() {
        Path file = propertiesFile(directory, "batch-size=100");

        IngestConfig config = IngestConfig.load(Map.of(), pairs("INGEST_BATCH_SIZE", "200"), file, List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(200);
        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 200  [environment]");
    }

    @Test
    void theFileBeatsTheDefault() {
        Path file = propertiesFile(directory, "batch-size=100");

        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), file, List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(100);
        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 100  [file " + file + "]");
    }

    @Test
    void describeShowsTheSourceOfEachSetting() {
        Path file = propertiesFile(directory, "consumer-threads=3", "linger-ms=1", "batch-size=1");
        Map<String, String> environment = pairs("INGEST_LINGER_MS", "20", "INGEST_BATCH_SIZE", "2");

        IngestConfig config = IngestConfig.load(pairs("batch-size", "250"), environment, file, List.of());

        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 250  [flag]");
        assertThat(describedLine(config, "linger-ms")).isEqualTo("linger-ms = 20  [environment]");
        assertThat(describedLine(config, "consumer-threads")).isEqualTo("consumer-threads = 3  [file " + file + "]");
        assertThat(describedLine(config, "group-id")).isEqualTo("group-id = ingest-worker  [default]");
    }

    @Test
    void aRequiredSettingMaySitInAnySource() {
        Path file = propertiesFile(directory, "db-url=jdbc:postgresql://file-db/ingest");
        Map<String, String> environment = pairs("INGEST_REGISTRY_URL", "https://env-registry:8081");

        IngestConfig config = IngestConfig.load(pairs("bootstrap-servers", BOOTSTRAP), environment, file, REQUIRED);

        assertThat(config.require(ConfigKeys.DB_URL)).isEqualTo("jdbc:postgresql://file-db/ingest");
        assertThat(config.require(ConfigKeys.REGISTRY_URL)).isEqualTo("https://env-registry:8081");
        assertThat(config.require(ConfigKeys.BOOTSTRAP_SERVERS)).isEqualTo(BOOTSTRAP);
    }

    @Test
    void kafkaPropertiesPassThroughFromEnvironmentAndFlagsWithTheBootstrapServers() {
        IngestConfig config = IngestConfig.load(connectionFlags("kafka.sasl.mechanism", "PLAIN"),
                pairs("INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), null, REQUIRED);

        assertThat(config.kafkaProperties()).containsOnly(entry("bootstrap.servers", BOOTSTRAP),
                entry("security.protocol", "SASL_SSL"), entry("sasl.mechanism", "PLAIN"));
        assertThat(describedLine(config, "kafka.security.protocol"))
                .isEqualTo("kafka.security.protocol = SASL_SSL  [environment]");
        assertThat(describedLine(config, "kafka.sasl.mechanism")).isEqualTo("kafka.sasl.mechanism = PLAIN  [flag]");
    }

    @Test
    void kafkaPropertiesPassThroughFromTheFile() {
        Path file = propertiesFile(directory, "kafka.sasl.mechanism=PLAIN", "kafka.client.rack=eu-west-1a");

        IngestConfig config = IngestConfig.load(connectionFlags(), pairs("INGEST_KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL"), file, REQUIRED);

        assertThat(config.kafkaProperties()).containsOnly(entry("bootstrap.servers", BOOTSTRAP),
                entry("security.protocol", "SASL_SSL"), entry("sasl.mechanism", "PLAIN"),
                entry("client.rack", "eu-west-1a"));
        assertThat(describedLine(config, "kafka.sasl.mechanism"))
                .isEqualTo("kafka.sasl.mechanism = PLAIN  [file " + file + "]");
    }

    @Test
    void aKafkaPropertyFollowsTheSamePrecedence() {
        Path file = propertiesFile(directory, "kafka.client.rack=from-file", "kafka.acks=1",
                "kafka.linger.ms=50");
        Map<String, String> environment = pairs("INGEST_KAFKA_CLIENT_RACK", "from-env", "INGEST_KAFKA_ACKS", "all");

        IngestConfig config = IngestConfig.load(connectionFlags("kafka.client.rack", "from-flag"), environment, file,
                REQUIRED);

        assertThat(config.kafkaProperties()).contains(entry("client.rack", "from-flag"), entry("acks", "all"),
                entry("linger.ms", "50"));
        assertThat(describedLine(config, "kafka.client.rack")).endsWith("[flag]");
        assertThat(describedLine(config, "kafka.acks")).isEqualTo("kafka.acks = all  [environment]");
        assertThat(describedLine(config, "kafka.linger.ms")).isEqualTo("kafka.linger.ms = 50  [file " + file + "]");
    }

    @Test
    void theWorkersKafkaPropertiesAreTheSamePassedThroughProperties() {
        IngestConfig config = IngestConfig.load(connectionFlags("kafka.sasl.mechanism", "PLAIN"),
                pairs("INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), null, REQUIRED);

        assertThat(config.workerSettings().kafka()).isEqualTo(config.kafkaProperties());
    }

    @Test
    void valuesAreTrimmedWhereverTheyComeFrom() {
        Path file = propertiesFile(directory, "consumer-threads = 3   ");

        IngestConfig config = IngestConfig.load(pairs(" batch-size ", " 42 "), pairs("INGEST_LINGER_MS", " 7 "),
                file, List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(42);
        assertThat(config.integer(ConfigKeys.LINGER_MS)).isEqualTo(7);
        assertThat(config.integer(ConfigKeys.CONSUMER_THREADS)).isEqualTo(3);
        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 42  [flag]");
    }
}
