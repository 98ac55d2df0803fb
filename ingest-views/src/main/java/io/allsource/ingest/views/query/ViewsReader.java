package io.allsource.ingest.views.query;

import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The four queries of the live views. Implemented over this instance's stores ({@link LocalViews}), over all instances
 * ({@link ViewsQueries}, which asks the owner of each key) and over HTTP ({@link ViewsHttpClient}). Every method may
 * throw {@link io.allsource.ingest.views.ViewsUnavailableException} when it cannot answer now (starting, rebalancing,
 * an instance not answering); asking again a moment later is the remedy.
 */
public interface ViewsReader {

    /** The stream's catalogue entry, or empty when no event of it has been seen. */
    Optional<StreamSummary> stream(String streamId);

    /** The statistics of every partition with at least one event seen, by partition number. */
    List<PartitionStatistics> partitions();

    /** The statistics of one partition, or empty when no event of it has been seen. */
    Optional<PartitionStatistics> partition(int partition);

    /** The tenant's one-minute windows overlapping [{@code from}, {@code to}), with counts by event type. */
    TenantCountsView tenantCounts(String tenant, Instant from, Instant to);
}
