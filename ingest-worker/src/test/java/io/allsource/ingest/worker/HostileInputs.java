package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.HostileInput.Expected.accepted;
import static io.allsource.ingest.worker.HostileInput.Expected.deadLettered;
import static io.allsource.ingest.worker.HostileInput.Expected.invalid;
import static io.allsource.ingest.worker.HostileInput.Expected.rejected;
import static io.allsource.ingest.worker.HostileInput.Expected.unreadable;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.worker.HostileInput.Expected;
import io.allsource.ingest.worker.HostileInput.Outgoing;
import io.allsource.ingest.worker.HostileInput.Send;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The hostile input corpus, as data: what is sent, and what each record must get. */
final class HostileInputs {

    static final int PARTITIONS = PartitionFunction.PARTITION_COUNT;
    private static final String DIFFERENT_CONTENT = "with different content; this is its stored result";

    private HostileInputs() {
    }

    static List<HostileInput> all() {
        List<HostileInput> corpus = new ArrayList<>();
        corpus.addAll(undecodable());
        corpus.addAll(brokenFields());
        corpus.addAll(rejectedByTheStore());
        corpus.addAll(replays());
        corpus.addAll(acceptedOddities());
        return corpus;
    }

    private static List<HostileInput> undecodable() {
        return List.of(
                HostileInput.of("empty value", garbage(context -> new byte[0], deadLettered("TOO_SHORT"))),
                HostileInput.of("null value (tombstone)", garbage(context -> null, deadLettered("no value"))),
                HostileInput.of("huge value (900 KB of garbage)",
                        garbage(context -> filled(900_000, (byte) 'x'), deadLettered("WRONG_MAGIC_BYTE"))),
                HostileInput.of("wrong magic byte", garbage(context -> {
                    byte[] bytes = valid(context);
                    bytes[0] = 0x2a;
                    return bytes;
                }, deadLettered("WRONG_MAGIC_BYTE", "0x2a"))),
                HostileInput.of("unknown schema id", garbage(context -> {
                    byte[] bytes = valid(context);
                    ByteBuffer.wrap(bytes).putInt(1, 999_999);
                    return bytes;
                }, deadLettered("UNKNOWN_SCHEMA_ID", "999999"))),
                HostileInput.of("truncated Avro", garbage(context -> {
                    byte[] bytes = valid(context);
                    return Arrays.copyOf(bytes, bytes.length - 3);
                }, deadLettered("MALFORMED_AVRO"))),
                HostileInput.of("header without a body", garbage(context -> Arrays.copyOf(valid(context), 5),
                        deadLettered("MALFORMED_AVRO"))),
                HostileInput.of("bytes after the Avro body", garbage(context -> {
                    byte[] bytes = valid(context);
                    return Arrays.copyOf(bytes, bytes.length + 4);
                }, deadLettered("TRAILING_BYTES"))),
                HostileInput.of("a stream id ending in 0xff (not UTF-8)", garbage(context -> {
                    byte[] bytes = valid(context);
                    String asLatin1 = new String(bytes, StandardCharsets.ISO_8859_1); // one char a byte
                    bytes[asLatin1.indexOf("never-applied") + "never-applied".length() - 1] = (byte) 0xff;
                    return bytes;
                }, deadLettered("INVALID_UTF8", "appends[0].stream_id", "0xff"))),
                HostileInput.of("an EventRecord on the commands topic",
                        garbage(context -> context.encodeEvent(eventRecord()), deadLettered("INCOMPATIBLE_SCHEMA",
                                "io.allsource.ingest.avro.EventRecord", "io.allsource.ingest.avro.AppendCommand"))),
                HostileInput.of("garbage with a null key", new Send((context, partition) -> context.raw(null,
                        "not avro".getBytes(StandardCharsets.UTF_8), partition), deadLettered("WRONG_MAGIC_BYTE"))),
                HostileInput.of("ingest-reply-partition that is not a number", withHeaders(
                        deadLettered("ingest-reply-partition 'minus-one' is not a partition number"),
                        IngestHeaders.REPLY_TOPIC, "replies", IngestHeaders.REPLY_PARTITION, "minus-one")),
                HostileInput.of("ingest-reply-topic that is not a topic name", withHeaders(
                        deadLettered("ingest-reply-topic 'no such/topic' is not a legal topic name"),
                        IngestHeaders.REPLY_TOPIC, "no such/topic")),
                HostileInput.of("ingest-reply-partition without ingest-reply-topic", withHeaders(
                        deadLettered("ingest-reply-partition is set without ingest-reply-topic"),
                        IngestHeaders.REPLY_PARTITION, "3")));
    }

