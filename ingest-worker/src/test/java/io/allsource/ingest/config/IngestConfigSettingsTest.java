package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.BOOTSTRAP;
import static io.allsource.ingest.config.ConfigFixtures.DB_URL;
import static io.allsource.ingest.config.ConfigFixtures.REGISTRY_URL;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.load;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed settings records built from the configuration carry every value into the right field. */
class IngestConfigSettingsTest {

    @Test
    void workerSettingsCarryEveryKey() {
        Map<String, String> flags = connectionFlags("worker-id", "worker-7", "group-id", "ingest-blue",
                "consumer-threads", "4", "apply-threads", "3", "batch-size", "250", "linger-ms", "20", "mark-interval-ms", "2000",
                "apply-overlap-ms", "15", "retry-initial-ms", "50", "retry-max-ms", "5000",
                "publish-timeout-ms", "15000",
                "shutdown-timeout-ms", "12000", "fenced-recheck-ms", "7000", "topic-commands", "blue.commands",
                "topic-results", "blue.results", "topic-events", "blue.events", "topic-dead-letters", "blue.dlq",
                "kafka.acks", "all");

        WorkerSettings settings = load(flags, pairs("INGEST_KAFKA_SECURITY_PROTOCOL", "SSL")).workerSettings();

        assertThat(settings).isEqualTo(new WorkerSettings("worker-7", "ingest-blue",
                new IngestTopics("blue.commands", "blue.results", "blue.events", "blue.dlq"), 4, 3, 250,
                Duration.ofMillis(20), Duration.ofMillis(15), Duration.ofSeconds(2), Duration.ofMillis(50),
                Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(12), Duration.ofSeconds(7),
                Map.of("bootstrap.servers", BOOTSTRAP, "acks", "all", "security.protocol", "SSL")));
    }

    @Test
    void aLingerOfZeroIsAllowed() {
        WorkerSettings settings = load(connectionFlags("linger-ms", "0"), Map.of()).workerSettings();

        assertThat(settings.linger()).isZero();
    }

    @Test
    void topicsCarryTheirOwnNames() {
        IngestConfig config = load(connectionFlags("topic-events", "audit.events"), pairs("INGEST_TOPIC_RESULTS",
                "audit.results"));

        assertThat(config.topics()).isEqualTo(new IngestTopics("ingest.commands", "audit.results", "audit.events",
                "ingest.commands.dlq"));
    }

    @Test
    void databaseSettingsCarryUrlUserPasswordAndPoolSize() {
        IngestConfig config = load(connectionFlags("db-user", "ingest", "db-pool-size", "16"),
                pairs("INGEST_DB_PASSWORD", "pw"));

        assertThat(config.databaseSettings())
                .isEqualTo(new DatabaseSettings(DB_URL, "ingest", "pw", 16, Duration.ofSeconds(10)));
    }

    @Test
    void databaseSettingsLeaveAnUnsetUserAndPasswordNull() {
        DatabaseSettings settings = load(connectionFlags(), Map.of()).databaseSettings();

        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
    }

    @Test
    void storeSettingsCarryTheStreamCacheSize() {
        IngestConfig config = load(connectionFlags("stream-cache-size", "1234"), Map.of());

        assertThat(config.storeSettings()).isEqualTo(new StoreSettings(1234));
    }

    @Test
    void registrySettingsWithoutCredentialsOrTrustStoreAreTheRecordsDefaults() {
        RegistrySettings settings = load(connectionFlags(), Map.of()).registrySettings();

        assertThat(settings).isEqualTo(RegistrySettings.of(REGISTRY_URL));
        assertThat(settings.basicAuthUserInfo()).isNull();
        assertThat(settings.trustStore()).isNull();
    }

    @Test
    void registrySettingsApplyBasicAuthAndTheTrustStore(@TempDir Path directory) {
        Path store = directory.resolve("not-created-yet.jks");
        IngestConfig config = load(connectionFlags("registry-url", "https://registry:8443", "registry-basic-auth",
                "svc:pw", "registry-truststore", store.toString(), "registry-truststore-type", "JKS"),
                pairs("INGEST_REGISTRY_TRUSTSTORE_PASSWORD", "changeit"));

        RegistrySettings settings = config.registrySettings();

        assertThat(Files.exists(store)).isFalse();
        assertThat(settings).isEqualTo(RegistrySettings.of("https://registry:8443").withBasicAuth("svc:pw")
                .withTrustStore(store, "changeit", "JKS"));
        assertThat(settings.trustStore()).isEqualTo(store);
        assertThat(settings.trustStorePassword()).isEqualTo("changeit");
        assertThat(settings.trustStoreType()).isEqualTo("JKS");
        assertThat(settings.basicAuthUserInfo()).isEqualTo("svc:pw");
    }

    @Test
    void aTrustStoreWithoutPasswordKeepsTheDefaultType() {
        RegistrySettings settings = load(connectionFlags("registry-truststore", "/etc/ca.p12"), Map.of())
                .registrySettings();

        assertThat(settings.trustStore()).isEqualTo(Path.of("/etc/ca.p12"));
        assertThat(settings.trustStorePassword()).isNull();
        assertThat(settings.trustStoreType()).isEqualTo("PKCS12");
    }

    @Test
    void kafkaPropertiesAlwaysNameTheBootstrapServers() {
        IngestConfig config = load(connectionFlags("kafka.bootstrap.servers", "elsewhere:9092"), Map.of());

        assertThat(config.kafkaProperties()).containsEntry("bootstrap.servers", BOOTSTRAP);
    }

    /**
     * A blank worker id would become the partition owner and the prefix of every client id: it is refused naming
     * the key (falling back to the default would do as well).
     */
    @Test
    void aBlankWorkerIdIsNeverUsed() {
        IngestConfig config;
        try {
            config = load(connectionFlags(), pairs("INGEST_WORKER_ID", " "));
        } catch (ConfigException refused) {
            assertThat(refused).hasMessageContaining("--worker-id / INGEST_WORKER_ID / worker-id");
            return;
        }

        assertThat(config.workerId()).isNotBlank();
        assertThat(config.workerSettings().workerId()).isNotBlank();
    }
}
