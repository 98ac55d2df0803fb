package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.CommandHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The load generator's history: every command the broker acknowledged, with its partition. Thread-safe (the
 * producer's callbacks add, the audit reads once the load has stopped).
 */
final class SentLog implements CommandHistory {

    private final List<SentCommand> sent = new ArrayList<>();

    synchronized void add(String commandId, int partition) {
        sent.add(new SentCommand(commandId, partition));
    }

    @Override
    public synchronized long size() {
        return sent.size();
    }

    @Override
    public synchronized void forEach(Consumer<SentCommand> action) {
        sent.forEach(action);
    }
}
