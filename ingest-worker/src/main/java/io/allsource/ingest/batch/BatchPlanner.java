package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The plan step of the write path: decides, in memory and in offset order, what a batch of one partition's checked
 * commands does (placement, tenancy, idempotency, expected versions, event ids, version and sequence assignment),
 * with no I/O.
 * {@link BatchChecker} has checked the commands before; the store looks up what {@link PreparedBatch} asks for, then
 * calls {@link #plan} inside its transaction. Thread-safe.
 */
public final class BatchPlanner {

    /**
     * The most events one delete or erase redacts: its transaction updates them in chunks of
     * {@code ERASE_CHUNK} versions, so this bounds how long it holds the partition's lock (about a second per 50,000
     * events on this project's reference machine). A longer stream is refused with {@code ERASE_TOO_LARGE}.
     */
    public static final long ERASE_LIMIT = 100_000;

    private final int partition;

    public BatchPlanner(int partition) {
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
            throw new IllegalArgumentException("partition must be in [0, " + PartitionFunction.PARTITION_COUNT
                    + "), got " + partition);
        }
        this.partition = partition;
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
        // before any check that reports a stream's placement or version: those are its owner's business
        Optional<String> foreignTenant = draft.foreignTenant(append);
        if (foreignTenant.isPresent()) {
            draft.reject(command, RejectionReason.TENANT_MISMATCH, foreignTenant.get(), List.of());
            return;
        }
        Optional<String> foreign = draft.foreignStream(append);
        if (foreign.isPresent()) {
            draft.reject(command, RejectionReason.WRONG_PARTITION, foreign.get(), List.of());
            return;
        }
        Optional<String> deleted = draft.deletedStream(append);
        if (deleted.isPresent()) {
            draft.reject(command, RejectionReason.STREAM_DELETED, deleted.get(), draft.currentOutcomes(append));
            return;
        }
        Optional<String> conflict = draft.versionConflict(append);
        if (conflict.isPresent()) {
            draft.reject(command, RejectionReason.CONCURRENCY_CONFLICT, conflict.get(),
                    draft.currentOutcomes(append));
            return;
        }
        if (append.operation() != null) {
            decideOperation(command, draft);
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

    /** A delete or erase whose stream passed the tenant, placement, deletion and version checks. */
    private static void decideOperation(PreparedCommand.Valid command, BatchDraft draft) {
        AppendCommand append = command.entry().command();
        long version = draft.operationVersion(append);
        String what = append.operation().kind().name().toLowerCase(java.util.Locale.ROOT);
        if (version == 0) {
            draft.reject(command, RejectionReason.STREAM_NOT_FOUND, "stream_operation.stream_id "
                    + quote(append.operation().streamId()) + " has no event: there is nothing to " + what,
                    draft.currentOutcomes(append));
        } else if (version > ERASE_LIMIT) {
            draft.reject(command, RejectionReason.ERASE_TOO_LARGE, "stream_operation.stream_id "
                    + quote(append.operation().streamId()) + " holds " + version + " events, one " + what
                    + " erases at most " + ERASE_LIMIT, draft.currentOutcomes(append));
        } else {
            draft.acceptOperation(command, version);
        }
    }

    static String quote(String value) {
        return "'" + value + "'";
    }
}
