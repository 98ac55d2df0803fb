package io.allsource.ingest.command;

import java.util.Map;

/**
 * An upper bound of the size of the events-topic record an accepted event becomes: the contract's {@code EventRecord}
 * in Avro's binary encoding behind the 5-byte wire-format header, its key (the stream id) and the record's framing in
 * a batch of one. The payload counts as PostgreSQL prints it, since that is what is published. Checked before commit so
 * that an accepted event is always publishable: the producer refuses a record above its {@code max.request.size},
 * after the commit, when the command can no longer be rejected.
 */
final class EventRecordSize {

    /** Kafka's framing of a record in a batch of one (the batch header is 61 bytes), rounded up. */
    private static final int FRAMING_BYTES = 128;
    /** A varint's longest encoding of a 64-bit value. */
    private static final int LONG_BYTES = 10;
    /** Wire-format header, event id and command id (UUIDs), version, partition, sequence and time. */
    private static final long FIXED_BYTES = 5 + 2 * string(36) + 4 * LONG_BYTES;

    private EventRecordSize() {
    }

    /** The bound for an event of {@code streamId} whose payload prints as {@code printedPayloadBytes} bytes. */
    static long of(String streamId, String tenantId, NewEvent event, long printedPayloadBytes) {
        long size = FRAMING_BYTES + FIXED_BYTES + utf8(streamId) + string(utf8(streamId)) + string(utf8(tenantId))
                + string(utf8(event.eventType())) + string(utf8(event.entityId())) + string(printedPayloadBytes);
        size += 2L * LONG_BYTES;
        for (Map.Entry<String, String> entry : event.metadata().entrySet()) {
            size += string(utf8(entry.getKey())) + string(utf8(entry.getValue()));
        }
        return size;
    }

    private static long string(long bytes) {
        return LONG_BYTES + bytes;
    }

    private static long utf8(String text) {
        return JsonbText.utf8Bytes(text);
    }
}
