package io.allsource.ingest.store;

import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens one connection with the driver, outside any pool, so that a server that refuses it is reported at once with the
 * server's own reason (wrong password, unknown user or database, connection refused, TLS required) instead of a pool's
 * "Connection is not available" after its timeout. Stateless; thread-safe.
 */
public final class DatabaseConnectionCheck {

    private DatabaseConnectionCheck() {
    }

    /**
     * Connects and disconnects.
     *
     * @throws DatabaseRefusedException naming the URL (passwords masked), the server's reason, its SQLState and the fix
     */
    public static void check(DatabaseSettings settings) {
        Properties properties = new Properties();
        if (settings.username() != null) {
            properties.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        String seconds = Long.toString(Math.max(1, settings.connectionTimeout().toSeconds()));
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("connectTimeout", seconds);
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
            connection.isValid((int) Math.max(1, settings.connectionTimeout().toSeconds()));
        } catch (SQLException e) {
            throw new DatabaseRefusedException(describe(settings.jdbcUrl(), e), e);
        }
    }

    /**
     * One line: where, the server's (or driver's) reason with its SQLState, and what to check. The driver's text may
     * quote the URL (one it cannot parse, say), so the password parameters are masked in all of it.
     */
    static String describe(String jdbcUrl, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = reason(e);
        Optional<String> tlsFix = tlsFix(e, reason);
        return "The database at " + DatabaseSettings.maskPassword(jdbcUrl)
                + (tlsFix.isPresent() ? " failed the TLS check of its certificate: " : " refused the connection: ")
                + DatabaseSettings.maskPassword(reason) + (state.isEmpty() ? "" : " (SQLState " + state + ")") + "; "
                + tlsFix.orElseGet(() -> fix(state));
    }

    private static String reason(SQLException e) {
        String message = firstLine(e.getMessage());
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return "unknown host " + firstLine(cause.getMessage());
        }
        if (cause != null && cause.getMessage() != null && message.startsWith("The connection attempt failed")) {
            return message + " " + firstLine(cause.getMessage());
        }
        return message;
    }

    /** What to fix when the client did not trust the server's certificate (sslmode verify-ca or verify-full). */
    private static Optional<String> tlsFix(SQLException e, String reason) {
        if (reason.contains("could not be verified by hostnameverifier")) {
            return Optional.of("the server's certificate does not name the host of db-url (sslmode=verify-full checks"
                    + " it): connect by a name the certificate holds, or have it issued for this one");
        }
        if (reason.startsWith("Could not open SSL root certificate file")
                || reason.startsWith("Loading the SSL root certificate")) {
            return Optional.of("check sslrootcert in db-url: it must name a readable PEM file holding the CA"
                    + " certificate that signed the server's");
        }
        boolean untrusted = false;
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                return Optional.of("the server's certificate is outside its validity period: renew it");
            }
            untrusted |= cause instanceof CertificateException || cause instanceof CertPathBuilderException
                    || cause instanceof CertPathValidatorException;
        }
        return untrusted ? Optional.of("the server's certificate is not signed by the CA in sslrootcert (db-url):"
                + " name the CA certificate that signed the server's there") : Optional.empty();
    }

    private static String fix(String state) {
        if (state.equals("28P01")) {
            return "check db-user and db-password";
        }
        if (state.startsWith("28")) {
            return "check db-user, and that the server's pg_hba.conf lets it in from here (TLS as it requires:"
                    + " sslmode in db-url)";
        }
        if (state.equals("3D000")) {
            return "create the database, or name an existing one in db-url";
        }
        if (state.equals("53300")) {
            return "the server has no free connection slot: raise max_connections or lower db-pool-size";
        }
        if (state.startsWith("08")) {
            return "check the host, the port and sslmode in db-url, and that the server accepts TCP/IP connections";
        }
        return "check db-url, db-user and db-password";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        return text.lines().findFirst().orElse(text).strip();
    }
}
