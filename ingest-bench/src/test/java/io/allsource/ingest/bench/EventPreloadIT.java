package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.bench.report.PreloadFigures;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.worker.LogCheck;
import io.allsource.ingest.worker.LogRange;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The preload on a small count against the real database: the store it leaves is one the worker would have left. */
@ExtendWith(PostgresExtension.class)
class EventPreloadIT {

    private static final long EVENTS = 2_000;
    private static final List<String> progress = new ArrayList<>();
    private static PreloadFigures figures;

    @BeforeAll
    static void preload(TestDatabase database) throws Exception {
        Database.migrate(database.dataSource());
        figures = EventPreload.fill(database.dataSource(), EVENTS, progress::add);
    }

    @Test
    void writesTheEventsOverATenthAsManyStreamsAndReportsItsProgress(TestDatabase database) {
        assertThat(figures.events()).isEqualTo(EVENTS);
        assertThat(figures.streams()).isEqualTo(200);
        assertThat(figures.seconds()).isPositive();
        assertThat(database.queryForLong("SELECT count(*) FROM events")).isEqualTo(EVENTS);
        assertThat(database.queryForLong("SELECT count(DISTINCT event_id) FROM events")).isEqualTo(EVENTS);
        assertThat(progress).anyMatch(line -> line.startsWith("streams 200 of 200 ("))
                .anyMatch(line -> line.matches("events 2,000 of 2,000 \\([0-9,]+ rows/s\\)"))
                .contains("VACUUM ANALYZE");
    }

    @Test
    void everyStreamHoldsVersionsOneToTenWithoutGapsAndIsPublished(TestDatabase database) {
        assertThat(database.queryForLong("SELECT count(*) FROM event_streams WHERE NOT verify_stream_gapless(stream_id)"
                + " OR current_version <> 10 OR watermark <> current_version")).isZero();
    }

    @Test
    void everyPartitionsSequencesAreContiguousAndItsStateHasEverythingPublishedAndNoOffsets(TestDatabase database) {
        assertThat(database.queryForLong("SELECT count(*) FROM partition_state")).isEqualTo(32);
        assertThat(database.queryForLong("SELECT count(*) FROM partition_state"
                + " WHERE NOT verify_partition_gapless(partition_id)")).isZero();
        assertThat(database.queryForLong("SELECT sum(last_sequence) FROM partition_state")).isEqualTo(EVENTS);
        assertThat(database.queryForLong("SELECT count(*) FROM partition_state"
                + " WHERE published_sequence <> last_sequence OR next_offset <> 0 OR published_offset <> 0"
                + " OR owner_epoch <> 0 OR topic_id IS NOT NULL"))
                .isZero();
    }

    @Test
    void everyStreamAndItsEventsAreOnThePartitionItsIdMapsTo(TestDatabase database) {
        List<String> streams = database.queryForStrings("SELECT stream_id || ' ' || partition_id FROM event_streams");

        assertThat(streams).hasSize(200).allSatisfy(row -> {
            String[] parts = row.split(" ");
            assertThat(Integer.parseInt(parts[1])).as(parts[0]).isEqualTo(PartitionFunction.partitionOf(parts[0]));
        });
        assertThat(database.queryForLong("SELECT count(*) FROM events e JOIN event_streams s USING (stream_id)"
                + " WHERE e.partition_id <> s.partition_id")).isZero();
    }

    @Test
    void thePlannerHasStatisticsOfTheFilledTables(TestDatabase database) {
        assertThat(database.queryForLong("SELECT reltuples::bigint FROM pg_class WHERE oid = 'events'::regclass"))
                .isEqualTo(EVENTS);
    }

    @Test
    void aSchemaThatHoldsEventsIsRefused(TestDatabase database) {
        assertThatThrownBy(() -> EventPreload.fill(database.dataSource(), 10, line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an empty schema");
    }

    @Test
    void theWorkersClaimTakesThePreloadedPartitionAndItsNextAppendContinuesTheSequence(TestDatabase database)
            throws Exception {
        // a schema of its own, so that this append leaves the other tests' store as the preload wrote it
        database.execute("CREATE SCHEMA appended");
        String url = new BenchEndpoints("unused:9092", database.jdbcUrl(), null, null, "http://unused")
                .jdbcUrlInSchema("appended");
        try (Database writePath = Database.open(new DatabaseSettings(url, null, null, 2, Duration.ofSeconds(10)),
                "preload-it")) {
            DataSource dataSource = writePath.dataSource();
            Database.migrate(dataSource);
            EventPreload.fill(dataSource, EVENTS, line -> { });
            int partition = PartitionFunction.partitionOf(EventPreload.streamId(0));
            long preloaded = Long.parseLong(single(dataSource, "SELECT last_sequence FROM partition_state"
                    + " WHERE partition_id = " + partition));
            EventStore store = new EventStore(dataSource, StoreSettings.DEFAULT);

            PartitionState claimed = store.claim(partition, "preload-it");
            assertThat(claimed.nextOffset()).isZero();
            assertThat(claimed.lastSequence()).isEqualTo(preloaded).isPositive();
            assertThat(claimed.publishedSequence()).isEqualTo(preloaded);
            assertThat(LogCheck.mismatch(null, claimed.nextOffset(), new LogRange("commands", partition, "new-topic",
                    0, 0))).as("a new commands topic matches the stored offsets").isEmpty();

            String stream = streamOnPartition(partition);
            AppendCommand command = new AppendCommand(UUID.randomUUID().toString(), "bench", null,
                    List.of(new StreamAppend(stream, ExpectedVersion.any(),
                            List.of(NewEvent.of("Happened", stream, "{\"n\": 1}")))), Instant.now());
            BatchChecker checker = new BatchChecker(partition, new CommandValidator(CommandLimits.DEFAULT));
            BatchOutcome outcome = store.appendBatch(partition, claimed.ownerEpoch(),
                    checker.prepare(List.of(new BatchEntry.Decoded(0, command, ReplyRoute.DEFAULT))));

            assertThat(outcome).isInstanceOfSatisfying(BatchOutcome.Committed.class,
                    committed -> assertThat(committed.events()).as("the event written").hasSize(1));
            assertThat(single(dataSource, "SELECT partition_sequence FROM events WHERE stream_id = '" + stream + "'"))
                    .isEqualTo(Long.toString(preloaded + 1));
            assertThat(single(dataSource, "SELECT verify_partition_gapless(" + partition + ")")).isEqualTo("t");
            assertThat(single(dataSource, "SELECT verify_stream_gapless('" + stream + "')")).isEqualTo("t");
            assertThat(single(dataSource, "SELECT next_offset FROM partition_state WHERE partition_id = "
                    + partition)).isEqualTo("1");
        }
    }

    /** The first column of the one row {@code sql} returns, read in the data source's schema (its search path). */
    private static String single(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as(sql).isTrue();
            return row.getString(1);
        }
    }

    private static String streamOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String stream = "after-preload-" + i;
            if (PartitionFunction.partitionOf(stream) == partition) {
                return stream;
            }
        }
    }
}
