package io.allsource.ingest.audit;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.UndecodableRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Holds the results topic against the stored outcomes of the ledger's commands: each has at least one result, every
 * copy equal to the stored outcome apart from the {@code duplicate} flag. A copy of an accepted outcome with other
 * partition sequences than the stored one means the command was applied twice. Not thread-safe.
 */
final class ResultsTopicCheck {

    private final ResultLedger ledger;
    private final AvroDeserializer<CommandResult> deserializer;
    private final String topic;
    private final CheckTally decodable = new CheckTally("results topic records decodable");
    private final CheckTally answered = new CheckTally("every command answered on the results topic");
    private final CheckTally identical =
            new CheckTally("result copies identical to the stored outcome (duplicate flag aside)");
    private final long[] prunedOffsets;
    private long appliedTwice;
    private long results;

    /**
     * @param prunedOffsets each partition's pruned offset: a copy of a result of a command below it is not held
     *                      against the store, whose outcome may have been pruned and its command id used again
     */
    ResultsTopicCheck(ResultLedger ledger, long[] prunedOffsets, AuditSettings settings) {
        this.ledger = ledger;
        this.prunedOffsets = prunedOffsets.clone();
        this.deserializer = new AvroDeserializer<>(settings.registry(), CommandResult.class);
        this.topic = settings.topics().results();
    }

    /** @param ids every command id of the ledger, to name the unanswered ones */
    void run(TopicScan scan, Consumer<Consumer<String>> ids) {
        scan.scan(topic, ledger::unseen, this::accept);
        List<String> unanswered = new ArrayList<>();
        ids.accept(id -> {
            int index = ledger.index(id);
            if (index >= 0 && ledger.isStored(index) && !ledger.routedElsewhere(index) && ledger.copies(index) == 0
                    && unanswered.size() < CheckTally.MAX_EXAMPLES && !unanswered.contains(id)) {
                unanswered.add(id);
            }
        });
        for (int i = 0; i < ledger.size(); i++) {
            if (ledger.isStored(i) && !ledger.routedElsewhere(i)) {
                answered.checked();
            }
        }
        long missing = ledger.unseen();
        for (long i = 0; i < missing; i++) {
            answered.violation(i < unanswered.size() ? unanswered.get((int) i) + " has no result on " + topic
                    : "(one more command without a result)");
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        decodable.checked();
        CommandResult result;
        try {
            result = deserializer.deserialize(topic, record.value());
        } catch (UndecodableRecordException e) {
            decodable.violation("partition " + record.partition() + " offset " + record.offset() + ": "
                    + e.getMessage());
            return;
        }
        if (result == null) {
            decodable.violation("partition " + record.partition() + " offset " + record.offset() + ": no value");
            return;
        }
        results++;
        int index = ledger.index(result.getCommandId());
        if (index < 0 || pruned(result)) {
            return;
        }
        ledger.seen(index);
        if (!ledger.isStored(index)) {
            return; // the stored-outcome check names commands the database does not hold
        }
        identical.checked();
        if (Fingerprints.result(result) != ledger.stored(index)) {
            identical.violation(result.getCommandId() + " at partition " + record.partition() + " offset "
                    + record.offset() + " differs from the stored outcome");
            if (result.getStatus() == CommandStatus.ACCEPTED && result.getFirstSequence() != null
                    && result.getFirstSequence() != ledger.storedFirstSequence(index)) {
                appliedTwice++;
            }
        }
    }

    private boolean pruned(CommandResult result) {
        int partition = result.getPartition();
        return partition >= 0 && partition < prunedOffsets.length && result.getOffset() < prunedOffsets[partition];
    }

    List<Check> checks() {
        return List.of(decodable.toCheck(), answered.toCheck(), identical.toCheck());
    }

    long appliedTwice() {
        return appliedTwice;
    }

    long duplicateCopies() {
        return ledger.duplicateCopies();
    }

    long results() {
        return results;
    }
}
