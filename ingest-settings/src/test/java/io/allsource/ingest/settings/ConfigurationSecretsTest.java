package io.allsource.ingest.settings;

import static io.allsource.ingest.settings.TestCatalogue.connection;
import static io.allsource.ingest.settings.TestCatalogue.load;
import static io.allsource.ingest.settings.TestCatalogue.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets reach the clients but never the printed configuration, nor a problem's message. */
class ConfigurationSecretsTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"ingest\" password=\"hunter2-jaas\";";

    @Test
    void describeMasksSecretKeysKafkaSecretsAndPasswordsInUrls() {
        Configuration configuration = load(ConfigSources.of(connection("registry-url",
                "https://svc:hunter2-url@registry:8081?password=hunter2-query", "registry-basic-auth",
                "svc:hunter2-registry", "kafka.ssl.keystore.password", "hunter2-keystore"),
                pairs("INGEST_REGISTRY_TRUSTSTORE_PASSWORD", "hunter2-truststore", "INGEST_KAFKA_SASL_JAAS_CONFIG",
                        JAAS, "INGEST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), null));

        assertThat(configuration.describe()).doesNotContain("hunter2", "PlainLoginModule").contains(
                "registry-basic-auth = ****  [flag]", "registry-truststore-password = ****  [environment]",
                "kafka.sasl.jaas.config = ****  [environment]", "kafka.ssl.keystore.password = ****  [flag]",
                "registry-url = https://svc:****@registry:8081?password=****  [flag]",
                "kafka.security.protocol = SASL_SSL", "bootstrap-servers = " + TestCatalogue.BOOTSTRAP);
    }

    @Test
    void theSecretsStillReachTheClientsUnmasked() {
        Configuration configuration = load(ConfigSources.of(connection("registry-basic-auth", "svc:hunter2-registry"),
                pairs("INGEST_KAFKA_SASL_JAAS_CONFIG", JAAS), null));

        assertThat(configuration.kafkaProperties()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(configuration.registrySettings().basicAuthUserInfo()).isEqualTo("svc:hunter2-registry");
    }

    @Test
    void aProblemWithASecretValueNeverRepeatsIt() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> load(ConfigSources.of(
                connection("registry-basic-auth", "token-hunter2"), Map.of(), null)));

        assertThat(failure.problems()).singleElement().asString()
                .startsWith("--registry-basic-auth / INGEST_REGISTRY_BASIC_AUTH / registry-basic-auth");
        assertThat(failure.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void aProblemWithAUrlNeverRepeatsThePasswordsItCarries() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> load(ConfigSources.of(
                connection("registry-url", "http://svc:hunter2-url@/apis?password=hunter2-query"), Map.of(), null)));

        assertThat(failure.problems()).singleElement().asString()
                .contains("names no host: 'http://svc:****@/apis?password=****'");
        assertThat(failure.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void aSecretKeysOwnCheckMessageIsMaskedToo() {
        ConfigKey pin = new ConfigKey("pin", null, true, "A PIN", ConfigChecks.integer(0, 9999));

        assertThat(pin.check().apply("hunter2")).get().asString().contains("hunter2");
        assertThat(pin.printable("hunter2")).isEqualTo("****");
        assertThat(pin.help()).contains("secret: never printed").doesNotContain("default");
    }
}
