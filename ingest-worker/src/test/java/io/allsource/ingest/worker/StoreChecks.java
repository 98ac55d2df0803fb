package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.TestDatabase;

/**
 * The database's own checks of what the worker stored, for the worker's tests: the full invariant checker lives in
 * {@code ingest-audit}, which runs a worker in its own tests and so cannot be a dependency of the worker's. Offsets
 * are counted in each partition's current log: outcomes an offset reset superseded ({@code superseded_by} set) belong
 * to a log left behind, while their events still count (they stay stored, covered by their results).
 */
final class StoreChecks {

    private StoreChecks() {
    }

    static void assertStoreInvariantsHold(TestDatabase database) {
        assertThat(database.queryForStrings(
                "SELECT stream_id FROM event_streams WHERE NOT verify_stream_gapless(stream_id)"))
                .as("streams gapless from 1 to current_version").isEmpty();
        assertThat(database.queryForStrings(
                "SELECT partition_id::text FROM partition_state WHERE NOT verify_partition_gapless(partition_id)"))
                .as("partition sequences gapless").isEmpty();
        assertThat(database.queryForStrings("""
                SELECT p.partition_id || ':' || o.offset_value FROM partition_state p
                CROSS JOIN LATERAL generate_series(0, p.next_offset - 1) AS o(offset_value)
                WHERE (SELECT count(*) FROM command_results r
                       WHERE r.partition_id = p.partition_id AND r.command_offset = o.offset_value
                           AND r.superseded_by IS NULL)
                    + (SELECT count(*) FROM command_redeliveries d
                       WHERE d.partition_id = p.partition_id AND d.command_offset = o.offset_value
                           AND d.superseded_by IS NULL) <> 1"""))
                .as("exactly one outcome of the current log per offset below the next offset").isEmpty();
        assertThat(database.queryForStrings("""
                SELECT e.event_id::text FROM events e LEFT JOIN command_results r
                    ON r.command_id = e.command_id AND r.status = 'ACCEPTED'
                    AND e.partition_sequence BETWEEN r.first_sequence AND r.last_sequence
                WHERE r.command_id IS NULL"""))
                .as("every event within its command's accepted result").isEmpty();
    }
}
