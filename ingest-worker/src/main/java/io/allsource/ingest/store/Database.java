package io.allsource.ingest.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool on the event store's database, and its schema migrations. Thread-safe. */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Where the migrations module puts the SQL migrations on the classpath. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/migration";

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A worker paused inside a batch transaction (a stopped process, a long pause) keeps its partitions' rows locked,
     * and the next owner's claim would wait as long as the pause lasts. The server ends such a session after 30 s,
     * unless the connection URL asks for another limit ({@code options=-c idle_in_transaction_session_timeout=...}).
     * The worker's own transactions never sit idle: they issue their statements back to back.
     */
    private static final String IDLE_TRANSACTION_LIMIT = """
            set_config('idle_in_transaction_session_timeout',
                       CASE WHEN current_setting('idle_in_transaction_session_timeout') IN ('0', '0ms') THEN '30s'
                            ELSE current_setting('idle_in_transaction_session_timeout') END, false)""";

    /**
     * Every statement of the write path is keyed by the batch's own keys (stream ids, command ids, event ids, a
     * partition's sequence range), each with an index that serves it. On the worker's sessions the planner may not
     * answer such a statement by reading a whole table: sequential scans, hash joins and merge joins are off, so the
     * only plans left are index lookups and nested loops driven by the batch's keys, whose cost grows with the batch,
     * not with the tables. Without this, the plan depends on statistics: a plan made while a table was small (a
     * generic plan cached by a prepared statement, or stale statistics after fast growth) keeps scanning it as it grows.
     * Statements with no usable index still run (the planner keeps a scan when nothing else exists); the benchmark's
     * scan check and {@code HotPathScansIT} show that none of the worker's does.
     */
    private static final String INDEX_DRIVEN_PLANS = """
            set_config('enable_seqscan', 'off', false), set_config('enable_hashjoin', 'off', false),
            set_config('enable_mergejoin', 'off', false)""";

    /**
     * The write path's statements are prepared once per session and run hundreds of times a second with arrays of the
     * batch's keys. Left to choose, the plan cache kept a custom plan for the statements whose parameters are arrays
     * (the estimate for an array of unknown length made the generic plan look dearer), so the watermark statement was
     * planned on every run: 0.36 ms of planning beside 0.5 ms of execution, a tenth of the database's time in the
     * benchmark (issue 15). With only index-driven plans allowed, the generic plan is the same index lookups and
     * nested loops, so each session plans each statement once.
     */
    private static final String ONE_PLAN_PER_STATEMENT = """
            set_config('plan_cache_mode', 'force_generic_plan', false)""";

    /** How a pool's sessions are set up. */
    public enum Sessions {
        /** The worker's: index-driven plans only, one plan per prepared statement, and the idle-transaction limit. */
        WRITE_PATH("SELECT " + IDLE_TRANSACTION_LIMIT + ", " + INDEX_DRIVEN_PLANS + ", " + ONE_PLAN_PER_STATEMENT),
        /** Tools that read whole tables (verify, stats): the planner's own choices, and the idle-transaction limit. */
        REPORTING("SELECT " + IDLE_TRANSACTION_LIMIT);

        private final String initSql;

        Sessions(String initSql) {
            this.initSql = initSql;
        }
    }

    /**
     * Opens a pool of write-path sessions on the database; connections are made lazily, so this does not fail when
     * the server is down.
     */
    public static Database open(DatabaseSettings settings, String poolName) {
        return open(settings, poolName, Sessions.WRITE_PATH);
    }

    /** Opens a pool whose sessions are set up as {@code sessions} says; connections are made lazily. */
    public static Database open(DatabaseSettings settings, String poolName, Sessions sessions) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        config.setConnectionInitSql(sessions.initSql);
        return new Database(new HikariDataSource(config));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Applies the pending migrations, and returns how many were applied.
     *
     * @throws StoreException when the database cannot be reached or a migration fails
     */
    public int migrate() {
        return migrate(dataSource);
    }

    /** Applies the pending migrations to {@code dataSource}, and returns how many were applied. */
    public static int migrate(DataSource dataSource) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(MIGRATIONS_LOCATION)
                    .load()
                    .migrate();
            log.info("Database schema at version {} ({} migrations applied)",
                    result.targetSchemaVersion, result.migrationsExecuted);
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StoreException("Database migration failed: " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Flyway's message of a failed statement on one line: it spreads the SQLState and the server's message over
     * several, under a rule of dashes. Passwords a URL in it may carry are masked.
     */
    static String oneLine(String flywayMessage) {
        if (flywayMessage == null) {
            return "no reason given";
        }
        return flywayMessage.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.matches("-+"))
                .map(line -> DatabaseSettings.maskPassword(line.replaceAll("\\s+:\\s+", ": ")))
                .collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
