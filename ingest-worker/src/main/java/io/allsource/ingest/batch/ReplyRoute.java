package io.allsource.ingest.batch;

/**
 * Where a command's result goes, from the headers of its record: a reply topic and partition, else the default results
 * topic; and a correlation id to copy onto the result. Kept with the stored result so that a republished result takes
 * the same route.
 *
 * @param topic         the {@code ingest-reply-topic} header, or {@code null}
 * @param partition     the {@code ingest-reply-partition} header, or {@code null}
 * @param correlationId the {@code ingest-correlation-id} header, or {@code null}
 * @param key           the command record's key (UTF-8), which the result record carries too, or {@code null}
 */
public record ReplyRoute(String topic, Integer partition, String correlationId, String key) {

    /** No headers and no key: the default results topic, at the command's partition number. */
    public static final ReplyRoute DEFAULT = new ReplyRoute(null, null, null, null);
}
