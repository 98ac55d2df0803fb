package io.allsource.ingest.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The soak's counts as the database has them once it has caught up, and the fenced batches the workers logged.
 *
 * @param outcomes         stored outcomes: results plus redeliveries (one per command record applied)
 * @param accepted         commands accepted
 * @param rejectedByReason commands rejected, by reason
 * @param redeliveries     resent commands answered with their stored outcome
 * @param events           events in the database
 * @param claims           partition claims in all (the sum of the owner epochs: one per assignment to a worker)
 * @param fencedBatches    batches a worker tried to commit after another had claimed the partition (its log lines)
 */
public record Figures(long outcomes, long accepted, Map<String, Long> rejectedByReason, long redeliveries, long events,
        long claims, long fencedBatches) {

    /** The worker's log line when the database refuses its batch because another owner holds the partition. */
    static final String FENCED_LINE = "fenced by";

    public Figures {
        rejectedByReason = Map.copyOf(rejectedByReason);
    }

    static Figures read(DataSource dataSource, Path logs) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long accepted = 0;
            long results = 0;
            Map<String, Long> rejected = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT status, COALESCE(reason, ''), count(*) FROM command_results GROUP BY 1, 2")) {
                while (rows.next()) {
                    results += rows.getLong(3);
                    if (rows.getString(1).equals("ACCEPTED")) {
                        accepted += rows.getLong(3);
                    } else {
                        rejected.put(rows.getString(2), rows.getLong(3));
                    }
                }
            }
            long redeliveries = count(statement, "SELECT count(*) FROM command_redeliveries");
            long events = count(statement, "SELECT count(*) FROM events");
            long claims = count(statement, "SELECT COALESCE(sum(owner_epoch), 0) FROM partition_state");
            return new Figures(results + redeliveries, accepted, rejected, redeliveries, events, claims,
                    fencedBatches(logs));
        } catch (SQLException e) {
            throw new ChaosException("Reading the soak's figures failed: " + e.getMessage(), e);
        }
    }

    private static long fencedBatches(Path logs) {
        try (Stream<Path> files = Files.list(logs)) {
            long fenced = 0;
            for (Path file : files.filter(path -> path.toString().endsWith(".log")).toList()) {
                // decoded leniently: a log cut mid-character by SIGKILL must not stop the count
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                fenced += text.lines().filter(line -> line.contains(FENCED_LINE)).count();
            }
            return fenced;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the workers' logs in " + logs, e);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
