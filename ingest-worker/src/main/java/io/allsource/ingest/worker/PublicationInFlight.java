package io.allsource.ingest.worker;

import io.allsource.ingest.publish.Publication;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.trace.Spans;
import java.util.List;

/**
 * A committed batch of a partition handed to the producer, and the progress the partition makes once the broker has
 * acknowledged it.
 *
 * @param span    the batch's {@value Spans#PUBLISH} span, ended when the broker has answered
 * @param results the batch's results, whose trace ids the lines about the publication carry
 */
record PublicationInFlight(Publication publication, Progress after, Spans.Span span, List<RoutedResult> results) {

    /** A publication without a span, whose lines carry no trace ids. */
    PublicationInFlight(Publication publication, Progress after) {
        this(publication, after, Spans.Span.NONE, List.of());
    }
}
