package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.serde.UndecodableRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Events for topology tests, and a serde for them that needs no schema registry (Avro's single-object encoding). */
final class TestEvents {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    static {
        // Avro 1.12 loads only trusted classes by name; initializing our deserializer adds the contract's records.
        try {
            Class.forName(io.allsource.ingest.serde.AvroDeserializer.class.getName());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestEvents() {
    }

    static EventRecord event(String stream, long version, int partition, long sequence, String tenant, String type,
            Instant recordedAt) {
        return EventRecord.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((stream + "/" + version).getBytes()).toString())
                .setStreamId(stream)
                .setVersion(version)
                .setPartition(partition)
                .setPartitionSequence(sequence)
                .setTenantId(tenant)
                .setEventType(type)
                .setEntityId(stream)
                .setPayload("{}")
                .setMetadata(Map.of())
                .setCommandId(UUID.randomUUID().toString())
                .setRecordedAt(recordedAt)
                .build();
    }

    static EventRecord event(String stream, long version, int partition, long sequence) {
        return event(stream, version, partition, sequence, "tenant-a", "Happened", T0);
    }

    /** Avro single-object encoding; bytes that do not decode raise {@link UndecodableRecordException}. */
    static Serde<EventRecord> serde() {
        return Serdes.serdeFrom((topic, event) -> {
            try {
                ByteBuffer buffer = event.toByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, bytes) -> {
            try {
                return EventRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
            } catch (IOException | RuntimeException e) {
                throw new UndecodableRecordException(UndecodableRecordException.Problem.MALFORMED_AVRO,
                        "not an event: " + e, e);
            }
        });
    }
}
