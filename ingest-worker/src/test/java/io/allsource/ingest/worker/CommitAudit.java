package io.allsource.ingest.worker;

import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A record, kept by the test database itself, of every claim and every advance of a partition's next offset: which
 * connection (its {@code application_name}) wrote it, under which owner epoch and owner, from which offset to which.
 * A trigger fills it inside the writing transaction, under the partition row's lock, so that per partition the rows'
 * order is the order in which the transactions committed; a rolled back transaction leaves no row.
 */
final class CommitAudit {

    private static final String INSTALL = """
            CREATE TABLE commit_audit (
                seq          BIGSERIAL PRIMARY KEY,
                partition_id INTEGER NOT NULL,
                owner_epoch  BIGINT  NOT NULL,
                owner_id     TEXT,
                application  TEXT,
                from_offset  BIGINT,
                to_offset    BIGINT  NOT NULL);
            CREATE FUNCTION commit_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO commit_audit (partition_id, owner_epoch, owner_id, application, from_offset, to_offset)
                VALUES (NEW.partition_id, NEW.owner_epoch, NEW.owner_id, current_setting('application_name'),
                        CASE WHEN TG_OP = 'UPDATE' THEN OLD.next_offset END, NEW.next_offset);
                RETURN NEW;
            END $$;
            CREATE TRIGGER commit_audit_insert AFTER INSERT ON partition_state
                FOR EACH ROW EXECUTE FUNCTION commit_audit_row();
            CREATE TRIGGER commit_audit_update AFTER UPDATE ON partition_state
                FOR EACH ROW WHEN (OLD.next_offset IS DISTINCT FROM NEW.next_offset
                                   OR OLD.owner_epoch IS DISTINCT FROM NEW.owner_epoch)
                EXECUTE FUNCTION commit_audit_row();
            """;

    /** One claim or advance. {@code fromOffset} is {@code null} for a partition's first claim. */
    record Row(long seq, int partition, long epoch, String ownerId, String application, Long fromOffset,
            long toOffset) {

        boolean claim() {
            return fromOffset == null || fromOffset == toOffset;
        }
    }

    private final TestDatabase database;

    private CommitAudit(TestDatabase database) {
        this.database = database;
    }

    static CommitAudit install(TestDatabase database) throws SQLException {
        database.execute(INSTALL);
        return new CommitAudit(database);
    }

    long lastSeq() {
        return database.queryForLong("SELECT COALESCE(MAX(seq), 0) FROM commit_audit");
    }

    /** Every row, per partition in commit order. */
    List<Row> rows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT seq, partition_id, owner_epoch, owner_id,"
                        + " application, from_offset, to_offset FROM commit_audit ORDER BY partition_id, seq")) {
            while (result.next()) {
                long from = result.getLong("from_offset");
                rows.add(new Row(result.getLong("seq"), result.getInt("partition_id"), result.getLong("owner_epoch"),
                        result.getString("owner_id"), result.getString("application"),
                        result.wasNull() ? null : from, result.getLong("to_offset")));
            }
        }
        return rows;
    }
}
