package io.allsource.ingest.batch;

/**
 * Where a command's result goes, from the headers of its record: a reply topic and partition, else the default results
 * topic; and a correlation id to copy onto the result. Kept with the stored result so that a republished result takes
 * the same route.
 *
 * @param topic         the {@code ingest-reply-topic} header, or {@code null}
 * @param partition     the {@code ingest-reply-partition} header, or {@code null}
 * @param correlationId the {@code ingest-correlation-id} header, or {@code null}
 */
public record ReplyRoute(String topic, Integer partition, String correlationId) {

    /** No headers: the default results topic, at the command's partition number, no correlation id. */
    public static final ReplyRoute DEFAULT = new ReplyRoute(null, null, null);
}
