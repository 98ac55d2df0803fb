package io.allsource.ingest.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The server settings the event store relies on, checked before anything is written: {@code server_encoding} UTF8
 * (stream ids and payloads are any Unicode text), a server that accepts writes ({@code default_transaction_read_only}
 * and {@code transaction_read_only} off, not a standby in recovery), and PostgreSQL {@value #MINIMUM_VERSION_NAME} or
 * later (the migrations' triggers use {@code EXECUTE FUNCTION}). Stateless; thread-safe.
 */
public final class ServerRequirements {

    /** {@code server_version_num} of the oldest server the migrations run on. */
    static final int MINIMUM_VERSION = 110000;
    static final String MINIMUM_VERSION_NAME = "11";

    private static final String SETTINGS = """
            SELECT current_database(), current_setting('server_encoding'),
                   current_setting('default_transaction_read_only'), current_setting('transaction_read_only'),
                   pg_is_in_recovery(), current_setting('server_version_num')::int, current_setting('server_version')""";

    private ServerRequirements() {
    }

    /**
     * Reads the settings and lists every one the store cannot work with, each as one line naming the setting, the
     * database and the fix; empty when all hold.
     *
     * @throws SQLException when the settings cannot be read
     */
    public static List<String> problems(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(SETTINGS)) {
            row.next();
            return problems(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getBoolean(5),
                    row.getInt(6), row.getString(7));
        }
    }

    static List<String> problems(String database, String encoding, String defaultReadOnly, String readOnly,
            boolean inRecovery, int versionNumber, String version) {
        List<String> problems = new ArrayList<>();
        if (!"UTF8".equalsIgnoreCase(encoding)) {
            problems.add("server_encoding of database " + database + " is " + encoding + ", not UTF8: stream ids and"
                    + " payloads in other scripts cannot be stored; create the database with ENCODING 'UTF8'"
                    + " (TEMPLATE template0) and point db-url at it");
        }
        if (inRecovery) {
            problems.add("database " + database + " is on a standby server in recovery (pg_is_in_recovery()), which"
                    + " refuses writes: point db-url at the primary");
        } else if ("on".equalsIgnoreCase(defaultReadOnly) || "on".equalsIgnoreCase(readOnly)) {
            problems.add("default_transaction_read_only is on for database " + database + ": the store cannot write;"
                    + " ALTER DATABASE " + database + " SET default_transaction_read_only = off (or on the user)");
        }
        if (versionNumber < MINIMUM_VERSION) {
            problems.add("database " + database + " runs PostgreSQL " + version + "; the migrations need "
                    + MINIMUM_VERSION_NAME + " or later: upgrade the server");
        }
        return problems;
    }
}
