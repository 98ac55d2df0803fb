package io.allsource.ingest.intake;

import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.ExpectedVersion;

/** Maps the contract's Avro command to the worker's command model. */
final class CommandRecords {

    private CommandRecords() {
    }

    static AppendCommand fromAvro(io.allsource.ingest.avro.AppendCommand command) {
        return new AppendCommand(command.getCommandId(), command.getTenantId(), command.getPartitionKey(),
                command.getAppends().stream().map(CommandRecords::fromAvro).toList(), command.getIssuedAt());
    }

    private static io.allsource.ingest.command.StreamAppend fromAvro(StreamAppend append) {
        return new io.allsource.ingest.command.StreamAppend(append.getStreamId(),
                fromAvro(append.getExpectedVersion()), append.getEvents().stream().map(CommandRecords::fromAvro).toList());
    }

    private static io.allsource.ingest.command.NewEvent fromAvro(NewEvent event) {
        return new io.allsource.ingest.command.NewEvent(event.getEventId(), event.getEventType(), event.getEntityId(),
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
