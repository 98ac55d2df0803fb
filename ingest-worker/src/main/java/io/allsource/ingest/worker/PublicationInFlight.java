package io.allsource.ingest.worker;

import io.allsource.ingest.publish.Publication;
import io.allsource.ingest.store.Progress;

/**
 * A committed batch of a partition handed to the producer, and the progress the partition makes once the broker has
 * acknowledged it.
 */
record PublicationInFlight(Publication publication, Progress after) {
}
