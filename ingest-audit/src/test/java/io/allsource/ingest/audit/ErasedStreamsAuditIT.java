package io.allsource.ingest.audit;

import static io.allsource.ingest.audit.AuditFixture.append;
import static io.allsource.ingest.audit.AuditFixture.command;
import static io.allsource.ingest.audit.AuditFixture.streamOperation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit on a real worker's output with deletes and erases in the load: 30 streams of three events, a third of them
 * erased (half of those erased again after two more events), a third deleted (their later appends refused), stale and
 * refused operations besides. Every check holds, including those of erased and deleted streams and the events topic's
 * (redacted copies equal to the stored rows, originals of erased events allowed, tombstones accepted); and each break
 * of an erase's invariants (an un-redacted row, a row marked erased beyond its stream's erased versions, a deleted
 * stream with an event above its deleted version, a tombstone without a key) is reported by name. The database is
 * repaired after each break; the topic break comes last.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasedStreamsAuditIT {

    private static final int STREAMS = 30;
    private static final String IDENTICAL = "event copies identical to the stored event";
    private static final String TOMBSTONES = "events topic tombstones keyed by a stream id";

    private final AuditFixture pipeline;
    private final TestDatabase database;

    ErasedStreamsAuditIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new AuditFixture(broker, database, registry);
        this.database = database;
    }

    /**
     * Stream e-i: three events; then i % 3 == 0 erased at version 3, i % 3 == 1 deleted at version 3; then two more
     * events each (refused for the deleted); then i % 6 == 0 erased again at version 5, i % 6 == 3 a stale erase.
     * Besides: a delete of a deleted stream and one of a stream never written. All on each stream's own partition, in
     * the order sent.
     */
    @BeforeAll
    void sendLoadWithDeletesAndErasesAndWaitForEveryOutcome() {
        for (int i = 0; i < STREAMS; i++) {
            pipeline.send(command(null, List.of(append(stream(i), ExpectedVersionKind.NO_STREAM, 0, 3))));
        }
        for (int i = 0; i < STREAMS; i++) {
            if (i % 3 < 2) {
                pipeline.send(streamOperation(stream(i), i % 3 == 0 ? StreamOperationKind.ERASE
                        : StreamOperationKind.DELETE, ExpectedVersionKind.EXACT, 3));
            }
            pipeline.send(command(null, List.of(append(stream(i), ExpectedVersionKind.ANY, 0, 2))));
            if (i % 6 == 0) {
                pipeline.send(streamOperation(stream(i), StreamOperationKind.ERASE, ExpectedVersionKind.EXACT, 5));
            } else if (i % 6 == 3) {
                pipeline.send(streamOperation(stream(i), StreamOperationKind.ERASE, ExpectedVersionKind.EXACT, 1));
            }
        }
        pipeline.send(streamOperation(stream(1), StreamOperationKind.DELETE, ExpectedVersionKind.ANY, 0));
        pipeline.send(streamOperation("never-written", StreamOperationKind.DELETE, ExpectedVersionKind.ANY, 0));
        pipeline.flush();
        await().alias("an outcome stored for every send").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> database.queryForLong("SELECT count(*) FROM command_results") == pipeline.history.size());
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    @Order(1)
    void everyInvariantHoldsWithDeletesAndErasesInTheLoad() throws SQLException {
        assertThat(rejections()).as("the refusals the load was built to get").containsExactlyInAnyOrderEntriesOf(
                Map.of("STREAM_DELETED", 11L, "CONCURRENCY_CONFLICT", 5L, "STREAM_NOT_FOUND", 1L));
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE erased")).as("erased events")
                .isEqualTo(5 * 5 + 5 * 3 + 10 * 3);

        AuditReport report = pipeline.audit().run(pipeline.history);

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
        assertThat(report.holds()).isTrue();
        assertThat(report.eventsLost()).isZero();
        assertThat(report.check(StoreInvariants.ERASED_MARKED).checked()).isEqualTo(70);
        assertThat(report.check(StoreInvariants.ERASED_WITHIN).checked()).isEqualTo(70);
        assertThat(report.check(StoreInvariants.DELETED).checked()).isEqualTo(10);
        assertThat(report.check(TOMBSTONES).checked()).as("one tombstone per accepted delete or erase")
                .isEqualTo(10 + 10 + 5);
        assertThat(report.check("every committed event on the events topic").checked())
                .isEqualTo(database.queryForLong("SELECT count(*) FROM events"));
        assertThat(report.check(IDENTICAL).checked()).as("a comparable copy of every event, no original of an"
                + " erased one; a second erase publishes versions 1 to 3 again")
                .isEqualTo(database.queryForLong("SELECT count(*) FROM events") + 5 * 3);
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(2)
    void reportsAnErasedRowWhosePayloadIsBackAndTheRedactedCopyThatNoLongerEqualsIt() throws SQLException {
        String eventId = database.queryForStrings("SELECT event_id::text FROM events WHERE stream_id = '"
                + stream(0) + "' AND version = 2").get(0);
        database.execute("UPDATE events SET payload = '{\"n\": 1}' WHERE event_id = '" + eventId + "'");
        try {
            AuditReport report = pipeline.audit().run(pipeline.history);

            assertThat(report.holds()).isFalse();
            assertThat(report.check(StoreInvariants.ERASED_MARKED).examples())
                    .containsExactly(stream(0) + " version 2 (" + eventId + ")");
            assertThat(report.check(IDENTICAL).violations()).as("the redacted copies (one per erase of the stream)"
                    + " against the changed row").isEqualTo(2);
            assertThat(report.check(IDENTICAL).examples()).allSatisfy(example -> assertThat(example)
                    .contains("stream " + stream(0) + " version 2", "redacted copy"));
        } finally {
            database.execute("UPDATE events SET payload = '" + StoreInvariants.REDACTED_PAYLOAD
                    + "' WHERE event_id = '" + eventId + "'");
        }
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(3)
    void reportsAnErasedRowWithMetadataLeftOrNotMarkedErased() throws SQLException {
        database.execute("UPDATE events SET metadata = '{\"source\": \"audit-test\"}' WHERE stream_id = '"
                + stream(6) + "' AND version = 5");
        database.execute("UPDATE events SET erased = false WHERE stream_id = '" + stream(1) + "' AND version = 1");
        try {
            Check marked = check(StoreInvariants.ERASED_MARKED);

            assertThat(marked.violations()).isEqualTo(2);
            assertThat(marked.examples()).anySatisfy(example -> assertThat(example).startsWith(stream(6)
                    + " version 5")).anySatisfy(example -> assertThat(example).startsWith(stream(1) + " version 1"));
        } finally {
            database.execute("UPDATE events SET metadata = '{}' WHERE stream_id = '" + stream(6) + "' AND version = 5");
            database.execute("UPDATE events SET erased = true WHERE stream_id = '" + stream(1) + "' AND version = 1");
        }
    }

    @Test
    @Order(4)
    void reportsEventsMarkedErasedBeyondTheirStreamsErasedVersions() throws SQLException {
        database.execute("UPDATE event_streams SET erased_through_version = 2 WHERE stream_id = '" + stream(3) + "'");
        try {
            Check within = check(StoreInvariants.ERASED_WITHIN);

            assertThat(within.examples()).containsExactly(stream(3) + " version 3 erased, the stream erased through 2");
        } finally {
            database.execute("UPDATE event_streams SET erased_through_version = 3 WHERE stream_id = '" + stream(3)
                    + "'");
        }
    }

    @Test
    @Order(5)
    void reportsADeletedStreamWithAnEventAboveItsDeletedVersion() throws SQLException {
        database.execute("UPDATE event_streams SET deleted_at_version = 2 WHERE stream_id = '" + stream(4) + "'");
        try {
            Check deleted = check(StoreInvariants.DELETED);

            assertThat(deleted.examples()).containsExactly(stream(4) + " deleted at version 2: version 3, highest"
                    + " event 3, erased through 3");
        } finally {
            database.execute("UPDATE event_streams SET deleted_at_version = 3 WHERE stream_id = '" + stream(4) + "'");
        }
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(6)
    void acceptsKeyedTombstonesAndReportsANullValueWithoutAKey() {
        pipeline.raw.send(new ProducerRecord<>(pipeline.topics.events(), 0, null, null));
        pipeline.raw.send(new ProducerRecord<>(pipeline.topics.events(), 0, stream(2).getBytes(), null));
        pipeline.flush();

        AuditReport report = pipeline.audit().run(pipeline.history);

        assertThat(report.check(TOMBSTONES).violations()).isEqualTo(1);
        assertThat(report.check(TOMBSTONES).examples().get(0)).endsWith("a null value without a key");
        assertThat(report.check(TOMBSTONES).checked()).isEqualTo(25 + 2);
        assertThat(report.checks()).filteredOn(check -> !check.name().equals(TOMBSTONES))
                .allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
    }

    private Check check(String name) {
        return new StoreInvariants(database.dataSource()).run().stream()
                .filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }

    private Map<String, Long> rejections() {
        return database.queryForStrings("SELECT reason FROM command_results WHERE status = 'REJECTED'").stream()
                .collect(Collectors.groupingBy(reason -> reason, Collectors.counting()));
    }

    private static String stream(int i) {
        return "e-" + i;
    }
}
