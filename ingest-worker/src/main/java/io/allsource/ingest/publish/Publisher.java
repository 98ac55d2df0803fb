package io.allsource.ingest.publish;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.command.StreamOutcome;
import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish step of the write path: what a batch committed goes out, each result to the route its command asked for
 * (else the results topic at the command's partition number, see {@link ResultRecords}), each event to the events
 * topic at its partition, with the {@code traceparent} and {@code tracestate} of the command that wrote it.
 * Publication is at least once: whatever was not acknowledged is published again from the database, with the same
 * headers. Also copies undecodable commands to the dead-letter topic. Thread-safe (the producer is shared).
 */
public final class Publisher {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final Producer<byte[], byte[]> producer;
    private final IngestTopics topics;
    private final ResultRecords results;
    private final Serializer<EventRecord> events;
    private final Duration ackTimeout;
    private final ErasedEvents erasedEvents;

    /**
     * @param results serializes results under the results topic's subject whatever topic they go to
     * @param events  serializes events under the events topic's subject
     */
    public Publisher(Producer<byte[], byte[]> producer, IngestTopics topics,
            Serializer<io.allsource.ingest.avro.CommandResult> results, Serializer<EventRecord> events,
            ReplyTopics replyTopics, Duration ackTimeout) {
        this(producer, topics, results, events, replyTopics, ackTimeout, ErasedEvents.NONE);
    }

    /**
     * @param results      serializes results under the results topic's subject whatever topic they go to
     * @param events       serializes events under the events topic's subject
     * @param erasedEvents reads the redacted events of a deleted or erased stream, for their redacted copies
     */
    public Publisher(Producer<byte[], byte[]> producer, IngestTopics topics,
            Serializer<io.allsource.ingest.avro.CommandResult> results, Serializer<EventRecord> events,
            ReplyTopics replyTopics, Duration ackTimeout, ErasedEvents erasedEvents) {
        this.producer = producer;
        this.topics = topics;
        this.results = new ResultRecords(topics, results, replyTopics);
        this.events = events;
        this.ackTimeout = ackTimeout;
        this.erasedEvents = erasedEvents;
    }

    /**
     * Publishes the results of deliveries of {@code partition} and then the events, in the order given, and waits
     * until the broker has acknowledged them all.
     *
     * @throws PublishException when any record was not acknowledged; some may have been published
     */
    public void publish(int partition, List<RoutedResult> routedResults, List<StoredEvent> storedEvents) {
        awaitAll(send(partition, routedResults, storedEvents));
    }

    /**
     * Hands the results and then the events of {@code partition} to the producer, in the order given, without waiting
     * for the broker; the returned publication tells when it has answered.
     *
     * @throws PublishException when a record could not even be handed over (serialization, a closed producer, the
     *                          cluster unable to tell whether a reply topic exists)
     */
    public Publication send(int partition, List<RoutedResult> routedResults, List<StoredEvent> storedEvents) {
        Publication publication = new Publication("partition " + partition, producer);
        try {
            for (RoutedResult result : routedResults) {
                ResultRecords.Routed routed = results.route(partition, result);
                publication.send(routed.record(), routed.fallback());
            }
            for (StoredEvent event : storedEvents) {
                sendEvent(publication, event);
            }
            for (RoutedResult result : routedResults) {
                if (result.result().publishesErasure()) {
                    sendErasure(publication, partition, result.result().streams().get(0));
                }
            }
        } catch (PublishException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PublishException("Publishing partition " + partition + " failed: " + e.getMessage(), e);
        }
        return publication;
    }

    private void sendEvent(Publication publication, StoredEvent event) {
        publication.send(EventRecords.of(topics.events(), event, events));
    }

    /**
     * The redacted copy of each erased event of the stream, then a tombstone under the stream's key, so that a sink
     * upserting by event id overwrites what it holds and a compacted copy of the topic drops the stream's records.
     * Published after the batch's events: a copy of the stream's event appended earlier in the batch comes after it.
     */
    private void sendErasure(Publication publication, int partition, StreamOutcome stream) {
        erasedEvents.forEach(stream.streamId(), stream.currentVersion(), event -> sendEvent(publication, event));
        publication.send(new ProducerRecord<>(topics.events(), partition,
                stream.streamId().getBytes(StandardCharsets.UTF_8), null));
    }

    /**
     * Copies undecodable commands to the dead-letter topic and waits for the broker's acknowledgement. A copy the
     * broker refuses for good is sent again without its value (the headers still say where the original is); if
     * even that is refused, the copy is given up with an error in the log: the record is still answered, and it is
     * still in the commands topic.
     *
     * @throws PublishException when the broker did not acknowledge a copy for a reason that may pass
     */
    public void sendDeadLetters(List<ProducerRecord<byte[], byte[]>> deadLetters) {
        Publication all = new Publication("the dead-letter topic", producer);
        deadLetters.forEach(all::send);
        try {
            awaitAll(all);
        } catch (PublishException e) {
            if (FailureClassifier.classify(e) != FailureKind.PERMANENT_FOR_RECORD) {
                throw e; // an outage, or the dead-letter topic itself refused (not authorized): not a copy's fault
            }
            // Some copy was refused for good: find which, one at a time (copies sent twice are harmless).
            deadLetters.forEach(this::sendDeadLetter);
        }
    }

    private void sendDeadLetter(ProducerRecord<byte[], byte[]> record) {
        ProducerRecord<byte[], byte[]> copy = record;
        for (int attempt = 1; copy != null; attempt++) {
            try {
                awaitAll(handOver("the dead-letter topic", copy));
                copy = null;
            } catch (PublishException e) {
                if (FailureClassifier.classify(e) != FailureKind.PERMANENT_FOR_RECORD) {
                    throw e;
                }
                copy = attempt == 1 ? withoutValue(record) : null;
                if (copy == null) {
                    log.error("The dead-letter copy of {} was refused even without its value; giving it up: {}",
                            source(record), e.getMessage());
                } else {
                    log.warn("The dead-letter copy of {} was refused ({}); sending it without its value",
                            source(record), e.getMessage());
                }
            }
        }
    }

    private Publication handOver(String what, ProducerRecord<byte[], byte[]> record) {
        Publication publication = new Publication(what, producer);
        publication.send(record);
        return publication;
    }

    private static ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> record) {
        Headers headers = new RecordHeaders();
        for (String name : List.of(IngestHeaders.ERROR, IngestHeaders.SOURCE_PARTITION, IngestHeaders.SOURCE_OFFSET,
                IngestHeaders.ORIGINAL_SIZE, IngestHeaders.ORIGINAL_SHA256)) {
            Header header = record.headers().lastHeader(name);
            if (header != null) {
                headers.add(header);
            }
        }
        if (headers.lastHeader(IngestHeaders.ORIGINAL_SIZE) == null) {
            headers.add(IngestHeaders.ORIGINAL_SIZE, Integer.toString(record.value() == null ? 0
                    : record.value().length).getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<byte[], byte[]>(record.topic(), record.partition(), (byte[]) null, null, headers);
    }

    private static String source(ProducerRecord<byte[], byte[]> record) {
        Header partition = record.headers().lastHeader(IngestHeaders.SOURCE_PARTITION);
        Header offset = record.headers().lastHeader(IngestHeaders.SOURCE_OFFSET);
        return "commands record " + (partition == null ? "?" : new String(partition.value(), StandardCharsets.UTF_8))
                + ":" + (offset == null ? "?" : new String(offset.value(), StandardCharsets.UTF_8));
    }

    /** Waits for the broker's answer to every record of {@code publication}, at most the acknowledgement timeout. */
    public void awaitAll(Publication publication) {
        publication.await(ackTimeout);
    }
}
