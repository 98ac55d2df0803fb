package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.EventIds;
import io.allsource.ingest.command.FallbackKey;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The check step of the write path: the contract's rules that need no I/O (the command id, sizes, JSON payloads, the
 * size of what will be published, placement), applied to one partition's entries before any connection is taken. Its
 * output says, per entry, which key its result is stored under and which keys the store must look up: a record without
 * a usable command id is keyed by its partition, its offset and the log the partition's offsets belong to
 * ({@link FallbackKey}). Thread-safe.
 */
public final class BatchChecker {

    private final int partition;
    private final CommandValidator validator;

    public BatchChecker(int partition, CommandValidator validator) {
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
            throw new IllegalArgumentException("partition must be in [0, " + PartitionFunction.PARTITION_COUNT
                    + "), got " + partition);
        }
        this.partition = partition;
        this.validator = validator;
    }

    public int partition() {
        return partition;
    }

    /**
     * Checks {@code entries}, consecutive records of a partition none of whose stored outcomes an offset reset has
     * superseded ({@link FallbackKey#FIRST_LOG}).
     */
    public PreparedBatch prepare(List<BatchEntry> entries) {
        return prepare(entries, FallbackKey.FIRST_LOG);
    }

    /**
     * Checks {@code entries}, consecutive records of the partition in offset order.
     *
     * @param logResetId the latest offset reset that superseded stored outcomes of the partition, as the claim the
     *                   batch is applied under read it ({@link FallbackKey#FIRST_LOG} when none has): it keys the
     *                   records without a usable command id, and the store refuses a batch checked for another one
     */
    public PreparedBatch prepare(List<BatchEntry> entries, long logResetId) {
        List<PreparedCommand> prepared = new ArrayList<>(entries.size());
        for (BatchEntry entry : entries) {
            prepared.add(prepare(entry, logResetId));
        }
        return new PreparedBatch(prepared);
    }

    private PreparedCommand prepare(BatchEntry entry, long logResetId) {
        String fallbackKey = FallbackKey.of(partition, entry.offset(), logResetId);
        if (entry instanceof BatchEntry.Undecodable undecodable) {
            return new PreparedCommand.Unreadable(entry, fallbackKey,
                    "the record could not be decoded: " + undecodable.error());
        }
        if (entry instanceof BatchEntry.Refused refused) {
            return refused(refused, fallbackKey);
        }
        return decoded((BatchEntry.Decoded) entry, fallbackKey);
    }

    private static PreparedCommand refused(BatchEntry.Refused refused, String fallbackKey) {
        AppendCommand command = refused.decoded().command();
        if (CommandValidator.commandIdViolation(command.commandId()).isPresent()) {
            return new PreparedCommand.Unreadable(refused, fallbackKey, refused.reason());
        }
        return new PreparedCommand.Invalid(refused, command.commandId(), refused.reason(),
                CommandFingerprint.of(command));
    }

    private PreparedCommand decoded(BatchEntry.Decoded decoded, String fallbackKey) {
        AppendCommand command = decoded.command();
        Optional<String> unusableId = CommandValidator.commandIdViolation(command.commandId());
        if (unusableId.isPresent()) {
            return new PreparedCommand.Unreadable(decoded, fallbackKey, unusableId.get());
        }
        Optional<String> violation = validator.violation(command);
        if (violation.isPresent()) {
            return new PreparedCommand.Invalid(decoded, command.commandId(), violation.get(),
                    CommandFingerprint.of(command));
        }
        return new PreparedCommand.Valid(decoded, command.commandId(), eventIds(command),
                PartitionFunction.partitionOf(command.effectivePartitionKey()), CommandFingerprint.of(command));
    }

    private static List<UUID> eventIds(AppendCommand command) {
        UUID commandId = UUID.fromString(command.commandId());
        List<UUID> ids = new ArrayList<>();
        int index = 0;
        for (StreamAppend append : command.appends()) {
            for (NewEvent event : append.events()) {
                ids.add(event.eventId() != null ? UUID.fromString(event.eventId()) : EventIds.derive(commandId, index));
                index++;
            }
        }
        return ids;
    }
}
