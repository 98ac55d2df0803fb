package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.views.ViewsSettings.TopicCreation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewsConfigTest {

    private static final Map<String, String> REQUIRED = Map.of("bootstrap-servers", "kafka-1:9092",
            "registry-url", "http://registry:8081");

    @Test
    void defaultsEverythingButTheConnection() {
        ViewsSettings settings = ViewsConfig.settings(REQUIRED);

        assertThat(settings.applicationId()).isEqualTo("ingest-views");
        assertThat(settings.topics()).isEqualTo(ViewsTopics.DEFAULT);
        assertThat(settings.kafka()).containsEntry("bootstrap.servers", "kafka-1:9092");
        assertThat(settings.registry().url()).isEqualTo("http://registry:8081");
        assertThat(settings.stateDirectory()).isEqualTo(Path.of(".ingest/views"));
        assertThat(settings.httpPort()).isEqualTo(9500);
        assertThat(settings.streamThreads()).isEqualTo(1);
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.windowRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.alertsTopicCreation()).isEqualTo(TopicCreation.REQUIRE_EXISTING);
        assertThat(settings.advertisedHost()).isNotBlank().isNotEqualTo("0.0.0.0");
    }

    @Test
    void reportsEveryBadKeyAtOnceByName() {
        assertThatThrownBy(() -> ViewsConfig.settings(Map.of("views-http-port", "eighty", "views-threads", "x",
                "create-topics", "maybe")))
                .isInstanceOfSatisfying(ViewsConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(problem -> assertThat(problem).startsWith("views-http-port"))
                        .anySatisfy(problem -> assertThat(problem).startsWith("views-threads"))
                        .anySatisfy(problem -> assertThat(problem).startsWith("create-topics"))
                        .anySatisfy(problem -> assertThat(problem).startsWith("registry-url is required"))
                        .anySatisfy(problem -> assertThat(problem).startsWith("bootstrap-servers is required")));
    }

    @Test
    void refusesValuesOutOfRangeNamingTheirKeys() {
        RegistrySettings registry = RegistrySettings.of("http://registry:8081");
        ViewsSettings valid = ViewsSettings.defaults(Map.of("bootstrap.servers", "k:9092"), registry);

        assertThatThrownBy(() -> valid.withHttp("127.0.0.1", 70_000)).hasMessageContaining("views-http-port");
        assertThatThrownBy(() -> valid.withAdvertisedHost("0.0.0.0")).hasMessageContaining("views-advertised-host");
        assertThatThrownBy(() -> valid.withWindowRetention(Duration.ofMinutes(5)))
                .hasMessageContaining("views-window-retention-hours");
        assertThatThrownBy(() -> valid.withProcessing(0, Duration.ZERO, -1))
                .isInstanceOfSatisfying(ViewsConfigException.class, e -> assertThat(e.problems()).hasSize(3));
        assertThatThrownBy(() -> valid.withApplicationId("has space")).hasMessageContaining("views-application-id");
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("views.properties");
        Files.writeString(file, "bootstrap-servers=file:9092\nregistry-url=http://file:8081\nviews-threads=3\n"
                + "views-http-port=9000\nkafka.client.rack=file-rack\n");

        ViewsSettings settings = ViewsConfig.load(Map.of("views-http-port", "9100"),
                Map.of("INGEST_REGISTRY_URL", "http://env:8081", "INGEST_VIEWS_HTTP_PORT", "9050",
                        "INGEST_KAFKA_SECURITY_PROTOCOL", "SSL"), file);

        assertThat(settings.httpPort()).isEqualTo(9100);
        assertThat(settings.registry().url()).isEqualTo("http://env:8081");
        assertThat(settings.streamThreads()).isEqualTo(3);
        assertThat(settings.kafka()).containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("client.rack", "file-rack");
    }

    @Test
    void advertisesTheHttpHostUnlessItIsAWildcard() {
        ViewsSettings loopback = ViewsConfig.settings(with("views-http-host", "127.0.0.1"));
        ViewsSettings explicit = ViewsConfig.settings(with("views-advertised-host", "views-2.internal"));

        assertThat(loopback.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(explicit.httpHost()).isEqualTo("0.0.0.0");
        assertThat(explicit.advertisedHost()).isEqualTo("views-2.internal");
    }

    @Test
    void neverPrintsSecrets() {
        Map<String, String> values = new java.util.HashMap<>(REQUIRED);
        values.put("registry-basic-auth", "views:registry-secret-1");
        values.put("kafka.sasl.jaas.config", "ScramLoginModule required password=\"kafka-secret-2\";");
        values.put("kafka.ssl.truststore.password", "kafka-secret-3");

        String printed = ViewsConfig.settings(values).toString();

        assertThat(printed).doesNotContain("registry-secret-1", "kafka-secret-2", "kafka-secret-3")
                .contains("****", "kafka-1:9092");
    }

    @Test
    void everyOptionHasADescriptionAndAnEnvironmentVariable() {
        for (ViewsOption option : ViewsOption.values()) {
            assertThat(option.description()).as(option.key()).isNotBlank();
            assertThat(option.environmentVariable()).startsWith("INGEST_").doesNotContain("-");
            assertThat(ViewsConfig.keyOfVariable(option.environmentVariable())).contains(option.key());
        }
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new java.util.HashMap<>(REQUIRED);
        values.put(key, value);
        return values;
    }
}
