package io.allsource.ingest.serde;

import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, under the subject {@code <topic>-value} unless told another.
 *
 * <p>With auto-registration (the embedded mode) the record's schema is registered on first use; without it (the
 * default for production, where schemas are registered by a deployment step) the schema must already be registered
 * under the subject, else serialization fails naming the subject. Written here because Confluent's
 * {@code KafkaAvroSerializer} cannot be fetched in this build environment; its output is byte for byte the same
 * format. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    static {
        TrustedRecordClasses.install();
    }

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final UnaryOperator<String> subjectOfTopic;
    // A datum writer holds no state of a write, so one per schema serves every thread (as Confluent's serializer
    // shares its cache); building one per record cost an allocation burst per record on the hot path.
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();

    private AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, UnaryOperator<String> subjectOfTopic) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.subjectOfTopic = subjectOfTopic;
    }

    /** Values of each topic under the subject {@code <topic>-value}. */
    public static <T extends SpecificRecord> AvroSerializer<T> forTopics(SchemaRegistryClient registry,
            boolean autoRegister) {
        return new AvroSerializer<>(registry, autoRegister, WireFormat::valueSubject);
    }

    /** Values of any topic under one subject, such as results sent to reply topics under {@code ingest.results-value}. */
    public static <T extends SpecificRecord> AvroSerializer<T> forSubject(SchemaRegistryClient registry,
            boolean autoRegister, String subject) {
        return new AvroSerializer<>(registry, autoRegister, topic -> subject);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        String subject = subjectOfTopic.apply(topic);
        int schemaId = autoRegister
                ? registry.register(subject, record.getSchema())
                : registry.idOf(subject, record.getSchema());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(schemaId >>> 24);
            out.write(schemaId >>> 16);
            out.write(schemaId >>> 8);
            out.write(schemaId);
            // direct: the stream is in memory, so the buffered encoder's own 2 KiB buffer would only be copied
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(record.getSchema(), SpecificDatumWriter::new).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write a " + record.getSchema().getFullName() + " for topic "
                    + topic + ": " + e.getMessage(), e);
        }
    }
}
