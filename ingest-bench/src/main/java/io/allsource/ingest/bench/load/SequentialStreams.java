package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;

/**
 * Commands round-robin over many streams, {@code eventsPerCommand} events each: the first pass creates every stream
 * (NO_STREAM), later passes expect the exact version the previous pass left. Since the generator is each stream's only
 * writer and one stream's commands reach the worker in order, none of them conflicts. Not thread-safe: one sender.
 */
final class SequentialStreams implements CommandGenerator {

    private final String prefix;
    private final int streams;
    private final int eventsPerCommand;
    private long sent;

    SequentialStreams(String prefix, int streams, int eventsPerCommand) {
        if (streams <= 0 || eventsPerCommand <= 0) {
            throw new IllegalArgumentException("streams and eventsPerCommand must be positive");
        }
        this.prefix = prefix;
        this.streams = streams;
        this.eventsPerCommand = eventsPerCommand;
    }

    @Override
    public AppendCommand next() {
        long command = sent++;
        String stream = prefix + (command % streams);
        Append append = CommandGenerator.expecting(Append.to(stream), command / streams * eventsPerCommand);
        for (int event = 0; event < eventsPerCommand; event++) {
            append.event("ItemAdded", stream, CommandGenerator.payload(command, event));
        }
        return Command.of(TENANT).append(append).build();
    }
}
