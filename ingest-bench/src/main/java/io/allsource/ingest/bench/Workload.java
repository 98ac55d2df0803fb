package io.allsource.ingest.bench;

import io.allsource.ingest.partition.PartitionFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The same commands for every contender: {@code commands} appends of {@code eventsPerCommand} events each, spread
 * round-robin over {@code streams} streams, with fixed ids so that every contender writes the same rows.
 */
record Workload(int commands, int streams, int eventsPerCommand) {

    Workload {
        if (commands <= 0 || streams <= 0 || eventsPerCommand <= 0) {
            throw new IllegalArgumentException("commands, streams and events per command must be positive");
        }
    }

    /** The same workload with {@code count} commands: the first commands, rows and ids of a longer one are the same. */
    Workload withCommands(int count) {
        return new Workload(count, streams, eventsPerCommand);
    }

    long events() {
        return (long) commands * eventsPerCommand;
    }

    String streamOf(int command) {
        return "bench-stream-" + (command % streams);
    }

    int partitionOf(int command) {
        return PartitionFunction.partitionOf(streamOf(command));
    }

    String commandId(int command) {
        return new UUID(0x5eed_0000_0000_0000L, command).toString();
    }

    String payload(int command, int event) {
        return "{\"command\": " + command + ", \"event\": " + event + ", \"amount\": " + (command * 7 % 1000) + "}";
    }

    /** The commands of each partition, in order. */
    List<List<Integer>> byPartition() {
        List<List<Integer>> partitions = new ArrayList<>();
        for (int p = 0; p < PartitionFunction.PARTITION_COUNT; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int command = 0; command < commands; command++) {
            partitions.get(partitionOf(command)).add(command);
        }
        return partitions;
    }
}
