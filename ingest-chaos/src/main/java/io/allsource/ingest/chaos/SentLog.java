package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.CommandHistory;
import io.allsource.ingest.command.FallbackKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The load generator's history: every command the broker acknowledged, with its partition, and every hostile record,
 * with its kind, partition and offset. As a {@link CommandHistory} it holds the commands only; {@link HostileOutcomes}
 * adds the hostile records for the audit. Thread-safe (the producer's callbacks add, the audit reads once the load has
 * stopped).
 */
final class SentLog implements CommandHistory {

    /** A hostile record the broker acknowledged, and where it landed. */
    record HostileSend(HostileKind kind, int partition, long offset) {

        /**
         * The key of the outcome of a record whose command id cannot be read, in a partition whose offsets no reset
         * has moved back: the soak never resets one.
         */
        String invalidKey() {
            return FallbackKey.of(partition, offset, FallbackKey.FIRST_LOG);
        }
    }

    private final List<SentCommand> sent = new ArrayList<>();
    private final List<HostileSend> hostile = new ArrayList<>();

    synchronized void add(String commandId, int partition) {
        sent.add(new SentCommand(commandId, partition));
    }

    synchronized void addHostile(HostileKind kind, int partition, long offset) {
        hostile.add(new HostileSend(kind, partition, offset));
    }

    /** Commands acknowledged, resends included; hostile records not. */
    @Override
    public synchronized long size() {
        return sent.size();
    }

    @Override
    public synchronized void forEach(Consumer<SentCommand> action) {
        sent.forEach(action);
    }

    synchronized List<HostileSend> hostile() {
        return List.copyOf(hostile);
    }

    /** Hostile records acknowledged, by kind (kinds never sent left out). */
    synchronized Map<HostileKind, Long> hostileByKind() {
        Map<HostileKind, Long> counts = new EnumMap<>(HostileKind.class);
        hostile.forEach(send -> counts.merge(send.kind(), 1L, Long::sum));
        return counts;
    }
}
