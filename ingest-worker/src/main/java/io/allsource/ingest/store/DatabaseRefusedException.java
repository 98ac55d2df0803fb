package io.allsource.ingest.store;

import java.sql.SQLException;

/** The database server refused a connection; the message is one line with the server's reason and the fix. */
public class DatabaseRefusedException extends StoreException {

    private static final long serialVersionUID = 1L;

    public DatabaseRefusedException(String message, SQLException cause) {
        super(message, cause);
    }

    /** The SQLState the server or driver gave, or null. */
    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
