package io.allsource.ingest.serde;

import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in the Confluent wire format into a generated record class: the writer's schema comes from the registry
 * by the value's id and is resolved to the class's schema, so records written with an older or newer compatible schema
 * decode.
 *
 * <p>Bad bytes raise {@link UndecodableRecordException} naming the problem. A registry that cannot be reached raises
 * {@link io.allsource.ingest.registry.RegistryUnavailableException} instead: that is not the record's fault, and the
 * caller should retry rather than discard it. Written here because Confluent's {@code KafkaAvroDeserializer} cannot be
 * fetched in this build environment. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    static {
        TrustedRecordClasses.install();
    }

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistryClient registry, Class<T> recordClass) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(recordClass);
    }

    @Override
    public T deserialize(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        int schemaId = WireFormat.schemaId(value);
        SpecificDatumReader<T> reader = readerFor(schemaId);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException e) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.MALFORMED_AVRO,
                    "The Avro body of " + value.length + " bytes does not decode with schema " + schemaId + ": "
                            + (e instanceof EOFException ? "it ends before the record does (truncated)" : e), e);
        }
        if (!isEnd(decoder)) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.TRAILING_BYTES,
                    "Bytes remain after the Avro body of schema " + schemaId + " in a value of " + value.length
                            + " bytes");
        }
        return record;
    }

    private SpecificDatumReader<T> readerFor(int schemaId) {
        SpecificDatumReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema = writerSchema(schemaId);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.INCOMPATIBLE_SCHEMA,
                    "Schema " + schemaId + " (" + writerSchema.getFullName() + ") cannot be read as "
                            + readerSchema.getFullName() + ": " + incompatibilities(compatibility));
        }
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema);
        readersBySchemaId.putIfAbsent(schemaId, reader);
        return reader;
    }

    /** The first few reasons, each with where it lies, rather than both whole schemas. */
    private static String incompatibilities(SchemaCompatibility.SchemaPairCompatibility compatibility) {
        List<SchemaCompatibility.Incompatibility> all = compatibility.getResult().getIncompatibilities();
        String listed = all.stream().limit(5)
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation() + " ("
                        + incompatibility.getMessage() + ")")
                .collect(Collectors.joining("; "));
        return all.size() > 5 ? listed + "; and " + (all.size() - 5) + " more" : listed;
    }

    private Schema writerSchema(int schemaId) {
        try {
            return registry.schemaById(schemaId);
        } catch (RegistryRequestException e) {
            if (e.isNotFound()) {
                throw new UndecodableRecordException(UndecodableRecordException.Problem.UNKNOWN_SCHEMA_ID,
                        "The schema registry knows no schema with id " + schemaId, e);
            }
            throw e;
        }
    }

    private static boolean isEnd(BinaryDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            return true;
        }
    }
}
