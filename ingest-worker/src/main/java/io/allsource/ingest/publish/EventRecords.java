package io.allsource.ingest.publish;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.trace.TraceHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one shape of an event on a topic, shared by the worker's publication and {@code ingest replay}: key the stream id
 * (UTF-8), the event's partition number, the value in the events format, and the {@code traceparent} /
 * {@code tracestate} of the command that wrote it. Stateless.
 */
public final class EventRecords {

    private EventRecords() {
    }

    /** The record of {@code event} for {@code topic}, its value written by {@code serializer}. */
    public static ProducerRecord<byte[], byte[]> of(String topic, StoredEvent event, Serializer<EventRecord> serializer) {
        byte[] value = serializer.serialize(topic, AvroRecords.toAvro(event));
        return new ProducerRecord<>(topic, event.partition(), event.streamId().getBytes(StandardCharsets.UTF_8), value,
                TraceHeaders.of(event.trace()));
    }
}
