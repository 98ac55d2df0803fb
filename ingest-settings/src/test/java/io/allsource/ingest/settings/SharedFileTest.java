package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.TestCatalogue.connection;
import static io.allsource.ingest.settings.TestCatalogue.describedLine;
import static io.allsource.ingest.settings.TestCatalogue.load;
import static io.allsource.ingest.settings.TestCatalogue.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One properties file and one environment serve every component: each reads its own keys, passes over the keys of
 * the others there, and refuses a key that no component has; flags are a component's own.
 */
class SharedFileTest {

    @TempDir
    Path directory;

    private Path file(String... lines) throws IOException {
        return Files.write(directory.resolve("ingest.properties"), List.of(lines));
    }

    @Test
    void aFileWithTheKeysOfAnotherComponentLoadsAndPassesOverThem() throws IOException {
        Path file = file("bootstrap-servers=file:9092", "registry-url=http://file:8081", "views-threads=3",
                "db-url=jdbc:postgresql://db/ingest", "batch-size=250", "kafka.client.rack=rack-1");

        Configuration configuration = load(ConfigSources.of(Map.of(), Map.of(), file));

        assertThat(configuration.integer(TestCatalogue.THREADS)).isEqualTo(3);
        assertThat(configuration.kafkaProperties()).containsEntry("client.rack", "rack-1");
        assertThat(configuration.describe()).contains("(passed over, for other components: batch-size, db-url)");
    }

    @Test
    void aKeyNoComponentHasIsRefusedFromTheFileNamingIt() throws IOException {
        Path file = file("views-thraeds=3");

        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> load(ConfigSources.of(connection(), Map.of(), file)));

        assertThat(failure.problems()).singleElement().asString().contains("unknown setting 'views-thraeds'",
                file.toString());
    }

    @Test
    void aKeyOfAnotherComponentIsRefusedAsAFlag() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> load(ConfigSources.of(connection("batch-size", "250"), Map.of(), null)));

        assertThat(failure.problems()).singleElement().asString().contains("unknown setting 'batch-size'", "flag");
    }

    @Test
    void theEnvironmentVariablesOfAnotherComponentArePassedOver() {
        Configuration configuration = load(ConfigSources.of(connection(), pairs("INGEST_DB_URL",
                "jdbc:postgresql://db/ingest", "INGEST_VIEWS_THREADS", "4", "INGEST_HOME", "/opt/ingest"), null));

        assertThat(configuration.integer(TestCatalogue.THREADS)).isEqualTo(4);
        assertThat(describedLine(configuration, "views-threads")).isEqualTo("views-threads = 4  [environment]");
    }

    @Test
    void everyComponentsKeysAreOnlyItsOwnOrSharedOnes() {
        assertThat(Component.WORKER.keyNamesOfOthers()).contains("views-threads", "topic-alerts")
                .doesNotContain("bootstrap-servers", "registry-url", "topic-events", "create-topics");
        assertThat(Component.VIEWS.keyNamesOfOthers()).contains("db-url", "batch-size")
                .doesNotContain("bootstrap-servers", "views-threads");
    }
}
