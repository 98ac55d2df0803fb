package io.allsource.ingest.publish;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.batch.ReplyRoute;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
     * Publishes the results of deliveries of {@code partition} and then the events, in the order given.
     *
     * @throws PublishException when any record was not acknowledged; some may have been published
     */
    public void publish(int partition, List<RoutedResult> routedResults, List<StoredEvent> storedEvents) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(routedResults.size() + storedEvents.size());
        try {
            for (RoutedResult result : routedResults) {
                sends.add(producer.send(resultRecord(partition, result)));
            }
            for (StoredEvent event : storedEvents) {
                byte[] value = events.serialize(topics.events(), AvroRecords.toAvro(event));
                sends.add(producer.send(new ProducerRecord<>(topics.events(), event.partition(),
                        event.streamId().getBytes(StandardCharsets.UTF_8), value)));
            }
        } catch (RuntimeException e) {
            throw new PublishException("Publishing partition " + partition + " failed: " + e.getMessage(), e);
        }
        awaitAll(sends, "partition " + partition);
    }

    /** Copies undecodable commands to the dead-letter topic and waits for the broker's acknowledgement. */
    public void sendDeadLetters(List<ProducerRecord<byte[], byte[]>> deadLetters) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(deadLetters.size());
        try {
            for (ProducerRecord<byte[], byte[]> record : deadLetters) {
                sends.add(producer.send(record));
            }
        } catch (RuntimeException e) {
            throw new PublishException("Dead-lettering failed: " + e.getMessage(), e);
        }
        awaitAll(sends, "the dead-letter topic");
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

    private void awaitAll(List<Future<RecordMetadata>> sends, String what) {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new PublishException("Publishing to " + what + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new PublishException("Publishing to " + what + " was not acknowledged within " + ackTimeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("Interrupted while publishing to " + what, e);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
