package io.allsource.ingest.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allsource.ingest.avro.EventRecord;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes records as JSON with the Kafka Connect schema envelope, {@code {"schema": {...}, "payload": {...}}}: the
 * second events format, for sinks that have no schema registry. Kafka Connect's {@code JsonConverter} with
 * {@code schemas.enable=true} reads it into the same struct as an Avro converter reads from the Avro events topic:
 * the same field names, {@code metadata} as a map of strings, {@code recorded_at} as a Connect {@code Timestamp}.
 *
 * <p>The Connect schema is derived from the record class's Avro schema when the serializer is built, so it follows the
 * contract's evolution without a second schema to keep in step, and a type without a faithful mapping fails then,
 * naming the field. The schema travels in every record (that is what the envelope is), which makes these records
 * several times larger than the Avro ones. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class JsonEnvelopeSerializer<T extends SpecificRecord> implements Serializer<T> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Schema avroSchema;
    private final ObjectNode connectSchema;

    /**
     * A serializer for values of {@code recordClass}.
     *
     * @throws IllegalArgumentException when a field of the class's schema has no mapping to the Connect envelope
     */
    public JsonEnvelopeSerializer(Class<T> recordClass) {
        this.avroSchema = SpecificData.get().getSchema(Objects.requireNonNull(recordClass, "recordClass"));
        this.connectSchema = ConnectSchemaMapping.connectSchema(avroSchema);
    }

    /** The serializer for the events topic's {@link EventRecord}s. */
    public static JsonEnvelopeSerializer<EventRecord> forEvents() {
        return new JsonEnvelopeSerializer<>(EventRecord.class);
    }

    /** The schema part of every envelope this serializer writes, as JSON text. */
    public String connectSchemaJson() {
        return connectSchema.toString();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.set("schema", connectSchema);
        try {
            envelope.set("payload", ConnectSchemaMapping.payload(avroSchema, record));
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException("Could not write a " + avroSchema.getFullName()
                    + " as a JSON envelope for topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
