package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.TopicCreation;
import io.allsource.ingest.startup.WorkerCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One properties file and one environment serve the worker and the views, as their READMEs say: each reads its own
 * keys and the shared ones the same way, passes over the other's, and both refuse a key neither has. (The worker is
 * on this module's test classpath only.)
 */
class SharedSettingsFileTest {

    private static final List<String> SHARED_FILE = List.of(
            "bootstrap-servers=broker-1:9092,broker-2:9092",
            "registry-url=https://registry:8081",
            "registry-basic-auth=ingest:secret",
            "topic-events=blue.events",
            "create-topics=true",
            "topic-replication-factor=3",
            "kafka.security.protocol=SSL",
            "db-url=jdbc:postgresql://db:5432/ingest",
            "batch-size=250",
            "max-event-record-bytes=900000",
            "topic-alerts=blue.alerts",
            "views-threads=2",
            "views-http-port=9600");

    @TempDir
    Path directory;

    private Path file(List<String> lines) throws IOException {
        return Files.write(directory.resolve("pipeline.properties"), lines);
    }

    @Test
    void theWorkerAndTheViewsBothLoadOneFileAndReadTheSharedKeysAlike() throws IOException {
        Path file = file(SHARED_FILE);
        Map<String, String> environment = Map.of("INGEST_VIEWS_CACHE_BYTES", "0", "INGEST_LINGER_MS", "20");

        IngestConfig worker = IngestConfig.load(Map.of(), environment, file, WorkerCommand.REQUIRED);
        ViewsSettings views = ViewsConfig.load(Map.of(), environment, file).settings();

        assertThat(worker.integer(ConfigKeys.BATCH_SIZE)).isEqualTo(250);
        assertThat(worker.integer(ConfigKeys.LINGER_MS)).isEqualTo(20);
        assertThat(worker.commandLimits().maxEventRecordBytes()).isEqualTo(900_000);
        assertThat(views.streamThreads()).isEqualTo(2);
        assertThat(views.httpPort()).isEqualTo(9600);
        assertThat(views.cacheMaxBytes()).isZero();
        assertThat(views.kafka()).isEqualTo(worker.kafkaProperties());
        assertThat(views.registry()).isEqualTo(worker.registrySettings())
                .isEqualTo(RegistrySettings.of("https://registry:8081").withBasicAuth("ingest:secret"));
        assertThat(views.topics().events()).isEqualTo(worker.topics().events()).isEqualTo("blue.events");
        assertThat(views.alertsTopicCreation()).isEqualTo(worker.topicCreation())
                .isEqualTo(TopicCreation.CREATE_MISSING);
        assertThat(views.topicReplicationFactor()).isEqualTo((short) worker.integer(ConfigKeys.TOPIC_REPLICATION));
    }

    @Test
    void bothRefuseAKeyThatNeitherHas() throws IOException {
        List<String> lines = new java.util.ArrayList<>(SHARED_FILE);
        lines.add("views-thraeds=4");
        Path file = file(lines);

        ConfigException worker = catchThrowableOfType(ConfigException.class,
                () -> IngestConfig.load(Map.of(), Map.of(), file, WorkerCommand.REQUIRED));
        ConfigException views = catchThrowableOfType(ConfigException.class,
                () -> ViewsConfig.load(Map.of(), Map.of(), file));

        assertThat(worker.problems()).singleElement().asString().contains("unknown setting 'views-thraeds'");
        assertThat(views.problems()).singleElement().asString().contains("unknown setting 'views-thraeds'");
    }

    @Test
    void eachCatalogueIsTheComponentsListOfKeys() {
        assertThat(ConfigKeys.CATALOGUE.component().keyNamesOfOthers()).containsAll(ViewsKeys.CATALOGUE.keys().stream()
                .map(key -> key.name()).filter(name -> ConfigKeys.CATALOGUE.find(name).isEmpty()).toList());
        assertThat(ViewsKeys.CATALOGUE.component().keyNamesOfOthers()).containsAll(ConfigKeys.ALL.stream()
                .map(key -> key.name()).filter(name -> ViewsKeys.CATALOGUE.find(name).isEmpty()).toList());
    }
}
