package io.allsource.ingest.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Every change of a schema is FULL compatible with the last release: the current reader reads what the released writer
 * wrote (BACKWARD), and a consumer still holding the released schema reads what the current writer writes (FORWARD).
 * An enum symbol cannot be added that way, because Avro resolves a symbol the reader lacks with the reader's enum
 * default and the released enums have none: a reason newer than the released enum goes in {@code reason_code}, with
 * the closest released symbol in {@code reason}.
 */
class SchemaEvolutionTest {

    private static final Map<String, Schema> CURRENT = Map.of(
            "AppendCommand", AppendCommand.getClassSchema(),
            "CommandResult", CommandResult.getClassSchema(),
            "EventRecord", EventRecord.getClassSchema(),
            "StreamAppend", StreamAppend.getClassSchema(),
            "NewEvent", NewEvent.getClassSchema(),
            "StreamOutcome", StreamOutcome.getClassSchema(),
            "ExpectedVersion", ExpectedVersion.getClassSchema());

    @Test
    void everyCurrentSchemaReadsWhatEveryReleaseWrote() throws Exception {
        List<Path> releases = releases();

        assertThat(releases).hasSizeGreaterThanOrEqualTo(2);
        for (Path release : releases) {
            Map<String, Schema> released = release(release);
            assertThat(released.keySet()).containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
            for (Map.Entry<String, Schema> entry : released.entrySet()) {
                SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility
                        .checkReaderWriterCompatibility(CURRENT.get(entry.getKey()), entry.getValue());
                assertThat(result.getType()).as("release %s, %s: %s", release.getFileName(), entry.getKey(),
                        result.getDescription()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void everyReleaseReadsWhatEveryCurrentSchemaWrites() throws Exception {
        for (Path release : releases()) {
            for (Map.Entry<String, Schema> entry : release(release).entrySet()) {
                SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility
                        .checkReaderWriterCompatibility(entry.getValue(), CURRENT.get(entry.getKey()));
                assertThat(result.getType()).as("release %s, %s: %s", release.getFileName(), entry.getKey(),
                        result.getDescription()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void aConsumerOnTheReleasedSchemaReadsATenantRefusalAsInvalidCommandWithItsMessage() throws Exception {
        CommandResult refusal = refusal("INVALID_COMMAND", "TENANT_MISMATCH");

        GenericRecord read = readAs(firstRelease().get("CommandResult"), CommandResult.getClassSchema(),
                encode(refusal));

        assertThat(read.get("reason")).hasToString("INVALID_COMMAND");
        assertThat(read.get("message")).hasToString(refusal.getMessage());
        assertThat(read.get("status")).hasToString("REJECTED");
        assertThat(read.getSchema().getField("reason_code")).as("the released schema has no reason_code").isNull();
    }

    @Test
    void aCurrentConsumerReadsAReleasedResultWithoutReasonCode() throws Exception {
        Schema releasedSchema = firstRelease().get("CommandResult");
        CommandResult refusal = refusal("CONCURRENCY_CONFLICT", null);
        GenericRecord released = readAs(releasedSchema, CommandResult.getClassSchema(), encode(refusal));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(releasedSchema).write(released, encoder);
        encoder.flush();

        GenericRecord read = readAs(CommandResult.getClassSchema(), releasedSchema, bytes.toByteArray());

        assertThat(read.get("reason")).hasToString("CONCURRENCY_CONFLICT");
        assertThat(read.get("reason_code")).isNull();
    }

    @Test
    void addingTheSymbolToTheReasonEnumInsteadWouldBreakAConsumerOnTheReleasedSchema() throws Exception {
        Schema withSymbol = withReasonSymbol(CommandResult.getClassSchema(), "TENANT_MISMATCH");

        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility
                .checkReaderWriterCompatibility(firstRelease().get("CommandResult"), withSymbol);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getDescription()).contains("TENANT_MISMATCH");
    }

    @Test
    void aCurrentConsumerReadsAReasonSymbolNewerThanItsEnumAsTheEnumsDefault() throws Exception {
        Schema newer = withReasonSymbol(CommandResult.getClassSchema(), "STREAM_DELETED");
        GenericRecord written = readAs(newer, CommandResult.getClassSchema(), encode(refusal("INVALID_COMMAND",
                "STREAM_DELETED")));
        written.put("reason", new GenericData.EnumSymbol(newer.getField("reason").schema().getTypes().get(1),
                "STREAM_DELETED"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(newer).write(written, encoder);
        encoder.flush();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(CommandResult.getClassSchema(), newer)
                .getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        GenericRecord read = readAs(CommandResult.getClassSchema(), newer, bytes.toByteArray());
        assertThat(read.get("reason")).hasToString("INVALID_COMMAND");
        assertThat(read.get("reason_code")).hasToString("STREAM_DELETED");
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutADefault() {
        Schema released = ExpectedVersion.getClassSchema();
        Schema broken = SchemaBuilder.record("ExpectedVersion").namespace("io.allsource.ingest.avro").fields()
                .name("kind").type(released.getField("kind").schema()).noDefault()
                .name("version").type().longType().longDefault(0)
                .name("required_without_default").type().stringType().noDefault()
                .endRecord();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void theCheckCatchesARenamedField() {
        Schema released = ExpectedVersion.getClassSchema();
        Schema renamed = SchemaBuilder.record("ExpectedVersion").namespace("io.allsource.ingest.avro").fields()
                .name("kind_of_expectation").type(released.getField("kind").schema()).noDefault()
                .name("version").type().longType().longDefault(0)
                .endRecord();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(renamed, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static CommandResult refusal(String reason, String reasonCode) {
        return CommandResult.newBuilder().setCommandId("00000000-0000-4000-8000-000000000001")
                .setStatus(CommandStatus.REJECTED).setReason(RejectionReason.valueOf(reason))
                .setReasonCode(reasonCode)
                .setMessage("appends[0].stream_id 'acct-1' belongs to another tenant than 'tenant-b'; a stream is"
                        + " written only by the tenant whose command created it")
                .setPartition(3).setOffset(41L).setStreams(List.of()).setCommittedAt(Instant.EPOCH).build();
    }

    private static byte[] encode(CommandResult result) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(CommandResult.class).write(result, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static GenericRecord readAs(Schema reader, Schema writer, byte[] bytes) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    /** {@code schema} with {@code symbol} added to the symbols of its {@code RejectionReason} enum. */
    private static Schema withReasonSymbol(Schema schema, String symbol) {
        String text = schema.toString();
        String symbols = "\"DUPLICATE_EVENT_ID\",\"INVALID_COMMAND\"]";
        assertThat(text).contains(symbols);
        return new Schema.Parser().parse(text.replace(symbols,
                "\"DUPLICATE_EVENT_ID\",\"INVALID_COMMAND\",\"" + symbol + "\"]"));
    }

    static Map<String, Schema> latestRelease() throws IOException, URISyntaxException {
        List<Path> releases = releases();
        return release(releases.get(releases.size() - 1));
    }

    /** The first release: the one without {@code reason_code}. */
    static Map<String, Schema> firstRelease() throws IOException, URISyntaxException {
        return release(releases().get(0));
    }

    /** The folders of the released schemas, oldest first. */
    static List<Path> releases() throws IOException, URISyntaxException {
        URL root = SchemaEvolutionTest.class.getResource("/released");
        try (Stream<Path> releases = Files.list(Path.of(root.toURI()))) {
            return releases.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(path -> Integer.parseInt(path.getFileName().toString())))
                    .toList();
        }
    }

    static Map<String, Schema> release(Path latest) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String dependency : List.of("ExpectedVersion", "NewEvent", "StreamAppend", "StreamOutcome")) {
            parse(parser, latest.resolve(dependency + ".avsc"));
        }
        Map<String, Schema> schemas = new java.util.HashMap<>();
        for (String name : CURRENT.keySet()) {
            schemas.put(name, parser.getTypes().containsKey("io.allsource.ingest.avro." + name)
                    ? parser.getTypes().get("io.allsource.ingest.avro." + name)
                    : parse(parser, latest.resolve(name + ".avsc")));
        }
        return schemas;
    }

    private static Schema parse(Schema.Parser parser, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(in);
        }
    }
}
