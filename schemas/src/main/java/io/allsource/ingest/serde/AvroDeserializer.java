package io.allsource.ingest.serde;

import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Resolver;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads values in the Confluent wire format into a generated record class: the writer's schema comes from the registry
 * by the value's id and is resolved to the class's schema, so records written with an older or newer compatible schema
 * decode.
 *
 * <p>Strings are decoded strictly: one that is not valid UTF-8, at any depth, raises
 * {@link UndecodableRecordException.Problem#INVALID_UTF8} naming the field and the offset of the bad byte; nothing is
 * ever replaced by U+FFFD. A writer's schema whose only difference the reader cannot resolve is enum symbols it adds
 * (a producer's newer version of an enum) is read record by record: a record that uses only symbols the reader knows
 * decodes, one that uses an added symbol raises {@link UndecodableRecordException.Problem#UNKNOWN_ENUM_SYMBOL} naming
 * the field and the symbol. Any other incompatibility refuses every record of that schema id
 * ({@link UndecodableRecordException.Problem#INCOMPATIBLE_SCHEMA}).
 *
 * <p>Bad bytes raise {@link UndecodableRecordException} naming the problem. A registry that cannot be reached raises
 * {@link io.allsource.ingest.registry.RegistryUnavailableException} instead: that is not the record's fault, and the
 * caller should retry rather than discard it. Written here because Confluent's {@code KafkaAvroDeserializer} cannot be
 * fetched in this build environment. Thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final Logger log = LoggerFactory.getLogger(AvroDeserializer.class);

    static {
        TrustedRecordClasses.install();
    }

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final boolean bytesAreStrings;
    private final Map<Integer, WriterReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /**
     * How values of one writer schema are read.
     *
     * @param lacksSymbols the writer's enums hold symbols the reader's lack: a record may fail on one
     */
    private record WriterReader<T>(int schemaId, Schema writerSchema, SpecificDatumReader<T> datumReader,
            boolean lacksSymbols) {
    }

    public AvroDeserializer(SchemaRegistryClient registry, Class<T> recordClass) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(recordClass);
        this.bytesAreStrings = !holdsBytes(readerSchema, new HashSet<>());
    }

    @Override
    public T deserialize(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        int schemaId = WireFormat.schemaId(value);
        WriterReader<T> reader = readerFor(schemaId);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null);
        StrictUtf8Decoder strict = new StrictUtf8Decoder(decoder, bytesAreStrings);
        T record;
        try {
            record = reader.datumReader().read(null, strict);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException e) {
            throw undecodable(value, reader, strict, e);
        }
        if (!isEnd(decoder)) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.TRAILING_BYTES,
                    "Bytes remain after the Avro body of schema " + schemaId + " in a value of " + value.length
                            + " bytes");
        }
        return record;
    }

    /** The exception for a read that failed: a named field when a string or a symbol is to blame. */
    private UndecodableRecordException undecodable(byte[] value, WriterReader<T> reader, StrictUtf8Decoder strict,
            Exception e) {
        boolean unknownSymbol = reader.lacksSymbols() && e instanceof AvroTypeException;
        if (strict.malformed() != null || unknownSymbol) {
            Optional<ProblemLocator.Finding> finding =
                    ProblemLocator.locate(value, Resolver.resolve(reader.writerSchema(), readerSchema));
            if (finding.isPresent()) {
                return new UndecodableRecordException(finding.get().problem(),
                        finding.get().message() + " (schema " + reader.schemaId() + ")", e);
            }
            if (strict.malformed() != null) {
                return new UndecodableRecordException(UndecodableRecordException.Problem.INVALID_UTF8,
                        "A string of schema " + reader.schemaId() + " is not valid UTF-8: "
                                + strict.malformed().getMessage(), e);
            }
        }
        return new UndecodableRecordException(UndecodableRecordException.Problem.MALFORMED_AVRO,
                "The Avro body of " + value.length + " bytes does not decode with schema " + reader.schemaId() + ": "
                        + (e instanceof EOFException ? "it ends before the record does (truncated)" : e), e);
    }

    private WriterReader<T> readerFor(int schemaId) {
        WriterReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema = writerSchema(schemaId);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        boolean lacksSymbols = false;
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            lacksSymbols = onlyMissingSymbols(compatibility);
            if (!lacksSymbols) {
                throw new UndecodableRecordException(UndecodableRecordException.Problem.INCOMPATIBLE_SCHEMA,
                        "Schema " + schemaId + " (" + writerSchema.getFullName() + ") cannot be read as "
                                + readerSchema.getFullName() + ": " + incompatibilities(compatibility));
            }
            log.warn("Schema {} ({}) has enum symbols this reader lacks: {}; its records that use them are refused"
                    + " as {}", schemaId, writerSchema.getFullName(), incompatibilities(compatibility),
                    UndecodableRecordException.Problem.UNKNOWN_ENUM_SYMBOL);
        }
        WriterReader<T> reader = new WriterReader<>(schemaId, writerSchema,
                new SpecificDatumReader<>(writerSchema, readerSchema), lacksSymbols);
        WriterReader<T> raced = readersBySchemaId.putIfAbsent(schemaId, reader);
        return raced != null ? raced : reader;
    }

    /** True when the only differences the reader cannot resolve are symbols the writer's enums add. */
    private static boolean onlyMissingSymbols(SchemaCompatibility.SchemaPairCompatibility compatibility) {
        List<SchemaCompatibility.Incompatibility> all = compatibility.getResult().getIncompatibilities();
        return !all.isEmpty() && all.stream().allMatch(AvroDeserializer::missingSymbolsOnly);
    }

    /**
     * A missing enum symbol, or a union branch Avro's check calls missing only because an enum inside it gains
     * symbols: a named branch the reader's union holds under the same full name (which Avro's resolution picks by
     * name), with only missing symbols between them (a nullable record that holds an {@code ExpectedVersion}).
     */
    private static boolean missingSymbolsOnly(SchemaCompatibility.Incompatibility incompatibility) {
        if (incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS) {
            return true;
        }
        if (incompatibility.getType() != SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
            return false;
        }
        Schema union = incompatibility.getReaderFragment();
        Schema branch = incompatibility.getWriterFragment();
        if (branch.getType() == Schema.Type.UNION) {
            // Avro reports the writer's whole union; the location ends with the index of the branch that failed
            String location = incompatibility.getLocation();
            String index = location.substring(location.lastIndexOf('/') + 1);
            if (!index.matches("\\d{1,3}") || Integer.parseInt(index) >= branch.getTypes().size()) {
                return false;
            }
            branch = branch.getTypes().get(Integer.parseInt(index));
        }
        if (union.getType() != Schema.Type.UNION || branch.getType() != Schema.Type.RECORD) {
            return false;
        }
        Schema written = branch;
        return union.getTypes().stream().filter(reader -> written.getFullName().equals(reader.getFullName()))
                .findFirst().map(reader -> onlyMissingSymbols(
                        SchemaCompatibility.checkReaderWriterCompatibility(reader, written)))
                .orElse(false);
    }

    /** Whether a {@code bytes} value occurs anywhere in {@code schema}. */
    private static boolean holdsBytes(Schema schema, Set<String> seen) {
        return switch (schema.getType()) {
            case BYTES -> true;
            case RECORD -> seen.add(schema.getFullName())
                    && schema.getFields().stream().anyMatch(field -> holdsBytes(field.schema(), seen));
            case ARRAY -> holdsBytes(schema.getElementType(), seen);
            case MAP -> holdsBytes(schema.getValueType(), seen);
            case UNION -> schema.getTypes().stream().anyMatch(branch -> holdsBytes(branch, seen));
            default -> false;
        };
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
