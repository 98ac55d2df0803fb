package io.allsource.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The one line a refused connection is reported with, for the driver's failures that need no server to reproduce
 * (the TLS ones and a URL echoed back are shown against real servers in {@code DatabaseOverTlsIT}).
 */
class DatabaseConnectionCheckTest {

    private static final String URL = "jdbc:postgresql://db:5432/ingest?sslmode=verify-full&sslrootcert=/etc/ca.crt";

    @Test
    void masksThePasswordsOfAUrlTheDriverQuotesInItsMessage() {
        String url = "jdbc:postgresql://db:5432/ingest?password=hunter2-url&sslpassword=hunter2-key";

        String line = DatabaseConnectionCheck.describe(url, new SQLException("Unable to parse URL " + url, "XX000"));

        assertThat(line).doesNotContain("hunter2").contains("password=****", "sslpassword=****").doesNotContain("\n");
    }

    @Test
    void namesAHostTheCertificateDoesNotHold() {
        String line = DatabaseConnectionCheck.describe(URL, new SQLException(
                "The hostname db could not be verified by hostnameverifier PgjdbcHostnameVerifier.", "08006"));

        assertThat(line).startsWith("The database at " + URL + " failed the TLS check of its certificate: ")
                .contains("The hostname db could not be verified", "(SQLState 08006)",
                        "the server's certificate does not name the host of db-url");
    }

    @Test
    void namesACertificateSignedByAnotherCa() {
        SQLException refused = new SQLException("SSL error: PKIX path building failed", "08006",
                new SSLHandshakeException("PKIX path building failed"));
        refused.getCause().initCause(new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target")));

        assertThat(DatabaseConnectionCheck.describe(URL, refused)).contains("failed the TLS check",
                "SSL error: PKIX path building failed", "not signed by the CA in sslrootcert");
    }

    @Test
    void namesAnExpiredCertificate() {
        SQLException refused = new SQLException("SSL error: validity check failed", "08006",
                new SSLHandshakeException("validity check failed"));
        refused.getCause().initCause(new CertificateExpiredException("NotAfter: yesterday"));

        assertThat(DatabaseConnectionCheck.describe(URL, refused)).contains("outside its validity period");
    }

    @Test
    void namesAMissingRootCertificateFile() {
        assertThat(DatabaseConnectionCheck.describe(URL, new SQLException(
                "Could not open SSL root certificate file /etc/ca.crt.", "08006"))).contains("check sslrootcert");
    }

    @Test
    void aWrongPasswordIsStillARefusalNamingTheSettings() {
        assertThat(DatabaseConnectionCheck.describe(URL, new SQLException(
                "FATAL: password authentication failed for user \"u\"", "28P01")))
                .startsWith("The database at " + URL + " refused the connection: ")
                .endsWith("check db-user and db-password");
    }
}
