package io.allsource.ingest.connect;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.connect.EventWorkload.Committed;
import io.allsource.ingest.connect.SinkFile.SinkLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

/** What a sink must have received of the events topic, whichever format and converter carried it. */
final class SinkAssertions {

    /** The Connect type of every field of an event, as an Avro converter makes it of the contract's schema. */
    static final Map<String, String> EVENT_FIELD_TYPES = Map.ofEntries(
            entry("event_id", "string"), entry("stream_id", "string"), entry("version", "int64"),
            entry("partition", "int32"), entry("partition_sequence", "int64"), entry("tenant_id", "string"),
            entry("event_type", "string"), entry("entity_id", "string"), entry("payload", "string"),
            entry("metadata", "map<string,string>"), entry("command_id", "string"),
            entry("recorded_at", "int64/org.apache.kafka.connect.data.Timestamp"), entry("erased", "boolean"));

    private SinkAssertions() {
    }

    /**
     * Every committed event arrived, with every field equal to the event as the contract's own deserializer reads it
     * from the events topic, nothing else arrived, repeats (at-least-once) are identical to the first delivery, and
     * each stream's events arrived in version order from 1 to its last committed version.
     *
     * @param published the events topic as read by the contract's deserializer
     */
    static void assertEveryCommittedEventArrivedIntactInStreamOrder(List<SinkLine> lines, List<EventRecord> published,
            Committed committed) {
        assertThat(lines).allSatisfy(line -> assertThat(line.fieldTypes())
                .as("the Connect schema the sink received").containsExactlyInAnyOrderEntriesOf(EVENT_FIELD_TYPES));
        List<EventRecord> received = firstDeliveries(lines.stream().map(SinkLine::event).toList());
        List<EventRecord> reference = firstDeliveries(published);

        assertThat(reference).as("events on the events topic").hasSize(committed.eventCount());
        assertThat(received).as("events in the sink, each field compared")
                .containsExactlyInAnyOrderElementsOf(reference);
        assertThat(received).extracting(event -> UUID.fromString(event.getEventId()))
                .containsAll(committed.explicitIds())
                .doesNotContain(committed.rejectedEventId());
        Map<String, List<Long>> versionsByStream = new LinkedHashMap<>();
        for (EventRecord event : received) {
            versionsByStream.computeIfAbsent(event.getStreamId(), stream -> new ArrayList<>()).add(event.getVersion());
        }
        assertThat(versionsByStream.keySet()).as("streams in the sink")
                .containsExactlyInAnyOrderElementsOf(committed.lastVersions().keySet());
        versionsByStream.forEach((stream, versions) -> assertThat(versions)
                .as("versions of %s in the order the sink received them", stream)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, committed.lastVersions().get(stream))
                        .boxed().toList()));
    }

    /** The first delivery of each event id, in order; a later delivery must be identical to it. */
    private static List<EventRecord> firstDeliveries(List<EventRecord> events) {
        Map<String, EventRecord> first = new LinkedHashMap<>();
        for (EventRecord event : events) {
            EventRecord earlier = first.putIfAbsent(event.getEventId(), event);
            if (earlier != null) {
                assertThat(event).as("a repeated delivery of event %s", event.getEventId()).isEqualTo(earlier);
            }
        }
        return List.copyOf(first.values());
    }
}
