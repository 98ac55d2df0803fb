package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.BOOTSTRAP;
import static io.allsource.ingest.config.ConfigFixtures.DB_URL;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.describedLine;
import static io.allsource.ingest.config.ConfigFixtures.load;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What applies when nothing is set, how environment variables are named, and the worker id. */
class IngestConfigDefaultsTest {

    @Test
    void appliesTheDefaultsWhenNothingIsSet() {
        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), null, List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(500);
        assertThat(config.integer(ConfigKeys.LINGER_MS)).isEqualTo(5);
        assertThat(config.integer(ConfigKeys.CONSUMER_THREADS)).isEqualTo(1);
        assertThat(config.integer(ConfigKeys.APPLY_OVERLAP_MS)).isEqualTo(3);
        assertThat(config.require(ConfigKeys.GROUP_ID)).isEqualTo("ingest-worker");
        assertThat(config.bool(ConfigKeys.CREATE_TOPICS)).isFalse();
        assertThat(config.bool(ConfigKeys.MIGRATE)).isTrue();
        assertThat(config.integer(ConfigKeys.METRICS_PORT)).isEqualTo(9400);
        assertThat(config.require(ConfigKeys.REGISTRY_TRUSTSTORE_TYPE)).isEqualTo("PKCS12");
        assertThat(config.topics()).isEqualTo(
                new IngestTopics("ingest.commands", "ingest.results", "ingest.events", "ingest.commands.dlq"));
    }

    @Test
    void leavesKeysWithoutADefaultUnsetAndSaysSo() {
        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), null, List.of());

        assertThat(config.get(ConfigKeys.DB_URL)).isEmpty();
        assertThat(config.get(ConfigKeys.DB_PASSWORD)).isEmpty();
        assertThat(describedLine(config, "db-url")).isEqualTo("db-url = (not set)  [default]");
        assertThat(describedLine(config, "batch-size")).isEqualTo("batch-size = 500  [default]");
    }

    @Test
    void describesEveryKeyExactlyOnce() {
        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), null, List.of());

        assertThat(ConfigKeys.ALL).allSatisfy(key -> describedLine(config, key.name()));
    }

    @Test
    void requireOfAnUnsetKeyFailsNamingItAndItsDescription() {
        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), null, List.of());

        assertThatThrownBy(() -> config.require(ConfigKeys.DB_URL)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--db-url / INGEST_DB_URL / db-url")
                .hasMessageContaining(ConfigKeys.DB_URL.description());
        assertThatThrownBy(config::kafkaProperties).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--bootstrap-servers / INGEST_BOOTSTRAP_SERVERS / bootstrap-servers");
    }

    @Test
    void defaultWorkerSettingsAgreeWithTheRecordsOwnDefaults() {
        IngestConfig config = load(connectionFlags(), Map.of());

        assertThat(config.workerSettings()).isEqualTo(WorkerSettings.defaults(config.workerId(), IngestTopics.DEFAULT,
                Map.of("bootstrap.servers", BOOTSTRAP)));
    }

    @Test
    void defaultDatabaseAndStoreSettingsAgreeWithTheRecordsOwnDefaults() {
        IngestConfig config = load(connectionFlags(), Map.of());

        assertThat(config.databaseSettings()).isEqualTo(DatabaseSettings.of(DB_URL, null, null));
        assertThat(config.storeSettings()).isEqualTo(StoreSettings.DEFAULT);
    }

    @Test
    void readsEnvironmentVariablesNamedIngestAndTheKey() {
        Map<String, String> environment = pairs("INGEST_BATCH_SIZE", "42", "INGEST_DB_URL",
                "jdbc:postgresql://env-db/ingest", "INGEST_TOPIC_DEAD_LETTERS", "env.dlq");

        IngestConfig config = IngestConfig.load(Map.of(), environment, null, List.of(ConfigKeys.DB_URL));

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(42);
        assertThat(config.require(ConfigKeys.DB_URL)).isEqualTo("jdbc:postgresql://env-db/ingest");
        assertThat(config.topics().deadLetters()).isEqualTo("env.dlq");
    }

    @Test
    void ignoresVariablesOfOtherProgramsAndNamesWithoutTheIngestPrefix() {
        Map<String, String> environment = pairs("PATH", "/usr/bin", "HOME", "/root", "BATCH_SIZE", "7",
                "batch-size", "8", IngestConfig.CONFIG_FILE_VARIABLE, "/etc/ingest.properties");

        IngestConfig config = IngestConfig.load(Map.of(), environment, null, List.of());

        assertThat(config.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(500);
    }

    @Test
    void workerIdHasANonBlankDefaultThatStaysTheSame() {
        IngestConfig config = load(connectionFlags(), Map.of());

        assertThat(config.get(ConfigKeys.WORKER_ID)).isEmpty();
        assertThat(config.workerId()).isNotBlank().isEqualTo(config.workerId())
                .endsWith("-" + ProcessHandle.current().pid());
        assertThat(config.workerSettings().workerId()).isEqualTo(config.workerId());
        assertThat(describedLine(config, "worker-id")).isEqualTo("worker-id = " + config.workerId() + "  [default]");
    }

    @Test
    void workerIdIsTheValueGiven() {
        IngestConfig config = load(connectionFlags("worker-id", "worker-7"), Map.of());

        assertThat(config.workerId()).isEqualTo("worker-7");
        assertThat(config.workerSettings().workerId()).isEqualTo("worker-7");
        assertThat(describedLine(config, "worker-id")).isEqualTo("worker-id = worker-7  [flag]");
    }
}
