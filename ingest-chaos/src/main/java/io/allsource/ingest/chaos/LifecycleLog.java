package io.allsource.ingest.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load's record of its deletes and erases, and of every fresh append it sent to a stream after a delete of that
 * stream had been sent (same key, same producer: the append lands at a later offset of the same partition). The
 * end-of-run checks ({@link LifecycleChecks}) judge them against what the database and the events topic hold.
 * Thread-safe (the generator writes, the checks read once the load has stopped).
 */
final class LifecycleLog {

    /** A delete or erase the load sent. */
    record Operation(String commandId, String kind, String streamId) {
    }

    /** A fresh append to {@code streamId} sent after the deletes {@code deletesBefore} of it. */
    record AppendAfterDelete(String commandId, String streamId, List<String> deletesBefore) {
    }

    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, List<String>> deletesByStream = new HashMap<>();
    private final List<AppendAfterDelete> appendsAfterDelete = new ArrayList<>();

    synchronized void operation(String commandId, String kind, String streamId) {
        operations.add(new Operation(commandId, kind, streamId));
        if (kind.equals("DELETE")) {
            deletesByStream.computeIfAbsent(streamId, id -> new ArrayList<>()).add(commandId);
        }
    }

    /** Notes a fresh single-stream append, kept when a delete of its stream was sent before it. */
    synchronized void append(String commandId, String streamId) {
        List<String> deletes = deletesByStream.get(streamId);
        if (deletes != null) {
            appendsAfterDelete.add(new AppendAfterDelete(commandId, streamId, List.copyOf(deletes)));
        }
    }

    synchronized boolean deleteSent(String streamId) {
        return deletesByStream.containsKey(streamId);
    }

    synchronized List<String> deletedStreams() {
        return List.copyOf(deletesByStream.keySet());
    }

    synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    synchronized List<AppendAfterDelete> appendsAfterDelete() {
        return List.copyOf(appendsAfterDelete);
    }
}
