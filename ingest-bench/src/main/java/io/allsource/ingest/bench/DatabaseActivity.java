package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.DatabaseFigures;
import io.allsource.ingest.bench.report.PhaseTables;
import io.allsource.ingest.bench.report.TopStatements;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what one workload does in its schema, from PostgreSQL's statistics: {@code pg_stat_user_tables} read before
 * the warm-up ({@link #begin()}), after every phase ({@link #phaseEnded}) and once more after the worker is closed
 * ({@link #finish()}), and the top statements of {@code pg_stat_statements}, reset in {@link #begin()}.
 *
 * <p>The readings lag: a backend sends its counters to the shared statistics at the end of a transaction once a second
 * has passed since it last did, within 10 s of going idle ({@code PGSTAT_IDLE_INTERVAL}), and at once when it exits.
 * So a phase's figures can miss its last second or so, which then show in the next phase; {@link #finish()} waits until
 * the worker's sessions (known by their {@code application_name}) have ended and the counters have settled, so the
 * workload's totals are complete. Not thread-safe: one workload, from one thread.
 */
final class DatabaseActivity {

    /** The label of the last reading's phase: what the worker's sessions reported as they ended. */
    static final String WORKER_CLOSED = "worker closed";

    private static final Logger log = LoggerFactory.getLogger(DatabaseActivity.class);
    private static final Duration SESSIONS_END_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE_PAUSE = Duration.ofMillis(250);
    private static final int SETTLE_READINGS = 8;

    private final BenchEndpoints endpoints;
    private final String schema;
    private final String applicationName;
    private final StatementStatistics statements;
    private final List<String> phases = new ArrayList<>();
    private final List<TableSnapshot> readings = new ArrayList<>();

    /**
     * @param applicationName the {@code application_name} of the worker's sessions, whose end {@link #finish()} awaits
     */
    DatabaseActivity(BenchEndpoints endpoints, String schema, String applicationName, StatementStatistics statements) {
        this.endpoints = endpoints;
        this.schema = schema;
        this.applicationName = applicationName;
        this.statements = statements;
    }

    /**
     * Resets the statement statistics and takes the first reading, once the counters have settled (what ended just
     * before, such as the sessions that created the tables, has landed); call once the worker has started.
     */
    void begin() throws SQLException, InterruptedException {
        if (!readings.isEmpty()) {
            throw new IllegalStateException("begin() was called already");
        }
        statements.reset();
        readings.add(settledReading());
    }

    /** Takes the reading that ends {@code phase}. */
    void phaseEnded(String phase) throws SQLException {
        if (readings.isEmpty()) {
            throw new IllegalStateException("begin() was not called");
        }
        phases.add(phase);
        readings.add(read());
    }

    /** After the worker has been closed: the last reading, once its sessions have ended, and the top statements. */
    DatabaseFigures finish() throws SQLException, InterruptedException {
        awaitSessionsEnded();
        phases.add(WORKER_CLOSED);
        readings.add(settledReading());
        return figures(phases, readings, statements.top());
    }

    /**
     * The figures of readings taken between phases: {@code readings.get(i)} before {@code phases.get(i)}, and one more
     * after the last phase.
     */
    static DatabaseFigures figures(List<String> phases, List<TableSnapshot> readings, TopStatements statements) {
        if (readings.size() != phases.size() + 1) {
            throw new IllegalArgumentException(phases.size() + " phases need " + (phases.size() + 1)
                    + " readings, got " + readings.size());
        }
        List<PhaseTables> perPhase = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            perPhase.add(new PhaseTables(phases.get(i), readings.get(i + 1).since(readings.get(i))));
        }
        return new DatabaseFigures(readings.get(readings.size() - 1).since(readings.get(0)), perPhase, statements);
    }

    private TableSnapshot read() throws SQLException {
        try (Connection connection = BenchSchemas.connect(endpoints)) {
            return TableStatistics.read(connection, schema);
        }
    }

    private void awaitSessionsEnded() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SESSIONS_END_TIMEOUT.toNanos();
        try (Connection connection = BenchSchemas.connect(endpoints);
                PreparedStatement sessions = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = ?")) {
            sessions.setString(1, applicationName);
            while (count(sessions) > 0) {
                if (System.nanoTime() > deadline) {
                    log.warn("Sessions of {} still open {} after the worker closed: its last table counters may be"
                            + " missing", applicationName, SESSIONS_END_TIMEOUT);
                    return;
                }
                // a closed pool's backends exit a moment after their sockets close
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    /**
     * A backend leaves {@code pg_stat_activity} just before it sends its last counters, so the counters are read until
     * two readings a pause apart agree (or, with sessions still busy, a few pauses have passed).
     */
    private TableSnapshot settledReading() throws SQLException, InterruptedException {
        TableSnapshot last = read();
        for (int i = 0; i < SETTLE_READINGS; i++) {
            // the pause gives an exiting backend's last report time to land between the two readings
            TimeUnit.MILLISECONDS.sleep(SETTLE_PAUSE.toMillis());
            TableSnapshot next = read();
            if (next.equals(last)) {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static long count(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
