package io.allsource.ingest.cli;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.contract.TraceContext;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Sends one command and prints its result: exit status 0 accepted, 2 rejected, 1 error. */
@picocli.CommandLine.Command(name = "append", description = "Append events to one or more streams and print the result;"
        + " exit status 0 accepted, 2 rejected, 1 error. Repeat the --stream group for a multi-stream append.")
final class AppendSubcommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<StreamGroup> streams;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = "default", description = "Tenant of the events")
    String tenant;

    @Option(names = "--partition-key", paramLabel = "K", description = "Partition key (default: the first stream)")
    String partitionKey;

    @Option(names = "--command-id", paramLabel = "ID", description = "Command id (default: a new UUID); resend one"
            + " to see idempotency")
    String commandId;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "30", description = "How long to wait")
    long timeoutSeconds;

    @Option(names = "--traceparent", paramLabel = "00-TRACEID-SPANID-FLAGS", description = "W3C traceparent header"
            + " to send the command with; its result and events carry it")
    String traceparent;

    @Option(names = "--tracestate", paramLabel = "K=V[,K=V...]", description = "W3C tracestate header, with"
            + " --traceparent")
    String tracestate;

    @Spec
    CommandSpec spec;

    static final class StreamGroup {
        @Option(names = "--stream", required = true, paramLabel = "S", description = "Stream to append to")
        String stream;

        @Option(names = "--expect", defaultValue = "any", paramLabel = "any|no-stream|exists|N",
                description = "Expected version of the stream")
        String expect;

        @Option(names = "--type", required = true, paramLabel = "T", description = "Event type")
        String type;

        @Option(names = "--payload", required = true, paramLabel = "JSON", description = "Event payload (JSON)")
        String payload;

        @Option(names = "--entity", paramLabel = "E", description = "Entity id (default: the stream)")
        String entity;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (commandId != null) {
            IngestClient.commandIdViolation(commandId).ifPresent(violation -> {
                throw new UserError("--command-id: " + violation);
            });
        }
        TraceContext trace = traceContext();
        AppendCommand command = build();
        PrintWriter out = spec.commandLine().getOut();
        try (IngestClient client = ClientOptions.client(connection, Duration.ofSeconds(timeoutSeconds))) {
            CommandResult result = client.append(command, Duration.ofSeconds(timeoutSeconds), trace).get();
            print(result, out);
            return result.getStatus() == CommandStatus.ACCEPTED ? 0 : 2;
        } catch (ExecutionException e) {
            throw new UserError(e.getCause().getMessage());
        }
    }

    /** The trace context of --traceparent and --tracestate, or null; a malformed one is the user's to fix. */
    private TraceContext traceContext() {
        if (traceparent == null) {
            if (tracestate != null) {
                throw new UserError("--tracestate needs --traceparent");
            }
            return null;
        }
        TraceContext.traceparentViolation(traceparent).ifPresent(violation -> {
            throw new UserError("--traceparent: " + violation);
        });
        TraceContext trace = TraceContext.parse(traceparent, tracestate).orElseThrow();
        if (tracestate != null && !tracestate.isBlank() && trace.tracestate() == null) {
            throw new UserError("--tracestate '" + tracestate + "' is not a W3C tracestate list (key=value,"
                    + " comma-separated, at most " + TraceContext.MAX_TRACESTATE_MEMBERS + " members, keys distinct)");
        }
        return trace;
    }

    private AppendCommand build() {
        Command builder = Command.of(tenant);
        if (partitionKey != null) {
            builder.partitionKey(partitionKey);
        }
        for (StreamGroup group : streams) {
            Append append = expectation(Append.to(group.stream), group.expect)
                    .event(group.type, group.entity != null ? group.entity : group.stream, group.payload);
            builder.append(append);
        }
        AppendCommand command = builder.build();
        return commandId == null ? command : AppendCommand.newBuilder(command).setCommandId(commandId).build();
    }

    private static Append expectation(Append append, String expect) {
        switch (expect.toLowerCase(java.util.Locale.ROOT)) {
            case "any":
                return append.expectingAny();
            case "no-stream":
                return append.expectingNoStream();
            case "exists":
                return append.expectingStreamExists();
            default:
                try {
                    return append.expectingVersion(Long.parseLong(expect));
                } catch (NumberFormatException e) {
                    throw new UserError("--expect must be any, no-stream, exists or a version number, got '"
                            + expect + "'");
                }
        }
    }

    /** The precise reason of a rejection: its {@code reason_code}, or for a result without one its {@code reason}. */
    static String reasonOf(CommandResult result) {
        return result.getReasonCode() != null ? result.getReasonCode() : String.valueOf(result.getReason());
    }

    static void print(CommandResult result, PrintWriter out) {
        out.println(result.getStatus() + (result.getReason() == null ? "" : " " + reasonOf(result))
                + (result.getDuplicate() ? " (duplicate: the stored result of an earlier delivery)" : "")
                + "  command " + result.getCommandId() + "  partition " + result.getPartition() + " offset "
                + result.getOffset());
        if (result.getMessage() != null) {
            out.println("  " + result.getMessage());
        }
        for (StreamOutcome stream : result.getStreams()) {
            out.println("  stream " + stream.getStreamId() + ": version " + stream.getCurrentVersion()
                    + (stream.getFirstVersion() == null ? "" : " (wrote " + stream.getFirstVersion() + ".."
                            + stream.getLastVersion() + ")"));
        }
        out.println(result);
        out.flush();
    }
}
