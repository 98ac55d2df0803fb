package io.allsource.ingest.cli;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.VersionExpectation;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Sends one delete or erase of a stream and prints its result as {@code ingest append} prints one: exit status 0
 * accepted, 2 rejected (with its {@code reason_code} and message), 1 error. The options are checked before anything
 * connects.
 */
abstract class StreamOperationCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--stream", required = true, paramLabel = "S", description = "The stream")
    String stream;

    @Option(names = "--expect", required = true, paramLabel = "any|exists|N",
            description = "Expected version of the stream (as for append); a stale one is a CONCURRENCY_CONFLICT")
    String expect;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = "default", description = "Tenant of the stream")
    String tenant;

    @Option(names = "--partition-key", paramLabel = "K",
            description = "The partition key the stream was written with (default: the stream)")
    String partitionKey;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "30", description = "How long to wait")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    /** DELETE or ERASE. */
    abstract StreamOperationKind kind();

    @Override
    public Integer call() throws InterruptedException {
        AppendCommand command = IngestClient.streamOperation(tenant, stream, partitionKey, kind(),
                expectation(expect));
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (IngestClient client = ClientOptions.client(connection, timeout)) {
            CommandResult result = client.append(command, timeout).get();
            AppendSubcommand.print(result, spec.commandLine().getOut());
            return result.getStatus() == CommandStatus.ACCEPTED ? 0 : 2;
        } catch (ExecutionException e) {
            throw new UserError(e.getCause().getMessage());
        }
    }

    /**
     * The expected version of {@code --expect}: {@code any}, {@code exists} or a version number ({@code no-stream}
     * too, which a delete or erase can only fail).
     *
     * @throws UserError when it is none of these
     */
    static ExpectedVersion expectation(String expect) {
        switch (expect.toLowerCase(Locale.ROOT)) {
            case "any":
                return VersionExpectation.any().toExpectedVersion();
            case "no-stream":
                return VersionExpectation.noStream().toExpectedVersion();
            case "exists":
                return VersionExpectation.streamExists().toExpectedVersion();
            default:
                try {
                    return VersionExpectation.exact(Long.parseLong(expect)).toExpectedVersion();
                } catch (IllegalArgumentException e) {
                    throw new UserError("--expect must be any, exists or a version number (0 or more), got '"
                            + expect + "'");
                }
        }
    }

    /** {@code ingest delete}. */
    @Command(name = "delete", description = "Delete a stream for good: its events are erased, every later append is"
            + " refused (STREAM_DELETED) and the id is never used again. Prints the result; exit status 0 accepted,"
            + " 2 rejected, 1 error.")
    static final class Delete extends StreamOperationCommand {
        @Override
        StreamOperationKind kind() {
            return StreamOperationKind.DELETE;
        }
    }

    /** {@code ingest erase}. */
    @Command(name = "erase", description = "Erase a stream's events (GDPR): payload, metadata and entity id replaced by"
            + " the redaction marker, a redacted copy of each and a tombstone published; appends go on. Prints the"
            + " result; exit status 0 accepted, 2 rejected, 1 error.")
    static final class Erase extends StreamOperationCommand {
        @Override
        StreamOperationKind kind() {
            return StreamOperationKind.ERASE;
        }
    }
}
