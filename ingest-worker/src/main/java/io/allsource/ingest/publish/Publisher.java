package io.allsource.ingest.publish;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.batch.ReplyRoute;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes what a batch committed: each result to the route its command asked for (else the results topic at the
 * command's partition number), each event to the events topic at its partition, and waits until the broker has
 * acknowledged every record. Publication is at least once: whatever was not acknowledged is published again from the
 * database. Thread-safe (the producer is shared).
 */
public final class Publisher {

    private final Producer<byte[], byte[]> producer;
    private final IngestTopics topics;
    private final Serializer<io.allsource.ingest.avro.CommandResult> results;
    private final Serializer<EventRecord> events;
    private final ReplyTopics replyTopics;
    private final Duration ackTimeout;

    /**
     * @param results serializes results under the results topic's subject whatever topic they go to
     * @param events  serializes events under the events topic's subject
     */
    public Publisher(Producer<byte[], byte[]> producer, IngestTopics topics,
            Serializer<io.allsource.ingest.avro.CommandResult> results, Serializer<EventRecord> events,
            ReplyTopics replyTopics, Duration ackTimeout) {
        this.producer = producer;
        this.topics = topics;
        this.results = results;
        this.events = events;
        this.replyTopics = replyTopics;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Publishes the results of deliveries of {@code partition} and then the events, in the order given, and waits
     * until the broker has acknowledged them all.
     *
     * @throws PublishException when any record was not acknowledged; some may have been published
     */
    public void publish(int partition, List<RoutedResult> routedResults, List<StoredEvent> storedEvents) {
        Publication publication = send(partition, routedResults, storedEvents);
        awaitAll(publication, "partition " + partition);
    }

    /**
     * Hands the results and then the events of {@code partition} to the producer, in the order given, without waiting
     * for the broker; the returned publication tells when it has answered.
     *
     * @throws PublishException when a record could not even be handed over (serialization, a closed producer)
     */
    public Publication send(int partition, List<RoutedResult> routedResults, List<StoredEvent> storedEvents) {
        Publication publication = new Publication("partition " + partition);
        try {
            for (RoutedResult result : routedResults) {
                publication.send(producer, resultRecord(partition, result));
            }
            for (StoredEvent event : storedEvents) {
                byte[] value = events.serialize(topics.events(), AvroRecords.toAvro(event));
                publication.send(producer, new ProducerRecord<>(topics.events(), event.partition(),
                        event.streamId().getBytes(StandardCharsets.UTF_8), value));
            }
        } catch (RuntimeException e) {
            throw new PublishException("Publishing partition " + partition + " failed: " + e.getMessage(), e);
        }
        return publication;
    }

    /** Copies undecodable commands to the dead-letter topic and waits for the broker's acknowledgement. */
    public void sendDeadLetters(List<ProducerRecord<byte[], byte[]>> deadLetters) {
        Publication publication = new Publication("the dead-letter topic");
        try {
            for (ProducerRecord<byte[], byte[]> record : deadLetters) {
                publication.send(producer, record);
            }
        } catch (RuntimeException e) {
            throw new PublishException("Dead-lettering failed: " + e.getMessage(), e);
        }
        awaitAll(publication, "the dead-letter topic");
    }

    private ProducerRecord<byte[], byte[]> resultRecord(int partition, RoutedResult routed) {
        ReplyRoute route = routed.route();
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestHeaders.COMMAND_ID, utf8(routed.result().commandId()));
        if (route.correlationId() != null) {
            headers.add(IngestHeaders.CORRELATION_ID, utf8(route.correlationId()));
        }
        String topic = topics.results();
        Integer targetPartition = partition;
        if (route.topic() != null) {
            OptionalInt partitions = replyTopics.partitionCount(route.topic());
            if (partitions.isEmpty()) {
                headers.add(IngestHeaders.REPLY_ERROR, utf8("reply topic " + route.topic() + " does not exist"));
            } else if (route.partition() != null && route.partition() >= partitions.getAsInt()) {
                headers.add(IngestHeaders.REPLY_ERROR, utf8("reply topic " + route.topic() + " has "
                        + partitions.getAsInt() + " partitions, there is no partition " + route.partition()));
            } else {
                topic = route.topic();
                targetPartition = route.partition();
            }
        }
        byte[] key = route.key() == null ? null : utf8(route.key());
        byte[] value = results.serialize(topic, AvroRecords.toAvro(routed.result()));
        return new ProducerRecord<>(topic, targetPartition, key, value, headers);
    }

    /** Waits for the broker's answer to every record of {@code publication}, at most the acknowledgement timeout. */
    public void awaitAll(Publication publication, String what) {
        publication.await(ackTimeout);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
