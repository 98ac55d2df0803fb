package io.allsource.ingest.client.command;

import static io.allsource.ingest.client.command.Arguments.requirePresent;
import static io.allsource.ingest.client.command.Arguments.requireText;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.contract.TraceContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds an {@link AppendCommand}: {@code Command.of("tenant-1").append(Append.to("order-42").event(...)).build()}.
 * The appends are applied atomically, all or nothing; they must all live in one partition, which the partition key
 * (default: the first append's stream id) chooses.
 *
 * <p>Unless {@link #commandId(UUID)} names one, every {@link #build()} gives the command a new random id: each build is
 * a new command. To resend a command after a timeout, keep what {@code build()} returned and resend that.
 *
 * <p>Not thread-safe: build on one thread, then share what it built.
 */
public final class Command {

    private final String tenantId;
    private String commandId;
    private String partitionKey;
    private TraceContext traceContext;
    private final List<Append> appends = new ArrayList<>();

    private Command(String tenantId) {
        this.tenantId = tenantId;
    }

    /** A command for the tenant {@code tenantId}, which must not be empty. */
    public static Command of(String tenantId) {
        return new Command(requireText(tenantId, "tenant_id"));
    }

    /** Gives the command this id instead of a random one, so that building it again makes the same command. */
    public Command commandId(UUID id) {
        this.commandId = requirePresent(id, "command_id").toString();
        return this;
    }

    /**
     * Places the command and all its streams by {@code key} rather than by the first append's stream id; {@code null}
     * goes back to that default.
     */
    public Command partitionKey(String key) {
        this.partitionKey = key == null ? null : requireText(key, "partition_key");
        return this;
    }

    /**
     * Sends the command with this W3C trace context: the {@code traceparent} and {@code tracestate} headers, which the
     * worker copies onto its result and events. A malformed {@code traceparent} (or a null one) sends none, and a
     * malformed {@code tracestate} is left out, as the worker would drop them: tracing never fails an append. See
     * {@link TraceContext}. Used by {@code IngestClient.append(Command)}; {@link #build()} holds no headers.
     */
    public Command traceContext(String traceparent, String tracestate) {
        this.traceContext = TraceContext.parse(traceparent, tracestate).orElse(null);
        return this;
    }

    /** The trace context the command is sent with, if it has one. */
    public Optional<TraceContext> traceContext() {
        return Optional.ofNullable(traceContext);
    }

    /** Adds {@code append}; the appends are applied in the order they were added. */
    public Command append(Append append) {
        appends.add(requirePresent(append, "append"));
        return this;
    }

    /**
     * The command, issued now (to the millisecond, the contract's precision).
     *
     * @throws IllegalArgumentException when there is no append, or an append has no event
     */
    public AppendCommand build() {
        if (appends.isEmpty()) {
            throw new IllegalArgumentException("appends must hold at least one append: add one with append(...)");
        }
        List<StreamAppend> streamAppends = new ArrayList<>(appends.size());
        for (Append append : appends) {
            streamAppends.add(append.toStreamAppend());
        }
        return AppendCommand.newBuilder()
                .setCommandId(commandId != null ? commandId : UUID.randomUUID().toString())
                .setTenantId(tenantId)
                .setPartitionKey(partitionKey)
                .setAppends(streamAppends)
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
