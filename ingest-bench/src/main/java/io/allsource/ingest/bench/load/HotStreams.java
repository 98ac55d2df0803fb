package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Commands round-robin over a few hot streams, each expecting the exact version last seen in a result for its stream,
 * as many writers of one aggregate would: while several commands of one stream are in flight, all but the first are
 * rejected with {@code CONCURRENCY_CONFLICT}. Thread-safe: one sender, results observed on any thread.
 */
final class HotStreams implements CommandGenerator {

    private final String prefix;
    private final AtomicLongArray known;
    private long sent;

    HotStreams(String prefix, int streams) {
        if (streams <= 0) {
            throw new IllegalArgumentException("streams must be positive");
        }
        this.prefix = prefix;
        this.known = new AtomicLongArray(streams);
    }

    @Override
    public AppendCommand next() {
        long command = sent++;
        int index = (int) (command % known.length());
        String stream = prefix + index;
        return Command.of(TENANT).append(CommandGenerator.expecting(Append.to(stream), known.get(index))
                .event("CounterChanged", stream, CommandGenerator.payload(command, 0))).build();
    }

    @Override
    public void observe(CommandResult result) {
        for (StreamOutcome stream : result.getStreams()) {
            String id = stream.getStreamId();
            if (!id.startsWith(prefix)) {
                continue;
            }
            int index = Integer.parseInt(id.substring(prefix.length()));
            long seen = stream.getLastVersion() != null ? stream.getLastVersion() : stream.getCurrentVersion();
            known.accumulateAndGet(index, seen, Math::max);
        }
    }
}
