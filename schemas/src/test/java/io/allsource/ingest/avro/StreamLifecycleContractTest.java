package io.allsource.ingest.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The delete and erase operations on the wire, read by programs that hold an earlier release's schemas: a worker of the
 * previous release sees a stream operation as a command without appends (which it rejects, never accepts as an empty
 * append), and every consumer of a release reads the new results and the redacted copies of events.
 */
class StreamLifecycleContractTest {

    private static final String COMMAND_ID = "00000000-0000-4000-8000-000000000007";

    @Test
    void aWorkerOfThePreviousReleaseReadsADeleteAsACommandWithoutAppends() throws Exception {
        AppendCommand delete = AppendCommand.newBuilder().setCommandId(COMMAND_ID).setTenantId("tenant-a")
                .setAppends(List.of()).setIssuedAt(Instant.EPOCH)
                .setStreamOperation(StreamOperation.newBuilder().setStreamId("acct-1")
                        .setOperation(StreamOperationKind.DELETE)
                        .setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, 3L)).build())
                .build();

        for (Path release : SchemaEvolutionTest.releases()) {
            GenericRecord read = readAs(SchemaEvolutionTest.release(release).get("AppendCommand"),
                    AppendCommand.getClassSchema(), encode(delete));

            assertThat((List<?>) read.get("appends")).as("release %s", release.getFileName()).isEmpty();
            assertThat(read.getSchema().getField("stream_operation")).isNull();
        }
    }

    @Test
    void everyReleaseReadsARedactedCopyOfAnEventWithTheMarker() throws Exception {
        EventRecord redacted = EventRecord.newBuilder().setEventId("00000000-0000-4000-8000-000000000009")
                .setStreamId("acct-1").setVersion(2).setPartition(5).setPartitionSequence(17).setTenantId("tenant-a")
                .setEventType("Deposited").setEntityId("erased").setPayload("{\"erased\": true}")
                .setMetadata(Map.of()).setCommandId(COMMAND_ID).setRecordedAt(Instant.EPOCH).setErased(true).build();

        for (Path release : SchemaEvolutionTest.releases()) {
            GenericRecord read = readAs(SchemaEvolutionTest.release(release).get("EventRecord"),
                    EventRecord.getClassSchema(), encode(redacted));

            assertThat(read.get("event_id")).hasToString(redacted.getEventId());
            assertThat(read.get("version")).isEqualTo(2L);
            assertThat(read.get("payload")).hasToString("{\"erased\": true}");
            assertThat(read.get("entity_id")).hasToString("erased");
        }
    }

    @Test
    void theLatestReleaseReadsTheDeletedStreamCodeAndTheFirstReadsInvalidCommand() throws Exception {
        CommandResult refusal = CommandResult.newBuilder().setCommandId(COMMAND_ID).setStatus(CommandStatus.REJECTED)
                .setReason(RejectionReason.INVALID_COMMAND).setReasonCode("STREAM_DELETED")
                .setMessage("stream 'acct-1' was deleted at version 3").setPartition(3).setOffset(9L)
                .setStreams(List.of()).setCommittedAt(Instant.EPOCH).build();

        GenericRecord latest = readAs(SchemaEvolutionTest.latestRelease().get("CommandResult"),
                CommandResult.getClassSchema(), encode(refusal));
        GenericRecord first = readAs(SchemaEvolutionTest.firstRelease().get("CommandResult"),
                CommandResult.getClassSchema(), encode(refusal));

        assertThat(latest.get("reason_code")).hasToString("STREAM_DELETED");
        assertThat(first.get("reason")).hasToString("INVALID_COMMAND");
        assertThat(first.get("message")).hasToString("stream 'acct-1' was deleted at version 3");
    }

    @Test
    void anOperationNewerThanThisSchemaIsReadAsUnknown() throws Exception {
        Schema current = AppendCommand.getClassSchema();
        Schema newer = new Schema.Parser().parse(current.toString()
                .replace("\"UNKNOWN\",\"DELETE\",\"ERASE\"]", "\"UNKNOWN\",\"DELETE\",\"ERASE\",\"ARCHIVE\"]"));
        GenericRecord command = readAs(newer, current, encode(AppendCommand.newBuilder().setCommandId(COMMAND_ID)
                .setTenantId("tenant-a").setAppends(List.of()).setIssuedAt(Instant.EPOCH)
                .setStreamOperation(StreamOperation.newBuilder().setStreamId("acct-1")
                        .setOperation(StreamOperationKind.ERASE)
                        .setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.ANY, 0L)).build())
                .build()));
        Schema operationSchema = newer.getField("stream_operation").schema().getTypes().get(1);
        ((GenericRecord) command.get("stream_operation")).put("operation",
                new GenericData.EnumSymbol(operationSchema.getField("operation").schema(), "ARCHIVE"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(newer).write(command, encoder);
        encoder.flush();

        GenericRecord read = readAs(current, newer, bytes.toByteArray());

        assertThat(((GenericRecord) read.get("stream_operation")).get("operation")).hasToString("UNKNOWN");
    }

    private static <T extends SpecificRecord> byte[] encode(T record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        new SpecificDatumWriter<>(type).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static GenericRecord readAs(Schema reader, Schema writer, byte[] bytes) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
