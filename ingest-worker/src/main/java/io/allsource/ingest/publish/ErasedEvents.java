package io.allsource.ingest.publish;

import io.allsource.ingest.store.StoredEvent;
import java.util.function.Consumer;

/**
 * Reads the stored (redacted) events of an erased stream for their redacted copies, in version order and in chunks,
 * so that an erase never holds all its events in memory at once. Implementations read the store; thread-safe.
 */
@FunctionalInterface
public interface ErasedEvents {

    /**
     * Hands each stored event of {@code streamId} with a version from 1 to {@code throughVersion} to {@code each}, in
     * version order.
     */
    void forEach(String streamId, long throughVersion, Consumer<StoredEvent> each);

    /** For a publisher that never sees a delete or erase: refuses to publish one. */
    ErasedEvents NONE = (streamId, throughVersion, each) -> {
        throw new IllegalStateException("This publisher was built without a source of erased events; it cannot"
                + " publish the erasure of stream " + streamId);
    };
}
