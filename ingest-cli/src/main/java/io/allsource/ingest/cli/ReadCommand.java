package io.allsource.ingest.cli;

import io.allsource.ingest.publish.AvroRecords;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.store.StoredEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints a stream's or a partition's events from PostgreSQL, one JSON line each on standard output. For a stream that
 * was deleted or erased, one line on standard error says so first ({@code stream 'S' was deleted at version 3; ...},
 * {@code stream 'S' is at version 5; versions 1 to 3 are erased}), so that the JSON lines stay alone on standard
 * output; the erased events are printed as stored, with the redaction marker and {@code "erased": true}.
 */
@Command(name = "read", description = "Print a stream's or a partition's events from PostgreSQL as JSON lines")
final class ReadCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--from-version", paramLabel = "N", defaultValue = "1", description = "First version (--stream)")
    long fromVersion;

    @Option(names = "--from-sequence", paramLabel = "N", defaultValue = "1",
            description = "First partition sequence (--partition)")
    long fromSequence;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "Most events to print")
    int limit;

    @Spec
    CommandSpec spec;

    static final class Target {
        @Option(names = "--stream", paramLabel = "STREAM", required = true, description = "The stream to read")
        String stream;

        @Option(names = "--partition", paramLabel = "P", required = true, description = "The partition to read")
        Integer partition;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = connection.openDatabase()) {
            EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
            if (target.stream != null) {
                store.streamStatus(target.stream).filter(status -> status.deleted()
                        || status.erasedThroughVersion() != null).ifPresent(status -> {
                            PrintWriter err = spec.commandLine().getErr();
                            err.println(status.describe());
                            err.flush();
                        });
            }
            List<StoredEvent> events = target.stream != null
                    ? store.readStream(target.stream, fromVersion, limit)
                    : store.readPartition(target.partition, fromSequence, limit);
            events.forEach(event -> out.println(AvroRecords.toAvro(event)));
            out.flush();
            return 0;
        }
    }
}
