package io.allsource.ingest.testing;

/**
 * A PostgreSQL server for tests, whichever {@link Backend} runs it: the embedded server ({@link PostgresServer}) or a
 * container ({@link ContainerPostgres}). It hands out a fresh, empty database per caller; its user may create
 * databases. Implementations are thread-safe.
 */
public interface TestPostgres extends AutoCloseable {

    /**
     * Creates an empty UTF8 database with a name unique to this JVM run, derived from {@code hint} (a test class's
     * name, say).
     *
     * @throws IllegalStateException when the server refuses the statement
     */
    TestDatabase createDatabase(String hint);

    /** A JDBC URL of the server's administrative database, credentials included as URL parameters. */
    String adminJdbcUrl();

    /** Stops the server when this object started it; its databases are gone. */
    @Override
    void close();
}
