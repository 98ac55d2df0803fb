package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.REQUIRED;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.load;
import static io.allsource.ingest.config.ConfigFixtures.loadFails;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static io.allsource.ingest.config.ConfigFixtures.propertiesFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.settings.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every value is checked when loaded, every problem is reported at once, and each names its setting. */
class IngestConfigValidationTest {

    @TempDir
    Path directory;

    @Test
    void reportsEveryProblemAtOnce() {
        Path file = propertiesFile(directory, "bach-size=250");
        Map<String, String> flags = pairs("bootstrap-servers", "broker:9092", "registry-url", "http://registry:8081",
                "batch-size", "abc");

        ConfigException failure = loadFails(flags, pairs("INGEST_LINGER_MS", "-1"), file, REQUIRED);

        assertThat(failure.problems()).hasSize(4);
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("--batch-size / INGEST_BATCH_SIZE / batch-size ").contains("'abc'"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("--linger-ms / INGEST_LINGER_MS / linger-ms ").contains("between 0 and", "-1"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("--db-url / INGEST_DB_URL / db-url is required"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("unknown setting 'bach-size'", file.toString()));
        assertThat(failure.getMessage()).contains(failure.problems());
    }

    @Test
    void refusesAsManyApplyThreadsAsPooledConnectionsNamingBoth() {
        ConfigException failure = loadFails(connectionFlags("apply-threads", "8", "db-pool-size", "8"), Map.of(),
                null, REQUIRED);

        assertThat(failure.problems()).singleElement().satisfies(problem -> assertThat(problem)
                .startsWith("--apply-threads / INGEST_APPLY_THREADS / apply-threads is 8")
                .contains("--db-pool-size / INGEST_DB_POOL_SIZE / db-pool-size (8)"));
    }

    @Test
    void acceptsFewerApplyThreadsThanPooledConnections() {
        IngestConfig config = load(connectionFlags("apply-threads", "7", "db-pool-size", "8"), Map.of());

        assertThat(config.workerSettings().applyThreads()).isEqualTo(7);
    }

    @Test
    void aMissingRequiredSettingIsReportedWithItsDescription() {
        ConfigException failure = loadFails(pairs("bootstrap-servers", "broker:9092", "registry-url",
                "http://registry:8081"), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).containsExactly("--db-url / INGEST_DB_URL / db-url is required: "
                + ConfigKeys.DB_URL.description());
    }

    @Test
    void aSettingIsRequiredOnlyWhenTheCallerSaysSo() {
        IngestConfig config = IngestConfig.load(Map.of(), Map.of(), null, List.of());

        assertThat(config.get(ConfigKeys.DB_URL)).isEmpty();
    }

    @Test
    void refusesADatabaseUrlThatIsNotPostgresqlNamingTheKey() {
        ConfigException failure = loadFails(connectionFlags("db-url", "jdbc:mysql://db:3306/ingest"), Map.of(), null,
                REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--db-url / INGEST_DB_URL / db-url ")
                .contains("jdbc:postgresql:", "jdbc:mysql://db:3306/ingest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry:8081", "ftp://registry:8081", "HTTP//registry"})
    void refusesARegistryUrlWithoutHttpOrHttpsNamingTheKey(String url) {
        ConfigException failure = loadFails(connectionFlags("registry-url", url), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--registry-url / INGEST_REGISTRY_URL / registry-url ")
                .contains("http://", "https://");
    }

    @Test
    void acceptsAnHttpsRegistryUrl() {
        IngestConfig config = load(connectionFlags("registry-url", "https://registry:8081"), Map.of());

        assertThat(config.registrySettings().url()).isEqualTo("https://registry:8081");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "", "truee"})
    void refusesBooleansOtherThanTrueOrFalse(String value) {
        ConfigException failure = loadFails(connectionFlags("create-topics", value), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--create-topics / INGEST_CREATE_TOPICS / create-topics ")
                .contains("true or false");
    }

    @Test
    void acceptsTrueAndFalseInAnyCase() {
        IngestConfig config = load(connectionFlags("create-topics", "TRUE", "migrate", "False"), Map.of());

        assertThat(config.bool(ConfigKeys.CREATE_TOPICS)).isTrue();
        assertThat(config.bool(ConfigKeys.MIGRATE)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"batch-size,0", "batch-size,10001", "consumer-threads,33", "db-pool-size,0", "metrics-port,65536",
            "publish-timeout-ms,999", "topic-replication-factor,-2", "retry-initial-ms,1.5",
            "max-appends-per-command,0", "max-events-per-command,100001", "max-payload-bytes,-1",
            "max-metadata-entries,0", "max-metadata-chars,x", "max-event-record-bytes,0"})
    void refusesNumbersOutOfRangeNamingTheKey(String name, String value) {
        ConfigException failure = loadFails(connectionFlags(name, value), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString().startsWith("--" + name + " / ").contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest commands", "ingest/commands", ""})
    void refusesATopicNameKafkaWouldRefuse(String topic) {
        ConfigException failure = loadFails(connectionFlags("topic-commands", topic), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--topic-commands / INGEST_TOPIC_COMMANDS / topic-commands ");
    }

    @Test
    void refusesATrustStoreTypeOtherThanPkcs12OrJks() {
        ConfigException failure = loadFails(connectionFlags("registry-truststore-type", "PEM"), Map.of(), null,
                REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--registry-truststore-type / INGEST_REGISTRY_TRUSTSTORE_TYPE / registry-truststore-type ")
                .contains("PKCS12", "JKS");
    }

    @Test
    void aBadValueFromTheEnvironmentIsReportedInTheSameSpellings() {
        ConfigException failure = loadFails(connectionFlags(), pairs("INGEST_BATCH_SIZE", "lots"), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--batch-size / INGEST_BATCH_SIZE / batch-size ").contains("'lots'");
    }

    @Test
    void anUnknownFlagIsReported() {
        ConfigException failure = loadFails(connectionFlags("bach-size", "250"), Map.of(), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString().contains("unknown setting 'bach-size'", "flag");
    }

    @Test
    void aMissingPropertiesFileIsReportedNamingThePathAlongWithTheOtherProblems() {
        Path missing = directory.resolve("no-such.properties");

        ConfigException failure = loadFails(connectionFlags("batch-size", "abc"), Map.of(), missing, REQUIRED);

        assertThat(failure.problems()).hasSize(2);
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("properties file", missing.toString(), "cannot be read"));
        assertThat(failure.problems()).anySatisfy(problem -> assertThat(problem).startsWith("--batch-size / "));
    }

    @Test
    void aDirectoryGivenAsPropertiesFileIsReportedNamingThePath() {
        ConfigException failure = loadFails(connectionFlags(), Map.of(), directory, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .contains("properties file", directory.toString(), "cannot be read");
    }

    /** Properties.load throws IllegalArgumentException on a bad \\u escape: reported like any unreadable file. */
    @Test
    void aPropertiesFileWithAMalformedEscapeIsReportedNamingThePath() {
        Path file = propertiesFile(directory, "db-password=abc\\" + "uZZZZ");

        ConfigException failure = loadFails(connectionFlags(), Map.of(), file, REQUIRED);

        assertThat(failure.problems()).singleElement().asString().contains(file.toString());
    }

    /** An empty value is reported, not taken as set: a required setting given as {@code INGEST_DB_URL=} fails. */
    @Test
    void aBlankRequiredSettingIsReportedAsRequired() {
        Map<String, String> flags = pairs("db-url", "jdbc:postgresql://db/ingest", "registry-url",
                "http://registry:8081");

        ConfigException failure = loadFails(flags, pairs("INGEST_BOOTSTRAP_SERVERS", "  "), null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--bootstrap-servers / INGEST_BOOTSTRAP_SERVERS / bootstrap-servers");
    }

    /** Kafka refuses replication factor 0 ("must be larger than 0, or -1"), so the check does too. */
    @Test
    void refusesATopicReplicationFactorOfZero() {
        ConfigException failure = loadFails(connectionFlags("topic-replication-factor", "0"), Map.of(), null,
                REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--topic-replication-factor / INGEST_TOPIC_REPLICATION_FACTOR / topic-replication-factor");
    }

    /**
     * registry-basic-auth without ':' is refused at load naming the setting, rather than later by RegistrySettings
     * with a message that does not; the value, a password, is not repeated.
     */
    @Test
    void refusesRegistryBasicAuthWithoutAColonWhenLoadedNamingTheKeyButNotTheValue() {
        ConfigException failure = loadFails(connectionFlags("registry-basic-auth", "token-only-hunter2"), Map.of(),
                null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--registry-basic-auth / INGEST_REGISTRY_BASIC_AUTH / registry-basic-auth")
                .doesNotContain("hunter2");
    }

    /** A registry-url that is no URL is refused at load, naming the setting, not later by RegistrySettings. */
    @Test
    void refusesARegistryUrlThatIsNotAUrlWhenLoaded() {
        ConfigException failure = loadFails(connectionFlags("registry-url", "http://registry host:8081"), Map.of(),
                null, REQUIRED);

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--registry-url / INGEST_REGISTRY_URL / registry-url");
    }
}