    private static List<HostileInput> brokenFields() {
        return List.of(
                HostileInput.of("command_id that is not a UUID", changed(c -> c.setCommandId("order-42"),
                        unreadable("command_id 'order-42' is not a UUID"))),
                HostileInput.of("empty command_id", changed(c -> c.setCommandId(""), unreadable("command_id is empty"))),
                HostileInput.of("empty tenant_id", changed(c -> c.setTenantId(""), invalid("tenant_id is empty"))),
                HostileInput.of("256-character partition_key", changed(c -> c.setPartitionKey("k".repeat(256)),
                        invalid("partition_key has 256 characters, at most 255 are allowed"))),
                HostileInput.of("empty appends", changed(c -> c.setAppends(new ArrayList<>()),
                        invalid("appends is empty"))),
                HostileInput.of("101 appends", changed(c -> c.setAppends(appends(101, 1)),
                        invalid("appends has 101 streams, at most 100 are allowed"))),
                HostileInput.of("1,001 events in one command", changed(c -> c.setAppends(appends(1, 1001)),
                        invalid("appends hold 1001 events, at most 1000 are allowed"))),
                HostileInput.of("an append with empty events", changed(c -> first(c).setEvents(new ArrayList<>()),
                        invalid("appends[0].events is empty"))),
                HostileInput.of("one stream in two appends", changed(c -> c.getAppends().add(first(c)),
                        invalid("appends[1].stream_id", "repeats appends[0]"))),
                HostileInput.of("empty stream_id", changed(c -> first(c).setStreamId(""),
                        invalid("appends[0].stream_id is empty"))),
                HostileInput.of("256-character stream_id", changed(c -> first(c).setStreamId("s".repeat(256)),
                        invalid("appends[0].stream_id has 256 characters, at most 255 are allowed"))),
                HostileInput.of("control character in stream_id", changed(c -> first(c).setStreamId("order\u0007-1"),
                        invalid("appends[0].stream_id 'order?-1' holds a control character", "index 5"))),
                HostileInput.of("negative EXACT expected version", changed(
                        c -> first(c).setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, -5L)),
                        invalid("appends[0].expected_version.version is -5, an EXACT version is 0 or more"))),
                HostileInput.of("empty event_type", event((c, e) -> e.setEventType(""),
                        invalid("appends[0].events[0].event_type is empty"))),
                HostileInput.of("256-character entity_id", event((c, e) -> e.setEntityId("e".repeat(256)),
                        invalid("appends[0].events[0].entity_id has 256 characters, at most 255 are allowed"))),
                HostileInput.of("event_id that is not a UUID", event((c, e) -> e.setEventId("evt-1"),
                        invalid("appends[0].events[0].event_id 'evt-1' is not a UUID"))),
                HostileInput.of("invalid JSON payload", event((c, e) -> e.setPayload("{\"total\": "),
                        invalid("appends[0].events[0].payload is not valid JSON"))),
                HostileInput.of("payload over the size limit", event((c, e) -> e.setPayload(
                        "\"" + "p".repeat(600_000) + "\""),
                        invalid("appends[0].events[0].payload has 600002 bytes, at most 524288 are allowed"))),
                HostileInput.of("payload nested 1,001 levels", event((c, e) -> e.setPayload(
                        "[".repeat(1001) + "]".repeat(1001)), invalid("appends[0].events[0].payload nests deeper"))),
                HostileInput.of("payload with \\u0000 in a string", event((c, e) -> e.setPayload("{\"a\": \"x\\u0000\"}"),
                        invalid("appends[0].events[0].payload holds a NUL character"))),
                HostileInput.of("payload number beyond numeric's range", event((c, e) -> e.setPayload("1e1000000"),
                        invalid("appends[0].events[0].payload holds the number '1e1000000'"))),
                HostileInput.of("payload whose stored form is far larger than its input", event((c, e) ->
                        e.setPayload("[" + String.join(",", Collections.nCopies(10, "1e131071")) + "]"),
                        invalid("appends[0].events[0].payload is 91 bytes as sent but 1310740 bytes as PostgreSQL"
                                + " stores and the pipeline publishes it", "at most 1000000 are allowed"))),
                HostileInput.of("NUL in a metadata value", event((c, e) -> e.setMetadata(Map.of("k", "a\u0000b")),
                        invalid("appends[0].events[0].metadata['k'] holds a NUL character"))),
                HostileInput.of("65 metadata entries", event((c, e) -> e.setMetadata(entries(65)),
                        invalid("appends[0].events[0].metadata has 65 entries, at most 64 are allowed"))));
    }

    private static List<HostileInput> rejectedByTheStore() {
        String eventId = UUID.randomUUID().toString();
        return List.of(
                HostileInput.of("absurd EXACT expected version (Long.MAX_VALUE)", changed(
                        c -> first(c).setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, Long.MAX_VALUE)),
                        rejected(RejectionReason.CONCURRENCY_CONFLICT, "expected EXACT 9223372036854775807 but is at"
                                + " version 0"))),
                HostileInput.of("one event_id twice in a command", changed(c -> {
                    String id = UUID.randomUUID().toString();
                    first(c).setEvents(new ArrayList<>(List.of(withId(id), withId(id))));
                }, rejected(RejectionReason.DUPLICATE_EVENT_ID, "appends[0].events[1].event_id", "is used twice"))),
                HostileInput.after("event_id of a stored event",
                        changed(c -> first(c).setEvents(new ArrayList<>(List.of(withId(eventId)))), accepted()),
                        changed(c -> first(c).setEvents(new ArrayList<>(List.of(withId(eventId)))),
                                rejected(RejectionReason.DUPLICATE_EVENT_ID, "appends[0].events[0].event_id "
                                        + eventId + " already belongs to a stored event"))),
                HostileInput.of("command on the wrong partition", new Send((context, partition) -> {
                    int home = (partition + 1) % PARTITIONS;
                    return context.record(context.command(home), partition);
                }, rejected(RejectionReason.WRONG_PARTITION, "the command arrived on partition"))),
                streamsInTwoPartitions());
    }

    private static HostileInput streamsInTwoPartitions() {
        String[] elsewhere = new String[1];
        return HostileInput.after("streams of one command in different partitions",
                new Send((context, partition) -> {
                    int other = (partition + 1) % PARTITIONS;
                    AppendCommand create = context.command(other);
                    elsewhere[0] = first(create).getStreamId();
                    return context.record(create, other);
                }, accepted()),
                new Send((context, partition) -> {
                    AppendCommand both = context.command(partition);
                    both.getAppends().add(new StreamAppend(elsewhere[0],
                            new ExpectedVersion(ExpectedVersionKind.ANY, 0L), List.of(withId(null))));
                    return context.record(both, partition);
                }, rejected(RejectionReason.WRONG_PARTITION, "appends[1].stream_id", "lives in partition")));
    }

    private static List<HostileInput> replays() {
        CorpusReplay later = new CorpusReplay();
        CorpusReplay sameBatch = new CorpusReplay();
        CorpusReplay rejection = new CorpusReplay();
        CorpusReplay restamped = new CorpusReplay();
        CorpusReplay elsewhere = new CorpusReplay();
        return List.of(
                HostileInput.after("replayed command_id with different content", later.original(accepted()),
                        later.changed(c -> first(c).getEvents().get(0).setPayload("{\"n\": 2}"),
                                accepted().asDuplicate("was already applied " + DIFFERENT_CONTENT))),
                HostileInput.of("replayed command_id with different content in the same batch",
                        sameBatch.original(accepted()),
                        sameBatch.changed(c -> c.setTenantId("tenant-2"),
                                accepted().asDuplicate("was already applied " + DIFFERENT_CONTENT))),
                HostileInput.after("replayed id of a rejected command with different content",
                        rejection.original(c -> first(c).setExpectedVersion(
                                        new ExpectedVersion(ExpectedVersionKind.EXACT, 7L)),
                                rejected(RejectionReason.CONCURRENCY_CONFLICT, "expected EXACT 7")),
                        rejection.changed(c -> first(c).setExpectedVersion(
                                        new ExpectedVersion(ExpectedVersionKind.ANY, 0L)),
                                rejected(RejectionReason.CONCURRENCY_CONFLICT).asDuplicate(
                                        "was already rejected " + DIFFERENT_CONTENT, "Stored message: "))),
                HostileInput.after("replayed command_id, same content, new issued_at", restamped.original(accepted()),
                        restamped.changed(c -> c.setIssuedAt(Instant.now().plusSeconds(60)), accepted().asDuplicate())),
                HostileInput.after("replayed command_id with different content on another partition",
                        elsewhere.originalElsewhere(accepted()),
                        elsewhere.changedHere(accepted().asDuplicate("was already applied " + DIFFERENT_CONTENT))));
    }

    private static List<HostileInput> acceptedOddities() {
        return List.of(
                HostileInput.of("null key", new Send((context, partition) -> {
                    Outgoing keyed = context.record(context.command(partition), partition);
                    return new Outgoing(new ProducerRecord<>(keyed.record().topic(), partition, null,
                            keyed.record().value()), keyed.commandId());
                }, accepted())),
                HostileInput.of("control characters and non-ASCII in metadata (no NUL)",
                        event((c, e) -> e.setMetadata(Map.of("note\u0007", "tab\there, bell\u0007, \u00e9\u6f22")),
                                accepted())),
                HostileInput.of("255-character stream_id of characters outside the BMP", changed(
                        c -> first(c).setStreamId("\uD83D\uDE00".repeat(255)), accepted(), true)),
                HostileInput.of("payload of exactly 512 KiB", event((c, e) -> e.setPayload(
                        "\"" + "p".repeat(512 * 1024 - 2) + "\""), accepted())),
                HostileInput.of("1,000 events in one command, the most allowed", changed(
                        c -> first(c).setEvents(new ArrayList<>(Collections.nCopies(1000, withId(null)))), accepted())),
                HostileInput.of("EXACT 0 on a new stream", changed(
                        c -> first(c).setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, 0L)),
                        accepted())));
    }

    private static Send garbage(Function<CorpusContext, byte[]> value, Expected expected) {
        return new Send((context, partition) -> context.raw("garbage".getBytes(StandardCharsets.UTF_8),
                value.apply(context), partition), expected);
    }

    private static Send withHeaders(Expected expected, String... pairs) {
        return new Send((context, partition) -> {
            Outgoing outgoing = context.record(context.command(partition), partition);
            for (int i = 0; i < pairs.length; i += 2) {
                outgoing.record().headers().add(pairs[i], pairs[i + 1].getBytes(StandardCharsets.UTF_8));
            }
            return new Outgoing(outgoing.record(), null);
        }, expected);
    }

    /** A valid command of the entry's partition, changed by {@code change} (which may break its placement). */
    private static Send changed(Consumer<AppendCommand> change, Expected expected) {
        return changed(change, expected, false);
    }

    /** With {@code keyByPartitionKey}, the changed command is sent to the partition its (new) key maps to. */
    private static Send changed(Consumer<AppendCommand> change, Expected expected, boolean keyByPartitionKey) {
        return new Send((context, partition) -> {
            AppendCommand command = context.command(partition);
            change.accept(command);
            if (keyByPartitionKey) {
                command.setPartitionKey(context.streamIn(partition));
            }
            return context.record(command, partition);
        }, expected);
    }

    private static Send event(BiConsumer<AppendCommand, NewEvent> change, Expected expected) {
        return changed(command -> change.accept(command, first(command).getEvents().get(0)), expected);
    }

    static StreamAppend first(AppendCommand command) {
        return command.getAppends().get(0);
    }

    private static byte[] valid(CorpusContext context) {
        return context.encode(CorpusContext.command("never-applied", ExpectedVersionKind.ANY, 0));
    }

    private static NewEvent withId(String eventId) {
        return new NewEvent(eventId, "Happened", "entity-1", "{}", Map.of());
    }

    private static List<StreamAppend> appends(int streams, int eventsEach) {
        List<StreamAppend> appends = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            List<NewEvent> events = new ArrayList<>();
            for (int j = 0; j < eventsEach; j++) {
                events.add(withId(null));
            }
            appends.add(new StreamAppend("many-" + i, new ExpectedVersion(ExpectedVersionKind.ANY, 0L), events));
        }
        return appends;
    }

    private static Map<String, String> entries(int count) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("key-" + i, "value");
        }
        return entries;
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static EventRecord eventRecord() {
        return EventRecord.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setStreamId("s").setVersion(1).setPartition(0)
                .setPartitionSequence(1).setTenantId("t").setEventType("Happened").setEntityId("e").setPayload("{}")
                .setMetadata(Map.of()).setCommandId(UUID.randomUUID().toString()).setRecordedAt(Instant.now())
                .build();
    }
}
