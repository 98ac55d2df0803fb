package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.REQUIRED;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.describedLine;
import static io.allsource.ingest.config.ConfigFixtures.load;
import static io.allsource.ingest.config.ConfigFixtures.loadFails;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static io.allsource.ingest.config.ConfigFixtures.propertiesFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.store.DatabaseSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets never appear when the configuration or the settings built from it are printed; other values do. */
class IngestConfigSecretsTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"ingest\" password=\"hunter2-jaas\";";

    @TempDir
    Path directory;

    private IngestConfig withEverySecret() {
        Path file = propertiesFile(directory, "kafka.ssl.keystore.password=hunter2-keystore",
                "registry-truststore-password=hunter2-truststore", "kafka.ssl.keystore.location=/etc/kafka/ks.p12");
        Map<String, String> environment = pairs("INGEST_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "INGEST_DB_PASSWORD", "hunter2-db");
        Map<String, String> flags = connectionFlags("db-user", "ingest-user", "registry-basic-auth",
                "registry-user:hunter2-registry", "registry-truststore", "/etc/registry/truststore.p12",
                "kafka.sasl.mechanism", "PLAIN");
        return IngestConfig.load(flags, environment, file, REQUIRED);
    }

    @Test
    void describeMasksEverySecretSetting() {
        IngestConfig config = withEverySecret();

        assertThat(config.describe()).doesNotContain("hunter2");
        assertThat(describedLine(config, "db-password")).isEqualTo("db-password = ****  [environment]");
        assertThat(describedLine(config, "registry-basic-auth")).isEqualTo("registry-basic-auth = ****  [flag]");
        assertThat(describedLine(config, "registry-truststore-password"))
                .startsWith("registry-truststore-password = ****  [file ");
    }

    @Test
    void describeMasksPassedThroughKafkaSecrets() {
        IngestConfig config = withEverySecret();

        assertThat(config.describe()).doesNotContain("hunter2", "PlainLoginModule");
        assertThat(describedLine(config, "kafka.sasl.jaas.config"))
                .isEqualTo("kafka.sasl.jaas.config = ****  [environment]");
        assertThat(describedLine(config, "kafka.ssl.keystore.password"))
                .startsWith("kafka.ssl.keystore.password = ****  [file ");
    }

    @Test
    void describeShowsTheValuesThatAreNotSecret() {
        IngestConfig config = withEverySecret();

        assertThat(config.describe()).contains("db-user = ingest-user", "db-url = " + ConfigFixtures.DB_URL,
                "registry-url = " + ConfigFixtures.REGISTRY_URL, "registry-truststore = /etc/registry/truststore.p12",
                "kafka.security.protocol = SASL_SSL", "kafka.sasl.mechanism = PLAIN",
                "kafka.ssl.keystore.location = /etc/kafka/ks.p12", "bootstrap-servers = " + ConfigFixtures.BOOTSTRAP);
    }

    @Test
    void theSecretsStillReachTheClientsUnmasked() {
        IngestConfig config = withEverySecret();

        assertThat(config.kafkaProperties()).containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.keystore.password", "hunter2-keystore");
        assertThat(config.databaseSettings().password()).isEqualTo("hunter2-db");
        assertThat(config.registrySettings().basicAuthUserInfo()).isEqualTo("registry-user:hunter2-registry");
        assertThat(config.registrySettings().trustStorePassword()).isEqualTo("hunter2-truststore");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssl.key.password", "ssl.keystore.password", "ssl.truststore.password",
            "sasl.jaas.config", "ssl.keystore.key", "sasl.oauthbearer.client.credentials.client.secret",
            "sasl.oauthbearer.assertion.private.key.passphrase"})
    void describeMasksEveryKafkaClientPasswordProperty(String property) {
        IngestConfig config = load(connectionFlags("kafka." + property, "hunter2-value"), Map.of());

        assertThat(config.describe()).doesNotContain("hunter2");
        assertThat(describedLine(config, "kafka." + property)).isEqualTo("kafka." + property + " = ****  [flag]");
    }

    @Test
    void databaseSettingsNeverPrintThePassword() {
        IngestConfig config = withEverySecret();

        assertThat(config.databaseSettings().toString()).doesNotContain("hunter2").contains("password=****",
                "jdbcUrl=" + ConfigFixtures.DB_URL, "username=ingest-user");
    }

    @Test
    void registrySettingsNeverPrintTheCredentialsOrTrustStorePassword() {
        IngestConfig config = withEverySecret();

        assertThat(config.registrySettings().toString()).doesNotContain("hunter2", "registry-user")
                .contains("basicAuthUserInfo=****", "trustStorePassword=****", "url=" + ConfigFixtures.REGISTRY_URL,
                        "trustStore=/etc/registry/truststore.p12");
    }

    @Test
    void problemsNeverRepeatASecretValue() {
        Path file = propertiesFile(directory, "db-pasword=hunter2-typo", "batch-size=abc");
        Map<String, String> environment = pairs("INGEST_DB_PASSWORD", "hunter2-db",
                "INGEST_KAFKA_SASL_JAAS_CONFIG", JAAS);

        ConfigException failure = loadFails(connectionFlags("registry-basic-auth", "user:hunter2-registry"),
                environment, file, REQUIRED);

        assertThat(failure.problems()).hasSize(2).anySatisfy(problem -> assertThat(problem).contains("'db-pasword'"));
        assertThat(failure.getMessage()).doesNotContain("hunter2");
    }

    /** A PostgreSQL JDBC URL may carry the password; it is masked wherever the URL is printed. */
    @Test
    void aPasswordInTheDatabaseUrlIsNotPrinted() {
        IngestConfig config = load(connectionFlags("db-url",
                "jdbc:postgresql://db:5432/ingest?user=ingest&password=hunter2-url&ssl=true"), Map.of());

        assertThat(config.describe()).doesNotContain("hunter2").contains("jdbc:postgresql://db:5432/ingest");
        assertThat(config.databaseSettings().toString()).doesNotContain("hunter2");
    }

    /**
     * A URL the driver cannot parse is refused before the driver sees it (the driver logs such a URL, passwords and
     * all), and neither refusal repeats the passwords it carries.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://db:5432?password=hunter2-url&sslpassword=hunter2-key",
            "jdbc:mysql://db:3306/ingest?password=hunter2-url&sslpassword=hunter2-key"})
    void aDatabaseUrlThatIsRefusedIsNotRepeatedWithItsPasswords(String url) {
        ConfigException failure = loadFails(connectionFlags("db-url", url), Map.of(), null, REQUIRED);

        assertThat(failure.getMessage()).contains("--db-url / INGEST_DB_URL / db-url").doesNotContain("hunter2");
        assertThatThrownBy(() -> DatabaseSettings.of(url, "u", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:").message().doesNotContain("hunter2");
    }

    /** WorkerSettings masks passed-through Kafka secrets in its toString, as the configuration printout does. */
    @Test
    void workerSettingsNeverPrintPassedThroughKafkaSecrets() {
        IngestConfig config = withEverySecret();

        assertThat(config.workerSettings().toString()).doesNotContain("hunter2")
                .contains(config.workerId(), "SASL_SSL");
    }
}
