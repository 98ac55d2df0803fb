package io.allsource.ingest.batch;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the database holds about the keys of a prepared batch, read in the batch's transaction.
 *
 * @param storedResults the stored result of each result key that has one, with its content fingerprint
 * @param takenEventIds the event ids of the batch that already belong to stored events
 * @param streams       the state of each stream of the batch that exists; a stream absent here does not exist
 */
public record KnownState(Map<String, StoredResult> storedResults, Set<UUID> takenEventIds,
        Map<String, StreamState> streams) {

    public KnownState {
        storedResults = Map.copyOf(storedResults);
        takenEventIds = Set.copyOf(takenEventIds);
        streams = Map.copyOf(streams);
    }
}
