package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.TestCatalogue.BOOTSTRAP;
import static io.allsource.ingest.settings.TestCatalogue.REGISTRY_URL;
import static io.allsource.ingest.settings.TestCatalogue.connection;
import static io.allsource.ingest.settings.TestCatalogue.describedLine;
import static io.allsource.ingest.settings.TestCatalogue.load;
import static io.allsource.ingest.settings.TestCatalogue.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.allsource.ingest.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules every component's settings follow: precedence, blank values, the Kafka and registry mapping. */
class ConfigurationRulesTest {

    @TempDir
    Path directory;

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsTheLauncherWhichBeatsTheDefault() throws IOException {
        Path file = Files.writeString(directory.resolve("a.properties"), "views-threads=3\nviews-advertised-host=f\n");
        ConfigSources sources = ConfigSources.of(connection("views-threads", "5"), pairs("INGEST_VIEWS_THREADS", "4"),
                file).withLauncherDefaults(pairs("views-threads", "2", "views-advertised-host", "launcher",
                "create-topics", "true"));

        Configuration configuration = load(sources);

        assertThat(configuration.integer(TestCatalogue.THREADS)).isEqualTo(5);
        assertThat(configuration.require(TestCatalogue.HOST)).isEqualTo("f");
        assertThat(configuration.topicCreation()).isEqualTo(TopicCreation.CREATE_MISSING);
        assertThat(describedLine(configuration, "views-threads")).isEqualTo("views-threads = 5  [flag]");
        assertThat(describedLine(configuration, "views-advertised-host")).endsWith("[file " + file + "]");
        assertThat(describedLine(configuration, "create-topics")).isEqualTo("create-topics = true  [launcher]");
        assertThat(describedLine(configuration, "topic-events")).isEqualTo("topic-events = ingest.events  [default]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"flag", "environment", "file", "launcher"})
    void aBlankValueIsAnErrorNamingTheKeyWhereverItComesFrom(String source) throws IOException {
        Path file = Files.writeString(directory.resolve("b.properties"), "views-threads=  \n");
        ConfigSources sources = switch (source) {
            case "flag" -> ConfigSources.of(connection("views-threads", " "), Map.of(), null);
            case "environment" -> ConfigSources.of(connection(), pairs("INGEST_VIEWS_THREADS", ""), null);
            case "file" -> ConfigSources.of(connection(), Map.of(), file);
            default -> ConfigSources.of(connection(), Map.of(), null).withLauncherDefaults(pairs("views-threads", ""));
        };

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> load(sources));

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--views-threads / INGEST_VIEWS_THREADS / views-threads ")
                .contains("give a value, or leave it out for its default");
    }

    @Test
    void aBlankRequiredKeyIsReportedOnceNotAlsoAsMissing() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> load(ConfigSources.of(
                pairs("registry-url", REGISTRY_URL), pairs("INGEST_BOOTSTRAP_SERVERS", "  "), null)));

        assertThat(failure.problems()).singleElement().asString().startsWith("--bootstrap-servers / ")
                .contains("empty");
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsKey() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> load(ConfigSources.of(
                pairs("views-threads", "many", "registry-url", "registry:8081"), Map.of(), null)));

        assertThat(failure.problems()).hasSize(3)
                .anySatisfy(problem -> assertThat(problem).startsWith("--views-threads / ").contains("'many'"))
                .anySatisfy(problem -> assertThat(problem).startsWith("--registry-url / ").contains("http://"))
                .anySatisfy(problem -> assertThat(problem).startsWith("--bootstrap-servers / ")
                        .contains("is required"));
        assertThat(failure.getMessage()).startsWith("Invalid configuration:").contains(failure.problems());
    }

    @Test
    void kafkaPropertiesPassThroughFromEverySourceWithTheBootstrapServers() throws IOException {
        Path file = Files.writeString(directory.resolve("c.properties"), "kafka.client.rack=file\nkafka.acks=1\n");

        Configuration configuration = load(ConfigSources.of(connection("kafka.client.rack", "flag",
                "kafka.bootstrap.servers", "elsewhere:9092"), pairs("INGEST_KAFKA_SECURITY_PROTOCOL", "SSL",
                "INGEST_KAFKA_ACKS", "all"), file));

        assertThat(configuration.kafkaProperties()).containsOnly(entry("bootstrap.servers", BOOTSTRAP),
                entry("client.rack", "flag"), entry("acks", "all"), entry("security.protocol", "SSL"));
        assertThat(describedLine(configuration, "kafka.acks")).isEqualTo("kafka.acks = all  [environment]");
    }

    @Test
    void registrySettingsCarryTheUrlCredentialsAndTrustStore() {
        Configuration configuration = load(ConfigSources.of(connection("registry-basic-auth", "svc:pw",
                "registry-truststore", "/etc/ca.jks", "registry-truststore-type", "JKS"),
                pairs("INGEST_REGISTRY_TRUSTSTORE_PASSWORD", "changeit"), null));

        assertThat(configuration.registrySettings()).isEqualTo(RegistrySettings.of(REGISTRY_URL)
                .withBasicAuth("svc:pw").withTrustStore(Path.of("/etc/ca.jks"), "changeit", "JKS"));
        assertThat(load(ConfigSources.of(connection(), Map.of(), null)).registrySettings())
                .isEqualTo(RegistrySettings.of(REGISTRY_URL));
    }

    @Test
    void aKeyOfAnotherCatalogueCannotBeRead() {
        Configuration configuration = load(ConfigSources.of(connection(), Map.of(), null));
        ConfigKey workerKey = new ConfigKey("batch-size", "500", false, "Batch", ConfigChecks.any());

        assertThatThrownBy(() -> configuration.get(workerKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch-size");
    }

    @Test
    void theFileIsNamedByTheFlagElseByTheVariable() {
        assertThat(ConfigSources.configFile(Path.of("given.properties"), pairs("INGEST_CONFIG", "env.properties")))
                .contains(Path.of("given.properties"));
        assertThat(ConfigSources.configFile(null, pairs("INGEST_CONFIG", "env.properties")))
                .contains(Path.of("env.properties"));
        assertThat(ConfigSources.configFile(null, Map.of())).isEmpty();
        assertThat(List.of(ConfigSources.CONFIG_FILE_VARIABLE)).containsExactly("INGEST_CONFIG");
    }
}
