package io.allsource.ingest.worker;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.worker.HostileInput.Expected;
import io.allsource.ingest.worker.HostileInput.Send;
import java.util.function.Consumer;

/**
 * A command id of the corpus sent once and then again, changed or not: the original, then the replay, each a send of
 * its own entry or of the same one. Used by one thread.
 */
final class CorpusReplay {

    private AppendCommand original;
    private int originalPartition;

    Send original(Expected expected) {
        return original(c -> { }, expected);
    }

    Send original(Consumer<AppendCommand> change, Expected expected) {
        return new Send((context, partition) -> {
            original = context.command(partition);
            change.accept(original);
            originalPartition = partition;
            return context.record(AppendCommand.newBuilder(original).build(), partition);
        }, expected);
    }

    Send originalElsewhere(Expected expected) {
        return new Send((context, partition) -> {
            originalPartition = (partition + 1) % HostileInputs.PARTITIONS;
            original = context.command(originalPartition);
            return context.record(AppendCommand.newBuilder(original).build(), originalPartition);
        }, expected);
    }

    Send changed(Consumer<AppendCommand> change, Expected expected) {
        return new Send((context, partition) -> {
            AppendCommand copy = AppendCommand.newBuilder(original).build();
            change.accept(copy);
            return context.record(copy, originalPartition);
        }, expected);
    }

    /** The original's id with other content, on the entry's partition, keyed for it. */
    Send changedHere(Expected expected) {
        return new Send((context, partition) -> {
            AppendCommand copy = context.command(partition);
            copy.setCommandId(original.getCommandId());
            return context.record(copy, partition);
        }, expected);
    }
}
