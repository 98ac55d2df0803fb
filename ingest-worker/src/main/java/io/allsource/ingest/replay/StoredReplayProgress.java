package io.allsource.ingest.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link ReplayProgress} in the table {@code replay_progress} (migration V13): one row per target topic and partition. */
public final class StoredReplayProgress implements ReplayProgress {

    private static final String FIND = """
            SELECT start_from, first_sequence, acknowledged_sequence, events_replayed
            FROM replay_progress WHERE target_topic = ? AND partition_id = ?""";

    private static final String BEGIN = """
            INSERT INTO replay_progress (target_topic, partition_id, start_from, first_sequence, acknowledged_sequence)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (target_topic, partition_id) DO UPDATE
                SET start_from = EXCLUDED.start_from, first_sequence = EXCLUDED.first_sequence,
                    acknowledged_sequence = EXCLUDED.acknowledged_sequence, events_replayed = 0,
                    started_at = now(), updated_at = now()""";

    private static final String ACKNOWLEDGE = """
            UPDATE replay_progress
            SET acknowledged_sequence = GREATEST(acknowledged_sequence, ?), events_replayed = events_replayed + ?,
                updated_at = now()
            WHERE target_topic = ? AND partition_id = ?""";

    private final DataSource dataSource;

    public StoredReplayProgress(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Position> find(String targetTopic, int partition) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, targetTopic);
            statement.setInt(2, partition);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new Position(row.getString(1), row.getLong(2), row.getLong(3),
                        row.getLong(4))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("Reading the replay progress of " + targetTopic + " partition " + partition, e);
        }
    }

    @Override
    public void begin(String targetTopic, int partition, ReplayStart start, long firstSequence) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BEGIN)) {
            statement.setString(1, targetTopic);
            statement.setInt(2, partition);
            statement.setString(3, start.describe());
            statement.setLong(4, firstSequence);
            statement.setLong(5, firstSequence - 1);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("Recording the start of the replay of partition " + partition + " to " + targetTopic, e);
        }
    }

    @Override
    public void acknowledge(String targetTopic, int partition, long sequence, long events) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(ACKNOWLEDGE)) {
            statement.setLong(1, sequence);
            statement.setLong(2, events);
            statement.setString(3, targetTopic);
            statement.setInt(4, partition);
            if (statement.executeUpdate() != 1) {
                throw new ReplayException("The replay progress of " + targetTopic + " partition " + partition
                        + " is gone: was it replayed from elsewhere with --restart meanwhile?");
            }
        } catch (SQLException e) {
            throw failure("Recording the replay progress of partition " + partition + " to " + targetTopic, e);
        }
    }

    private static ReplayException failure(String what, SQLException e) {
        String hint = "42P01".equals(e.getSQLState()) ? " (the table replay_progress is missing: run ingest migrate)"
                : "42501".equals(e.getSQLState()) ? " (the database user may not write replay_progress: run"
                        + " ingest replay as the schema's owner, or grant it SELECT, INSERT, UPDATE)" : "";
        return new ReplayException(what + " failed: " + e.getMessage() + hint, e);
    }
}
