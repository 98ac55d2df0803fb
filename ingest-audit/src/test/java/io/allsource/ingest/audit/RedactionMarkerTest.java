package io.allsource.ingest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.store.RedactionMarker;
import org.junit.jupiter.api.Test;

/** The audit's copy of the redaction marker (it does not depend on the worker) is the worker's. */
class RedactionMarkerTest {

    @Test
    void theAuditChecksErasedEventsForTheMarkerTheWorkerWrites() {
        assertThat(StoreInvariants.REDACTED_PAYLOAD).isEqualTo(RedactionMarker.PAYLOAD);
        assertThat(StoreInvariants.REDACTED_ENTITY_ID).isEqualTo(RedactionMarker.ENTITY_ID);
    }
}
