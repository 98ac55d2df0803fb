package io.allsource.ingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation, defaults and masking of {@link RegistrySettings}. */
class RegistrySettingsTest {

    @Test
    void neverPrintsTheBasicAuthPassword() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081").withBasicAuth("user:secret");

        assertThat(settings.toString()).doesNotContain("secret").contains("basicAuthUserInfo=****");
    }

    @Test
    void neverPrintsTheTrustStorePassword() {
        RegistrySettings settings = RegistrySettings.of("https://registry:8081")
                .withTrustStore(Path.of("/etc/registry/truststore.p12"), "secret", "PKCS12");

        assertThat(settings.toString()).doesNotContain("secret")
                .contains("trustStorePassword=****")
                .contains("truststore.p12");
    }

    @Test
    void printsNullForSecretsThatAreNotSet() {
        assertThat(RegistrySettings.of("http://registry:8081").toString())
                .contains("basicAuthUserInfo=null", "trustStorePassword=null");
    }

    @Test
    void rejectsAUrlWithoutHttpOrHttpsNamingTheUrl() {
        assertThatThrownBy(() -> RegistrySettings.of("registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url")
                .hasMessageContaining("registry:8081");
    }

    @Test
    void rejectsAMissingUrlNamingIt() {
        assertThatThrownBy(() -> RegistrySettings.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("url");
    }

    @Test
    void rejectsUserInfoWithoutAColonNamingTheSettingButNotTheValue() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081");

        assertThatThrownBy(() -> settings.withBasicAuth("justatoken"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basic auth")
                .hasMessageNotContaining("justatoken");
    }

    @Test
    void rejectsFewerThanOneAttemptNamingTheSetting() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081");

        assertThatThrownBy(() -> settings.withRetries(0, Duration.ofMillis(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
    }

    @Test
    void rejectsANegativeBackOffNamingTheSetting() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081");

        assertThatThrownBy(() -> settings.withRetries(3, Duration.ofMillis(-10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialBackoff");
    }

    @Test
    void rejectsARequestTimeoutThatIsNotPositiveNamingTheSetting() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081");

        assertThatThrownBy(() -> settings.withRetries(3, Duration.ofMillis(10), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestTimeout");
    }

    @Test
    void dropsTheTrailingSlashOfTheUrl() {
        assertThat(RegistrySettings.of("http://registry:8080/apis/ccompat/v7/").url())
                .isEqualTo("http://registry:8080/apis/ccompat/v7");
        assertThat(RegistrySettings.of("https://registry:8081").url()).isEqualTo("https://registry:8081");
    }

    @Test
    void defaultsToThreeAttemptsTenSecondsPerAnswerAndNoCredentials() {
        RegistrySettings settings = RegistrySettings.of("http://registry:8081");

        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.basicAuthUserInfo()).isNull();
        assertThat(settings.trustStore()).isNull();
        assertThat(settings.trustStoreType()).isEqualTo("PKCS12");
    }

    @Test
    void withersKeepEverythingTheyDoNotChange() {
        Path store = Path.of("/etc/registry/truststore.jks");
        RegistrySettings settings = RegistrySettings.of("https://registry:8081")
                .withBasicAuth("user:secret")
                .withTrustStore(store, "changeit", "JKS")
                .withRetries(5, Duration.ofMillis(50), Duration.ofSeconds(3));

        assertThat(settings).isEqualTo(new RegistrySettings("https://registry:8081", "user:secret", store,
                "changeit", "JKS", Duration.ofSeconds(3), 5, Duration.ofMillis(50)));
    }
}
