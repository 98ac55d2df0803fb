package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.TopicCreation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views' settings from flags, environment and file, by the rules every component follows. */
class ViewsConfigTest {

    private static final Map<String, String> REQUIRED = Map.of("bootstrap-servers", "kafka-1:9092",
            "registry-url", "http://registry:8081");

    private static ViewsSettings settings(Map<String, String> flags) {
        return ViewsConfig.load(flags, Map.of(), null).settings();
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(REQUIRED);
        values.put(key, value);
        return values;
    }

    @Test
    void defaultsEverythingButTheConnection() {
        ViewsSettings settings = settings(REQUIRED);

        assertThat(settings.applicationId()).isEqualTo("ingest-views");
        assertThat(settings.topics()).isEqualTo(ViewsTopics.DEFAULT);
        assertThat(settings.kafka()).containsEntry("bootstrap.servers", "kafka-1:9092");
        assertThat(settings.registry()).isEqualTo(RegistrySettings.of("http://registry:8081"));
        assertThat(settings.stateDirectory()).isEqualTo(Path.of(".ingest/views"));
        assertThat(settings.httpPort()).isEqualTo(9500);
        assertThat(settings.streamThreads()).isEqualTo(1);
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.cacheMaxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(settings.windowRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.alertsTopicCreation()).isEqualTo(TopicCreation.REQUIRE_EXISTING);
        assertThat(settings.topicReplicationFactor()).isEqualTo((short) -1);
        assertThat(settings.advertisedHost()).isNotBlank().isNotEqualTo("0.0.0.0");
    }

    @Test
    void reportsEveryBadKeyAtOnceInAllItsSpellings() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> settings(Map.of(
                "views-http-port", "eighty", "views-threads", "x", "create-topics", "maybe")));

        assertThat(failure.problems()).hasSize(5)
                .anySatisfy(problem -> assertThat(problem).startsWith("--views-http-port / INGEST_VIEWS_HTTP_PORT /"))
                .anySatisfy(problem -> assertThat(problem).startsWith("--views-threads / "))
                .anySatisfy(problem -> assertThat(problem).startsWith("--create-topics / ").contains("true or false"))
                .anySatisfy(problem -> assertThat(problem).startsWith("--registry-url / ").contains("is required"))
                .anySatisfy(problem -> assertThat(problem).startsWith("--bootstrap-servers / ")
                        .contains("is required"));
    }

    @Test
    void aBlankValueIsAnErrorNotTheDefault() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> settings(with("views-http-port", " ")));

        assertThat(failure.problems()).singleElement().asString().startsWith("--views-http-port / ")
                .contains("leave it out for its default");
    }

    @Test
    void refusesValuesOutOfRangeNamingTheirKeys() {
        assertThatThrownBy(() -> settings(with("views-http-port", "70000"))).hasMessageContaining("views-http-port");
        assertThatThrownBy(() -> settings(with("views-advertised-host", "0.0.0.0")))
                .hasMessageContaining("views-advertised-host");
        assertThatThrownBy(() -> settings(with("views-window-retention-hours", "0")))
                .hasMessageContaining("views-window-retention-hours");
        assertThatThrownBy(() -> settings(with("views-application-id", "has space")))
                .hasMessageContaining("views-application-id");
        assertThatThrownBy(() -> settings(with("topic-alerts", "ingest.events")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic-events, topic-alerts");
    }

    @Test
    void settingsBuiltInCodeAreCheckedNamingTheKeysToo() {
        ViewsSettings valid = settings(REQUIRED);

        assertThatThrownBy(() -> valid.withHttp("127.0.0.1", 70_000)).hasMessageContaining("views-http-port");
        assertThatThrownBy(() -> valid.withWindowRetention(Duration.ofMinutes(5)))
                .hasMessageContaining("views-window-retention-hours");
        assertThatThrownBy(() -> valid.withProcessing(0, Duration.ZERO, -1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheLauncher(@TempDir Path folder)
            throws Exception {
        Path file = folder.resolve("views.properties");
        Files.writeString(file, "bootstrap-servers=file:9092\nregistry-url=http://file:8081\nviews-threads=3\n"
                + "views-http-port=9000\nkafka.client.rack=file-rack\n");

        ViewsSettings settings = ViewsConfig.load(Map.of("views-http-port", "9100"),
                Map.of("INGEST_REGISTRY_URL", "http://env:8081", "INGEST_VIEWS_HTTP_PORT", "9050",
                        "INGEST_KAFKA_SECURITY_PROTOCOL", "SSL"), file,
                Map.of("views-threads", "5", "views-state-dir", "/launcher/views")).settings();

        assertThat(settings.httpPort()).isEqualTo(9100);
        assertThat(settings.registry().url()).isEqualTo("http://env:8081");
        assertThat(settings.streamThreads()).isEqualTo(3);
        assertThat(settings.stateDirectory()).isEqualTo(Path.of("/launcher/views"));
        assertThat(settings.kafka()).containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("client.rack", "file-rack");
    }

    @Test
    void advertisesTheHttpHostUnlessItIsAWildcard() {
        ViewsSettings loopback = settings(with("views-http-host", "127.0.0.1"));
        ViewsSettings explicit = settings(with("views-advertised-host", "views-2.internal"));

        assertThat(loopback.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(explicit.httpHost()).isEqualTo("0.0.0.0");
        assertThat(explicit.advertisedHost()).isEqualTo("views-2.internal");
    }

    @Test
    void neverPrintsSecretsInTheSettingsOrTheConfiguration() {
        Map<String, String> values = new HashMap<>(REQUIRED);
        values.put("registry-basic-auth", "views:registry-secret-1");
        values.put("kafka.sasl.jaas.config", "ScramLoginModule required password=\"kafka-secret-2\";");
        values.put("kafka.ssl.truststore.password", "kafka-secret-3");

        ViewsConfig config = ViewsConfig.load(values, Map.of("INGEST_REGISTRY_TRUSTSTORE_PASSWORD", "secret-4"), null);

        assertThat(config.settings().toString()).doesNotContain("secret-").contains("****", "kafka-1:9092");
        assertThat(config.describe()).doesNotContain("secret-").contains("registry-basic-auth = ****  [flag]",
                "registry-truststore-password = ****  [environment]", "kafka.ssl.truststore.password = ****");
    }

    @Test
    void theCatalogueIsTheViewsWithTheirSecretKeys() {
        assertThat(ViewsKeys.CATALOGUE.keys()).isEqualTo(ViewsKeys.ALL);
        assertThat(ViewsKeys.ALL).filteredOn(key -> key.secret()).extracting(key -> key.name())
                .containsExactlyInAnyOrder("registry-basic-auth", "registry-truststore-password");
    }
}
