package io.allsource.ingest.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole invariant check of a deployment: the database's ({@link StoreInvariants}), then the topics' against one
 * snapshot of the database taken first: every committed event on the events topic (at least once, copies identical,
 * each stream in version order), every command answered on the results topic by copies of its stored outcome, and,
 * given the history of a producer, every command it sent stored and answered. The topics are read to the end offsets
 * they have once the snapshot is taken, and on for a grace period while something stored has not appeared, so that a
 * pipeline which has caught up is judged correctly even while it runs. Where the database finds offsets without an
 * outcome, the commands topic is read there ({@link CommandsTopicOffsets}), so that offsets holding only transaction
 * markers or aborted records are not reported. Memory: fingerprints only, about twelve bytes an event and forty a
 * command. Thread-safe: each {@link #run} works on its own.
 */
public final class PipelineAudit {

    private static final Logger log = LoggerFactory.getLogger(PipelineAudit.class);

    private final DataSource dataSource;
    private final AuditSettings settings;

    public PipelineAudit(DataSource dataSource, AuditSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** Audits every outcome the database holds. */
    public AuditReport run() {
        return audit(null);
    }

    /** Audits the commands of {@code history} besides the database's own promises. */
    public AuditReport run(CommandHistory history) {
        return audit(history);
    }

    private AuditReport audit(CommandHistory history) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            Snapshots.begin(connection);
            try {
                AuditReport report = audit(connection, history);
                log.info("Audit done in {} ms: {}", (System.nanoTime() - started) / 1_000_000,
                        report.holds() ? "every invariant holds" : "VIOLATIONS");
                return report;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("The audit could not read the database: " + e.getMessage(), e);
        }
    }

    private AuditReport audit(Connection connection, CommandHistory history) throws SQLException {
        List<Check> checks;
        try (CommandsTopicOffsets receivedOffsets = new CommandsTopicOffsets(settings::kafkaProperties,
                settings.topics().commands(), settings.timeout())) {
            checks = new ArrayList<>(StoreInvariants.run(connection, receivedOffsets));
        }
        long missingInStore = StoreInvariants.eventsMissing(connection);
        long appliedTwiceInStore = checks.stream().filter(check -> check.name().equals(StoreInvariants.APPLIED_TWICE))
                .mapToLong(Check::violations).sum();
        EventLedger events = EventLedger.load(connection);
        ResultLedger results = history == null ? ResultLedger.ofStore(connection) : ResultLedger.of(history);
        CheckTally placement = new CheckTally("commands stored from the partition they were sent to");
        results.loadStored(connection, placement);
        Consumer<Consumer<String>> ids = history == null ? action -> forEachStoredId(connection, action)
                : action -> history.forEach(sent -> action.accept(sent.commandId()));
        if (history != null) {
            checks.add(storedOutcomes(results, ids));
            checks.add(placement.toCheck());
        }
        TopicScan scan = new TopicScan(settings);
        EventsTopicCheck eventsCheck = new EventsTopicCheck(events, settings);
        eventsCheck.run(scan);
        checks.addAll(eventsCheck.checks());
        log.info("Events topic: {} copies not compared by content (originals of erased events, redacted copies of"
                + " erases after the snapshot)", eventsCheck.uncomparedCopies());
        ResultsTopicCheck resultsCheck = new ResultsTopicCheck(results, StoreInvariants.prunedOffsets(connection),
                settings);
        resultsCheck.run(scan, ids);
        checks.addAll(resultsCheck.checks());
        return new AuditReport(checks, missingInStore + eventsCheck.lost(),
                appliedTwiceInStore + resultsCheck.appliedTwice(), resultsCheck.duplicateCopies(),
                eventsCheck.duplicateCopies(), resultsCheck.results(), eventsCheck.published());
    }

    private static Check storedOutcomes(ResultLedger results, Consumer<Consumer<String>> ids) {
        CheckTally tally = new CheckTally("every command sent has a stored outcome");
        java.util.Set<String> named = new java.util.HashSet<>();
        ids.accept(id -> {
            int index = results.index(id);
            if (!results.isStored(index) && named.add(id)) {
                tally.violation(id + " has no stored outcome");
            }
        });
        tally.checked(results.size());
        return tally.toCheck();
    }

    private static void forEachStoredId(Connection connection, Consumer<String> action) {
        try {
            ResultLedger.forEachStoredId(connection, action);
        } catch (SQLException e) {
            throw new AuditException("Reading the stored command ids failed: " + e.getMessage(), e);
        }
    }
}
