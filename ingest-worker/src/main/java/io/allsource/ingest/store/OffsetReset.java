package io.allsource.ingest.store;

import java.time.Instant;

/**
 * One recorded move of a partition's stored next offset by an operator.
 *
 * @param resetId     the row's id; outcomes of the log it left behind are marked {@code superseded_by} it, and when
 *                    there were any, the new log's records without a usable command id are keyed with it
 *                    ({@link io.allsource.ingest.command.FallbackKey})
 * @param partition   the partition
 * @param fromOffset  the stored next offset before
 * @param toOffset    the stored next offset after: where the worker resumes
 * @param fromTopicId the topic id the offsets belonged to before, or null when none was stored
 * @param topicId     the topic id they belong to now
 * @param operator    who moved it
 * @param host        from which host
 * @param reason      why
 * @param resetAt     when (database time)
 */
public record OffsetReset(long resetId, int partition, long fromOffset, long toOffset, String fromTopicId,
        String topicId, String operator, String host, String reason, Instant resetAt) {
}
