package io.allsource.ingest.publish;

import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.StreamOutcome;
import io.allsource.ingest.store.StoredEvent;

/** Maps the worker's results and events to the contract's Avro records. */
public final class AvroRecords {

    private AvroRecords() {
    }

    public static io.allsource.ingest.avro.CommandResult toAvro(CommandResult result) {
        return io.allsource.ingest.avro.CommandResult.newBuilder()
                .setCommandId(result.commandId())
                .setStatus(CommandStatus.valueOf(result.status().name()))
                .setReason(result.reason() == null ? null
                        : io.allsource.ingest.avro.RejectionReason.valueOf(result.reason().wireSymbol()))
                .setReasonCode(result.reason() == null ? null : result.reason().name())
                .setMessage(result.message())
                .setPartition(result.partition())
                .setOffset(result.offset())
                .setStreams(result.streams().stream().map(AvroRecords::toAvro).toList())
                .setFirstSequence(result.firstSequence())
                .setLastSequence(result.lastSequence())
                .setDuplicate(result.duplicate())
                .setCommittedAt(result.committedAt())
                .build();
    }

    public static EventRecord toAvro(StoredEvent event) {
        return EventRecord.newBuilder()
                .setEventId(event.eventId().toString())
                .setStreamId(event.streamId())
                .setVersion(event.version())
                .setPartition(event.partition())
                .setPartitionSequence(event.partitionSequence())
                .setTenantId(event.tenantId())
                .setEventType(event.eventType())
                .setEntityId(event.entityId())
                .setPayload(event.payload())
                .setMetadata(event.metadata())
                .setCommandId(event.commandId())
                .setRecordedAt(event.recordedAt())
                .setErased(event.erased())
                .build();
    }

    private static io.allsource.ingest.avro.StreamOutcome toAvro(StreamOutcome outcome) {
        return new io.allsource.ingest.avro.StreamOutcome(outcome.streamId(), toAvro(outcome.expectedVersion()),
                outcome.currentVersion(), outcome.firstVersion(), outcome.lastVersion());
    }

    public static io.allsource.ingest.avro.ExpectedVersion toAvro(ExpectedVersion expected) {
        long version = expected instanceof ExpectedVersion.Exact exact ? exact.version() : 0L;
        return new io.allsource.ingest.avro.ExpectedVersion(ExpectedVersionKind.valueOf(expected.kind().name()),
                version);
    }
}
