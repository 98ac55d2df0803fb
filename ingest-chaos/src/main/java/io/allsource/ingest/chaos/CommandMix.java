package io.allsource.ingest.chaos;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The commands of the soak's load, with conflicts in them: appends with no check, exact versions from the generator's
 * own belief of each stream (which goes stale whenever a command it counted on is rejected), exact versions it knows
 * are stale, NO_STREAM on new and on existing streams, STREAM_EXISTS, atomic appends to two or three streams of one
 * partition key, a few batches of 20 to 50 events, resends of earlier commands (same id: the stored outcome must
 * come back, flagged duplicate), and deletes and erases of single streams with the EXACT version it believes (1% each),
 * with appends to streams it sent a delete for (2%, each to be refused {@code STREAM_DELETED} once the delete was
 * accepted), recorded in its {@link LifecycleLog}. Not thread-safe: one generator thread.
 */
final class CommandMix {

    private static final int STREAMS = 2_000;
    private static final int GROUPS = 200;
    private static final int RECENT = 1_000;

    private final Random random;
    private final Map<String, Long> believed = new HashMap<>();
    private final List<AppendCommand> recent = new ArrayList<>();
    private final LifecycleLog lifecycle = new LifecycleLog();
    private int newStreams;

    CommandMix(Random random) {
        this.random = random;
    }

    /** The deletes and erases sent, and the appends sent after a delete. */
    LifecycleLog lifecycle() {
        return lifecycle;
    }

    /** The next command; its key is the partition key or its first stream. */
    AppendCommand next() {
        int roll = random.nextInt(100);
        AppendCommand command;
        List<String> deleted = lifecycle.deletedStreams();
        if (roll < 2 && !recent.isEmpty()) {
            return earlier().orElseThrow();
        } else if (roll < 4 && !deleted.isEmpty()) {
            command = single(deleted.get(random.nextInt(deleted.size())), ExpectedVersionKind.ANY, 0, 1);
        } else if (roll < 45) {
            command = single(stream(), ExpectedVersionKind.ANY, 0, 1 + random.nextInt(3));
        } else if (roll < 60) {
            String stream = stream();
            command = single(stream, ExpectedVersionKind.EXACT, believed.getOrDefault(stream, 0L), 1);
        } else if (roll < 66) {
            String stream = stream();
            long stale = Math.max(0, believed.getOrDefault(stream, 0L) + (random.nextBoolean() ? 1 : -1));
            command = single(stream, ExpectedVersionKind.EXACT, stale, 1);
        } else if (roll < 76) {
            String stream = random.nextBoolean() ? "chaos-new-" + newStreams++ : stream();
            command = single(stream, ExpectedVersionKind.NO_STREAM, 0, 1);
        } else if (roll < 81) {
            command = single(stream(), ExpectedVersionKind.STREAM_EXISTS, 0, 1);
        } else if (roll < 95) {
            command = multiStream();
        } else if (roll < 97) {
            command = operation(roll == 95 ? StreamOperationKind.ERASE : StreamOperationKind.DELETE);
        } else {
            command = single(stream(), ExpectedVersionKind.ANY, 0, 20 + random.nextInt(31));
        }
        remember(command);
        return command;
    }

    private String stream() {
        return "chaos-" + random.nextInt(STREAMS);
    }

    private AppendCommand single(String stream, ExpectedVersionKind kind, long version, int events) {
        AppendCommand command = command(null, List.of(append(stream, kind, version, events)));
        lifecycle.append(command.getCommandId(), stream);
        return command;
    }

    /** A delete or erase of a single stream (never a group's: they would refuse every later group command). */
    private AppendCommand operation(StreamOperationKind kind) {
        String stream = stream();
        for (int draw = 0; draw < 5 && believed.getOrDefault(stream, 0L) == 0; draw++) {
            stream = stream(); // mostly streams that hold events: a stream without is refused STREAM_NOT_FOUND
        }
        AppendCommand command = AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                .setTenantId("chaos").setAppends(List.of()).setIssuedAt(Instant.now())
                .setStreamOperation(new StreamOperation(stream, kind,
                        new ExpectedVersion(ExpectedVersionKind.EXACT, believed.getOrDefault(stream, 0L))))
                .build();
        lifecycle.operation(command.getCommandId(), kind.name(), stream);
        return command;
    }

    private AppendCommand multiStream() {
        String group = "group-" + random.nextInt(GROUPS);
        List<StreamAppend> appends = new ArrayList<>();
        int streams = 2 + random.nextInt(2);
        for (int i = 0; i < streams; i++) {
            String stream = group + "-" + i;
            boolean exact = random.nextInt(4) == 0;
            appends.add(append(stream, exact ? ExpectedVersionKind.EXACT : ExpectedVersionKind.ANY,
                    exact ? believed.getOrDefault(stream, 0L) : 0, 1 + random.nextInt(2)));
        }
        return command(group, appends);
    }

    private StreamAppend append(String stream, ExpectedVersionKind kind, long version, int events) {
        List<NewEvent> newEvents = new ArrayList<>(events);
        long base = believed.getOrDefault(stream, 0L);
        for (int i = 0; i < events; i++) {
            newEvents.add(new NewEvent(null, "ChaosHappened", stream,
                    "{\"n\": " + (base + i + 1) + ", \"r\": " + random.nextInt(1_000_000) + "}",
                    Map.of("load", "chaos")));
        }
        return new StreamAppend(stream, new ExpectedVersion(kind, version), newEvents);
    }

    private static AppendCommand command(String partitionKey, List<StreamAppend> appends) {
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("chaos")
                .setPartitionKey(partitionKey).setAppends(appends).setIssuedAt(Instant.now()).build();
    }

    /** Counts the command's events into the belief as if it will be accepted, and keeps it for a resend. */
    private void remember(AppendCommand command) {
        for (StreamAppend append : command.getAppends()) { // none for a delete or erase: it writes no event
            believed.merge(append.getStreamId(), (long) append.getEvents().size(), Long::sum);
        }
        if (recent.size() < RECENT) {
            recent.add(command);
        } else {
            recent.set(random.nextInt(RECENT), command);
        }
    }

    /** One of the last thousand or so commands, drawn at random; empty before the first. */
    Optional<AppendCommand> earlier() {
        return recent.isEmpty() ? Optional.empty() : Optional.of(recent.get(random.nextInt(recent.size())));
    }

    /** The record key of a command: its partition key, else its first stream (its stream, for a delete or erase). */
    static String key(AppendCommand command) {
        if (command.getPartitionKey() != null) {
            return command.getPartitionKey();
        }
        return command.getStreamOperation() != null ? command.getStreamOperation().getStreamId()
                : command.getAppends().get(0).getStreamId();
    }
}
