package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.command.Append;

/**
 * Makes the commands of one workload, in the order they are sent. {@link #next()} is called by one sender thread;
 * {@link #observe} by the threads results arrive on, so implementations that learn from results must be thread-safe.
 */
public interface CommandGenerator {

    /** The tenant every benchmark command belongs to. */
    String TENANT = "bench";

    /** The next command to send. */
    AppendCommand next();

    /** Learns from a result (the contended workload expects the versions it has seen); by default nothing. */
    default void observe(CommandResult result) {
    }

    /** The events an accepted result wrote: the sum of its streams' new version ranges; 0 for a rejection. */
    static long eventsWritten(CommandResult result) {
        if (result.getStatus() != CommandStatus.ACCEPTED) {
            return 0;
        }
        long events = 0;
        for (StreamOutcome stream : result.getStreams()) {
            if (stream.getFirstVersion() != null && stream.getLastVersion() != null) {
                events += stream.getLastVersion() - stream.getFirstVersion() + 1;
            }
        }
        return events;
    }

    /** {@code append} expecting the stream to be at {@code version}: NO_STREAM for 0, else EXACT. */
    static Append expecting(Append append, long version) {
        return version == 0 ? append.expectingNoStream() : append.expectingVersion(version);
    }

    /** A small JSON payload, different for every event. */
    static String payload(long command, int event) {
        return "{\"command\": " + command + ", \"event\": " + event + ", \"amount\": " + (command * 7 % 1000)
                + ".5, \"currency\": \"EUR\"}";
    }
}
