package io.allsource.ingest.intake;

import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.EventIds;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.StreamOperation;
import java.util.Locale;

/** Maps the contract's Avro command to the worker's command model. */
final class CommandRecords {

    private CommandRecords() {
    }

    static AppendCommand fromAvro(io.allsource.ingest.avro.AppendCommand command) {
        return new AppendCommand(canonicalId(command.getCommandId()), command.getTenantId(), command.getPartitionKey(),
                command.getAppends().stream().map(CommandRecords::fromAvro).toList(), command.getIssuedAt(),
                fromAvro(command.getStreamOperation()));
    }

    private static StreamOperation fromAvro(io.allsource.ingest.avro.StreamOperation operation) {
        if (operation == null) {
            return null;
        }
        return new StreamOperation(operation.getStreamId(),
                StreamOperation.Kind.valueOf(operation.getOperation().name()),
                operation.getExpectedVersion() == null ? null : fromAvro(operation.getExpectedVersion()));
    }

    private static io.allsource.ingest.command.StreamAppend fromAvro(StreamAppend append) {
        return new io.allsource.ingest.command.StreamAppend(append.getStreamId(),
                fromAvro(append.getExpectedVersion()), append.getEvents().stream().map(CommandRecords::fromAvro).toList());
    }

    /**
     * A UUID is one value whatever the letter case of its hex digits: ids that are UUIDs are compared, stored and
     * published in lower case, so that a resend in upper case finds the stored result. Anything else is left as sent,
     * for the check step to name.
     */
    static String canonicalId(String id) {
        return EventIds.isCanonicalUuid(id) ? id.toLowerCase(Locale.ROOT) : id;
    }

    private static io.allsource.ingest.command.NewEvent fromAvro(NewEvent event) {
        return new io.allsource.ingest.command.NewEvent(canonicalId(event.getEventId()), event.getEventType(), event.getEntityId(),
                event.getPayload(), event.getMetadata());
    }

    static ExpectedVersion fromAvro(io.allsource.ingest.avro.ExpectedVersion expected) {
        return switch (expected.getKind()) {
            case ANY -> ExpectedVersion.any();
            case NO_STREAM -> ExpectedVersion.noStream();
            case STREAM_EXISTS -> ExpectedVersion.streamExists();
            case EXACT -> ExpectedVersion.exact(expected.getVersion());
        };
    }
}
