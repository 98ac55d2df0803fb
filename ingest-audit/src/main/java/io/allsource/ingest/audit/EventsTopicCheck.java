package io.allsource.ingest.audit;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.UndecodableRecordException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Holds the events topic against the stored events: every committed event present at least once, every copy equal to
 * the stored event and on its stream's partition, each stream's events first published in version order. Copies
 * beyond the first are counted, not faulted (publication is at least once).
 *
 * <p>Erased events (issue 18): for an event the snapshot holds erased, the copy that must be there and equal the
 * stored (redacted) row is a redacted copy ({@code erased} true); its original copy predates the erase, is allowed and
 * is not compared by content (it still counts for placement and the order of first publication). A redacted copy of an
 * event the snapshot holds unerased comes from an erase committed after the snapshot and is not compared either. A
 * tombstone (null value, the key a stream id) is accepted and counted. Not thread-safe.
 */
final class EventsTopicCheck {

    private final EventLedger ledger;
    private final AvroDeserializer<EventRecord> deserializer;
    private final String topic;
    private final Map<String, Long> highestFirstSeen = new HashMap<>();
    private final CheckTally present = new CheckTally("every committed event on the events topic");
    private final CheckTally identical = new CheckTally("event copies identical to the stored event");
    private final CheckTally placed = new CheckTally("events on the partition of their stream");
    private final CheckTally ordered = new CheckTally("each stream's events first published in version order");
    private final CheckTally decodable = new CheckTally("events topic records decodable");
    private final CheckTally tombstones = new CheckTally("events topic tombstones keyed by a stream id");
    private long published;
    private long uncomparedCopies;

    EventsTopicCheck(EventLedger ledger, AuditSettings settings) {
        this.ledger = ledger;
        this.deserializer = new AvroDeserializer<>(settings.registry(), EventRecord.class);
        this.topic = settings.topics().events();
    }

    void run(TopicScan scan) {
        scan.scan(topic, ledger::unseen, this::accept);
        present.checked(ledger.committed());
        ledger.forEachUnseen((partition, sequence, erased) -> present.violation(
                "partition " + partition + " sequence " + sequence + (erased
                        ? " erased, its redacted copy never published" : " committed, never published")));
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            tombstone(record);
            return;
        }
        decodable.checked();
        EventRecord event;
        try {
            event = deserializer.deserialize(topic, record.value());
        } catch (UndecodableRecordException e) {
            decodable.violation("partition " + record.partition() + " offset " + record.offset() + ": "
                    + e.getMessage());
            return;
        }
        if (event == null) {
            decodable.violation("partition " + record.partition() + " offset " + record.offset() + ": no value");
            return;
        }
        published++;
        long stored = ledger.fingerprint(event.getPartition(), event.getPartitionSequence());
        if (stored == 0) {
            return; // committed after the snapshot the audit holds, or never: the database checks judge that
        }
        placed.checked();
        if (record.partition() != event.getPartition()) {
            placed.violation(describe(event) + " published to partition " + record.partition());
        }
        if (event.getErased() == ledger.erased(event.getPartition(), event.getPartitionSequence())) {
            identical.checked();
            if (Fingerprints.event(event) != stored) {
                identical.violation(describe(event) + (event.getErased() ? " redacted copy" : "") + " at offset "
                        + record.offset() + " differs from the stored event");
            }
            ledger.seen(event.getPartition(), event.getPartitionSequence());
        } else {
            uncomparedCopies++; // the original of an erased event, or the redacted copy of a later erase
        }
        if (ledger.firstCopy(event.getPartition(), event.getPartitionSequence())) {
            firstCopy(event, record.offset());
        }
    }

    /** A null value: the tombstone an erase or delete publishes after its redacted copies, keyed by the stream id. */
    private void tombstone(ConsumerRecord<byte[], byte[]> record) {
        tombstones.checked();
        if (record.key() == null || record.key().length == 0) {
            tombstones.violation("partition " + record.partition() + " offset " + record.offset()
                    + ": a null value without a key");
        }
    }

    private void firstCopy(EventRecord event, long offset) {
        ordered.checked();
        long highest = highestFirstSeen.getOrDefault(event.getStreamId(), 0L);
        if (event.getVersion() < highest) {
            ordered.violation(describe(event) + " first published at offset " + offset + ", after version "
                    + highest);
        }
        highestFirstSeen.put(event.getStreamId(), Math.max(highest, event.getVersion()));
    }

    private static String describe(EventRecord event) {
        return "stream " + event.getStreamId() + " version " + event.getVersion() + " (partition "
                + event.getPartition() + " sequence " + event.getPartitionSequence() + ")";
    }

    List<Check> checks() {
        return List.of(decodable.toCheck(), present.toCheck(), identical.toCheck(), placed.toCheck(),
                ordered.toCheck(), tombstones.toCheck());
    }

    /** Committed events never seen on the topic. */
    long lost() {
        return present.violations();
    }

    long duplicateCopies() {
        return ledger.duplicateCopies();
    }

    long published() {
        return published;
    }

    /** Copies not compared by content: originals of events erased since, redacted copies of later erases. */
    long uncomparedCopies() {
        return uncomparedCopies;
    }
}
