package io.allsource.ingest.publish;

import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.trace.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns a routed result into its record: on the reply topic its command asked for when that topic can take it, else
 * on the results topic at the command's partition number with {@code ingest-reply-error} saying why. The pipeline's own
 * topics and Kafka's internal topics are never reply routes: a result written there would reach sinks and views as a
 * foreign record. The correlation id and the key are echoed byte for byte, and the delivery's {@code traceparent} and
 * {@code tracestate} as they were kept ({@link TraceHeaders}). Thread-safe.
 */
final class ResultRecords {

    /** A result record, and for one sent to a reply topic the record to send instead if the broker refuses it. */
    record Routed(ProducerRecord<byte[], byte[]> record, ProducerRecord<byte[], byte[]> fallback) {
    }

    private final IngestTopics topics;
    private final Set<String> ownTopics;
    private final Serializer<io.allsource.ingest.avro.CommandResult> serializer;
    private final ReplyTopics replyTopics;

    ResultRecords(IngestTopics topics, Serializer<io.allsource.ingest.avro.CommandResult> serializer,
            ReplyTopics replyTopics) {
        this.topics = topics;
        this.ownTopics = Set.copyOf(topics.all());
        this.serializer = serializer;
        this.replyTopics = replyTopics;
    }

    /**
     * @throws PublishException when the cluster cannot tell whether the reply topic exists (transient)
     */
    Routed route(int partition, RoutedResult routed) {
        ReplyRoute route = routed.route();
        byte[] value = serializer.serialize(topics.results(), AvroRecords.toAvro(routed.result()));
        if (route.topic() == null) {
            return new Routed(record(topics.results(), partition, routed, value, null), null);
        }
        String problem = problemOf(route);
        if (problem != null) {
            return new Routed(record(topics.results(), partition, routed, value, problem), null);
        }
        return new Routed(record(route.topic(), route.partition(), routed, value, null),
                record(topics.results(), partition, routed, value, null));
    }

    private String problemOf(ReplyRoute route) {
        String topic = route.topic();
        if (ownTopics.contains(topic)) {
            return "reply topic " + topic + " is one of the pipeline's own topics";
        }
        if (topic.startsWith("__")) {
            return "reply topic " + topic + " is internal to Kafka";
        }
        ReplyTopics.ReplyTopic described = replyTopics.describe(topic);
        if (described.problem() != null) {
            return described.problem();
        }
        if (route.partition() != null && route.partition() >= described.partitions()) {
            return "reply topic " + topic + " has " + described.partitions() + " partitions, there is no partition "
                    + route.partition();
        }
        return null;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Integer partition, RoutedResult routed,
            byte[] value, String replyError) {
        ReplyRoute route = routed.route();
        RecordHeaders headers = new RecordHeaders();
        headers.add(IngestHeaders.COMMAND_ID, routed.result().commandId().getBytes(StandardCharsets.UTF_8));
        if (route.correlationId() != null) {
            headers.add(IngestHeaders.CORRELATION_ID, route.correlationId());
        }
        TraceHeaders.add(headers, route.trace());
        if (replyError != null) {
            headers.add(IngestHeaders.REPLY_ERROR, replyError.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, partition, route.key(), value, headers);
    }
}
