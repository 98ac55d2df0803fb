package io.allsource.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.RegistryUnavailableException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The setting each way of failing at the registry names, with and without credentials configured. */
class RegistryFixesTest {

    private static final RegistrySettings WITHOUT_CREDENTIALS = RegistrySettings.of("https://registry:8081");
    private static final RegistrySettings WITH_CREDENTIALS = WITHOUT_CREDENTIALS.withBasicAuth("svc:hunter2");

    @Test
    void unauthorizedWithoutCredentialsSaysToSetThem() {
        assertThat(RegistryFixes.forFailure(refused(401), WITHOUT_CREDENTIALS))
                .isEqualTo("; the registry asks for credentials: set registry-basic-auth (user:password)");
    }

    @Test
    void unauthorizedWithCredentialsSaysToCheckThemWithoutPrintingThem() {
        assertThat(RegistryFixes.forFailure(refused(401), WITH_CREDENTIALS))
                .isEqualTo("; the registry did not accept the user and password: check registry-basic-auth")
                .doesNotContain("hunter2");
    }

    @Test
    void forbiddenSaysTheUserLacksRights() {
        assertThat(RegistryFixes.forFailure(refused(403), WITH_CREDENTIALS))
                .startsWith("; the registry denies the user of registry-basic-auth this request: grant");
    }

    @Test
    void aFailedTlsHandshakeNamesTheUrlAndTheTrustStoreSettings() {
        RegistryUnavailableException failure = new RegistryUnavailableException("GET /subjects failed",
                new SSLHandshakeException("PKIX path building failed"));

        assertThat(RegistryFixes.forFailure(failure, WITHOUT_CREDENTIALS)).startsWith(
                "; check registry-url (https) and registry-truststore (with registry-truststore-password and"
                        + " registry-truststore-type)");
    }

    @Test
    void otherFailuresHaveNoSettingToName() {
        assertThat(RegistryFixes.forFailure(refused(404), WITH_CREDENTIALS)).isEmpty();
        assertThat(RegistryFixes.forFailure(new RegistryUnavailableException("GET /subjects failed",
                new ConnectException("Connection refused")), WITH_CREDENTIALS)).isEmpty();
    }

    private static RegistryRequestException refused(int status) {
        return new RegistryRequestException("GET /subjects", status, status, "refused");
    }
}
