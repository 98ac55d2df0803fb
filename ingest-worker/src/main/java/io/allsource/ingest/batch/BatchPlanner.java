package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.EventIds;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides, in memory and in offset order, what a batch of one partition's commands does: the pure rules of the write
 * path (validation, placement, idempotency, expected versions, event ids, version and sequence assignment), with no I/O.
 * The store looks up what {@link PreparedBatch} asks for, then calls {@link #plan}. Thread-safe.
 */
public final class BatchPlanner {

    private final int partition;
    private final CommandValidator validator;

    public BatchPlanner(int partition, CommandValidator validator) {
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
            throw new IllegalArgumentException("partition must be in [0, " + PartitionFunction.PARTITION_COUNT
                    + "), got " + partition);
        }
        this.partition = partition;
        this.validator = validator;
    }

    /** The checks that need no I/O, and the result key of each entry. */
    public PreparedBatch prepare(List<BatchEntry> entries) {
        List<PreparedCommand> prepared = new ArrayList<>(entries.size());
        for (BatchEntry entry : entries) {
            prepared.add(prepare(entry));
        }
        return new PreparedBatch(prepared);
    }

    private PreparedCommand prepare(BatchEntry entry) {
        String fallbackKey = "invalid:" + partition + ":" + entry.offset();
        if (entry instanceof BatchEntry.Undecodable undecodable) {
            return new PreparedCommand.Unreadable(entry, fallbackKey,
                    "the record could not be decoded: " + undecodable.error());
        }
        BatchEntry.Decoded decoded = (BatchEntry.Decoded) entry;
        AppendCommand command = decoded.command();
        Optional<String> unusableId = CommandValidator.commandIdViolation(command.commandId());
        if (unusableId.isPresent()) {
            return new PreparedCommand.Unreadable(entry, fallbackKey, unusableId.get());
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

    /**
     * Decides every command of {@code batch} in order, against what the database knows and what earlier commands of
     * the batch did.
     *
     * @param lastSequence the partition's highest sequence before the batch
     * @param now          the batch transaction's time, recorded on its events and results
     */
    public BatchPlan plan(PreparedBatch batch, KnownState known, long lastSequence, Instant now) {
        BatchDraft draft = new BatchDraft(partition, known, lastSequence, now);
        for (PreparedCommand command : batch.commands()) {
            decide(command, draft);
        }
        long nextOffset = batch.commands().isEmpty() ? -1
                : batch.commands().get(batch.commands().size() - 1).entry().offset() + 1;
        return draft.toPlan(nextOffset);
    }

    private void decide(PreparedCommand command, BatchDraft draft) {
        if (command instanceof PreparedCommand.Unreadable unreadable) {
            draft.reject(unreadable, RejectionReason.INVALID_COMMAND, unreadable.message(), List.of());
        } else if (draft.redeliverIfKnown(command)) {
            return;
        } else if (command instanceof PreparedCommand.Invalid invalid) {
            draft.reject(invalid, RejectionReason.INVALID_COMMAND, invalid.message(), List.of());
        } else {
            decideValid((PreparedCommand.Valid) command, draft);
        }
    }

    private void decideValid(PreparedCommand.Valid command, BatchDraft draft) {
        AppendCommand append = command.entry().command();
        if (command.homePartition() != partition) {
            draft.reject(command, RejectionReason.WRONG_PARTITION,
                    "partition key " + quote(append.effectivePartitionKey()) + " maps to partition "
                            + command.homePartition() + ", the command arrived on partition " + partition, List.of());
            return;
        }
        Optional<String> foreign = draft.foreignStream(append);
        if (foreign.isPresent()) {
            draft.reject(command, RejectionReason.WRONG_PARTITION, foreign.get(), List.of());
            return;
        }
        Optional<String> conflict = draft.versionConflict(append);
        if (conflict.isPresent()) {
            draft.reject(command, RejectionReason.CONCURRENCY_CONFLICT, conflict.get(),
                    draft.currentOutcomes(append));
            return;
        }
        Optional<String> takenId = draft.takenEventId(command);
        if (takenId.isPresent()) {
            draft.reject(command, RejectionReason.DUPLICATE_EVENT_ID, takenId.get(),
                    draft.currentOutcomes(append));
            return;
        }
        draft.accept(command);
    }

    static String quote(String value) {
        return "'" + value + "'";
    }
}
