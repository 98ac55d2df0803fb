package io.allsource.ingest.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The field names of DESIGN.md section 3 are a promise to clients in other languages. */
class ContractFieldsTest {

    @Test
    void appendCommandHasTheContractsFields() {
        assertThat(fieldNames(AppendCommand.getClassSchema()))
                .containsExactly("command_id", "tenant_id", "partition_key", "appends", "issued_at", "stream_operation");
        assertThat(fieldNames(StreamOperation.getClassSchema()))
                .containsExactly("stream_id", "operation", "expected_version");
        assertThat(StreamOperationKind.getClassSchema().getEnumSymbols()).containsExactly("UNKNOWN", "DELETE", "ERASE");
        assertThat(StreamOperationKind.getClassSchema().getEnumDefault()).isEqualTo("UNKNOWN");
        assertThat(fieldNames(StreamAppend.getClassSchema())).containsExactly("stream_id", "expected_version", "events");
        assertThat(fieldNames(ExpectedVersion.getClassSchema())).containsExactly("kind", "version");
        assertThat(ExpectedVersion.getClassSchema().getField("kind").schema().getEnumSymbols())
                .containsExactly("ANY", "NO_STREAM", "STREAM_EXISTS", "EXACT");
        assertThat(fieldNames(NewEvent.getClassSchema()))
                .containsExactly("event_id", "event_type", "entity_id", "payload", "metadata");
    }

    @Test
    void commandResultHasTheContractsFields() {
        assertThat(fieldNames(CommandResult.getClassSchema())).containsExactly("command_id", "status", "reason",
                "message", "partition", "offset", "streams", "first_sequence", "last_sequence", "duplicate",
                "committed_at", "reason_code");
        assertThat(fieldNames(StreamOutcome.getClassSchema()))
                .containsExactly("stream_id", "expected_version", "current_version", "first_version", "last_version");
        assertThat(RejectionReason.getClassSchema().getEnumSymbols())
                .containsExactly("CONCURRENCY_CONFLICT", "WRONG_PARTITION", "DUPLICATE_EVENT_ID", "INVALID_COMMAND");
        assertThat(RejectionReason.getClassSchema().getEnumDefault()).isEqualTo("INVALID_COMMAND");
        assertThat(CommandStatus.getClassSchema().getEnumSymbols()).containsExactly("ACCEPTED", "REJECTED");
    }

    @Test
    void eventRecordHasTheContractsFields() {
        assertThat(fieldNames(EventRecord.getClassSchema())).containsExactly("event_id", "stream_id", "version",
                "partition", "partition_sequence", "tenant_id", "event_type", "entity_id", "payload", "metadata",
                "command_id", "recorded_at", "erased");
    }

    @Test
    void timestampsAreTimestampMillis() {
        assertThat(AppendCommand.getClassSchema().getField("issued_at").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
        assertThat(CommandResult.getClassSchema().getField("committed_at").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
        assertThat(EventRecord.getClassSchema().getField("recorded_at").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
    }

    @Test
    void everyFieldOfEveryRecordIsDocumented() {
        Set<String> undocumented = new HashSet<>();
        for (Schema schema : Set.of(AppendCommand.getClassSchema(), CommandResult.getClassSchema(),
                EventRecord.getClassSchema())) {
            collectUndocumented(schema, undocumented, new HashSet<>());
        }
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, Set<String> undocumented, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.doc() == null || field.doc().isBlank()) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), undocumented, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(type -> collectUndocumented(type, undocumented, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), undocumented, seen);
            case MAP -> collectUndocumented(schema.getValueType(), undocumented, seen);
            default -> {
                // primitives and enums carry no fields
            }
        }
    }

    private static java.util.List<String> fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
