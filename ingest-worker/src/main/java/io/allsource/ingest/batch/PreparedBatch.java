package io.allsource.ingest.batch;

import io.allsource.ingest.command.StreamAppend;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The commands of a batch after the checks that need no I/O, and the keys the store must look up for them. */
public record PreparedBatch(List<PreparedCommand> commands) {

    public PreparedBatch {
        commands = List.copyOf(commands);
    }

    /** Keys that may already have a stored result: those of readable commands. */
    public Set<String> resultKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (PreparedCommand command : commands) {
            if (!(command instanceof PreparedCommand.Unreadable)) {
                keys.add(command.resultKey());
            }
        }
        return keys;
    }

    public Set<UUID> eventIds() {
        Set<UUID> ids = new LinkedHashSet<>();
        for (PreparedCommand command : commands) {
            if (command instanceof PreparedCommand.Valid valid) {
                ids.addAll(valid.eventIds());
            }
        }
        return ids;
    }

    public Set<String> streamIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (PreparedCommand command : commands) {
            if (command instanceof PreparedCommand.Valid valid) {
                for (StreamAppend append : valid.entry().command().targets()) {
                    ids.add(append.streamId());
                }
            }
        }
        return ids;
    }
}
