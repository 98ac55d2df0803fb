package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Commands that exercise what a sink must carry: several versions per stream, multi-stream appends under one
 * partition key, metadata, JSON payloads with escapes and non-ASCII text, explicit and derived event ids, and one
 * rejected command whose event must never reach a sink.
 */
final class EventWorkload {

    static final String TENANT = "tenant-connect-it";
    private static final long RESULT_WAIT_SECONDS = 90;

    private EventWorkload() {
    }

    /**
     * What the pipeline committed.
     *
     * @param lastVersions    every stream written, with its last committed version
     * @param eventCount      the events committed
     * @param explicitIds     event ids chosen by the sender, all committed
     * @param rejectedEventId the id of the one event of the rejected command
     */
    record Committed(Map<String, Long> lastVersions, int eventCount, Set<UUID> explicitIds, UUID rejectedEventId) {
    }

    /** Sends the commands in three rounds over {@code streams} streams (plus child streams) and awaits every result. */
    static Committed run(IngestClient client, int streams) {
        String prefix = "sink-" + UUID.randomUUID() + "-";
        List<UUID> explicitIds = new ArrayList<>();
        List<CommandResult> accepted = new ArrayList<>();
        accepted.addAll(round(client, streams, i -> {
            UUID id = UUID.randomUUID();
            explicitIds.add(id);
            String stream = prefix + i;
            return Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                    .eventWithId(id, "Opened", stream, "{\"opened\":true,\"by\":\"Zoë \\\"Z\\\" Ünal\",\"n\":" + i + "}")
                    .metadata("trace", "trace-" + i).metadata("größe", "a, b = {c}")
                    .event("Named", stream, "{\"name\":\"line\\nbreak, comma\",\"tags\":[1,2.5,null,true],"
                            + "\"nested\":{\"z\":1,\"a\":[{}]}}"));
        }));
        accepted.addAll(round(client, streams, i -> Command.of(TENANT)
                .append(Append.to(prefix + i).expectingVersion(2).event("Changed", prefix + i, "{\"round\":2}"))));
        accepted.addAll(round(client, streams / 2, i -> Command.of(TENANT).partitionKey(prefix + i)
                .append(Append.to(prefix + i).expectingVersion(3).event("Linked", prefix + i, "[\"child\"]"))
                .append(Append.to(prefix + i + "-child").expectingNoStream()
                        .event("ChildOpened", prefix + i, "\"✓\"").metadata("parent", prefix + i)
                        .event("ChildClosed", prefix + i, "null"))));
        UUID rejectedEventId = UUID.randomUUID();
        CommandResult rejected = await(client.append(Command.of(TENANT).append(Append.to(prefix + 0)
                .expectingNoStream().eventWithId(rejectedEventId, "Opened", prefix + 0, "{}"))));
        assertThat(rejected.getReason()).as("the resent NO_STREAM append").isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        return committed(accepted, Set.copyOf(explicitIds), rejectedEventId);
    }

    private static List<CommandResult> round(IngestClient client, int count, IntFunction<Command> command) {
        List<CompletableFuture<CommandResult>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(client.append(command.apply(i)));
        }
        List<CommandResult> results = sent.stream().map(EventWorkload::await).toList();
        assertThat(results).allSatisfy(result -> assertThat(result.getStatus())
                .as("result of %s: %s", result.getCommandId(), result.getMessage()).isEqualTo(CommandStatus.ACCEPTED));
        return results;
    }

    private static Committed committed(List<CommandResult> accepted, Set<UUID> explicitIds, UUID rejectedEventId) {
        Map<String, Long> lastVersions = new HashMap<>();
        int events = 0;
        for (CommandResult result : accepted) {
            for (StreamOutcome outcome : result.getStreams()) {
                lastVersions.merge(outcome.getStreamId(), outcome.getLastVersion(), Math::max);
                events += (int) (outcome.getLastVersion() - outcome.getFirstVersion() + 1);
            }
        }
        return new Committed(Map.copyOf(lastVersions), events, explicitIds, rejectedEventId);
    }

    private static CommandResult await(CompletableFuture<CommandResult> future) {
        return future.orTimeout(RESULT_WAIT_SECONDS, TimeUnit.SECONDS).join();
    }
}
