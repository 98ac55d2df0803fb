package io.allsource.ingest.cli;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a test sends to the pipeline's commands topic (valid appends, with a reply route or not, and undecodable
 * records) and reads back from its results and events topics, with plain Kafka clients: nothing of the worker or the
 * Java client. Each call opens and closes its own clients. Thread-safe.
 */
final class PipelineTraffic {

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final IngestTopics topics;

    PipelineTraffic(String bootstrapServers, SchemaRegistryClient registry, IngestTopics topics) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.topics = topics;
    }

    /**
     * Sends an append of one event to a new stream, keyed by the stream, and waits for the broker's acknowledgement.
     *
     * @param replyTopic the {@code ingest-reply-topic} header, or null for none
     * @return the command id, and where the command landed
     */
    Sent append(String stream, String replyTopic) {
        String id = UUID.randomUUID().toString();
        AppendCommand command = new AppendCommand(id, "t", null, List.of(new StreamAppend(stream,
                new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L),
                List.of(new NewEvent(null, "Refused", stream, "{}", Map.of())))), Instant.now(), null);
        ProducerRecord<String, AppendCommand> record = new ProducerRecord<>(topics.commands(), stream, command);
        if (replyTopic != null) {
            record.headers().add(IngestHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        }
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                AvroSerializer.forTopics(registry, true))) {
            return new Sent(id, acknowledged(producer.send(record)));
        }
    }

    /** Sends bytes no schema can decode, keyed by {@code key}, and waits for the broker's acknowledgement. */
    RecordMetadata undecodable(String key) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            return acknowledged(producer.send(new ProducerRecord<>(topics.commands(),
                    key.getBytes(StandardCharsets.UTF_8), "not a command".getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** The results records of {@code commandId} on the results topic now. */
    List<ConsumerRecord<byte[], byte[]>> resultRecords(String commandId) {
        return TopicRecords.of(bootstrapServers, topics.results()).stream()
                .filter(record -> commandId.equals(header(record, IngestHeaders.COMMAND_ID))).toList();
    }

    /** The results of {@code commandId} on the results topic now, decoded. */
    List<CommandResult> results(String commandId) {
        return resultRecords(commandId).stream().map(this::result).toList();
    }

    CommandResult result(ConsumerRecord<byte[], byte[]> record) {
        return new AvroDeserializer<>(registry, CommandResult.class).deserialize(topics.results(), record.value());
    }

    /** The events of {@code stream} on the events topic now, decoded. */
    List<EventRecord> events(String stream) {
        AvroDeserializer<EventRecord> events = new AvroDeserializer<>(registry, EventRecord.class);
        return TopicRecords.of(bootstrapServers, topics.events()).stream()
                .map(record -> events.deserialize(topics.events(), record.value()))
                .filter(event -> event.getStreamId().equals(stream)).toList();
    }

    /** The copies on the dead-letter topic of the commands record at {@code source}. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(RecordMetadata source) {
        return TopicRecords.of(bootstrapServers, topics.deadLetters()).stream()
                .filter(record -> Integer.toString(source.partition()).equals(header(record,
                        IngestHeaders.SOURCE_PARTITION)))
                .filter(record -> Long.toString(source.offset()).equals(header(record, IngestHeaders.SOURCE_OFFSET)))
                .toList();
    }

    /** The value of the last header {@code name} as UTF-8, or null. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static RecordMetadata acknowledged(java.util.concurrent.Future<RecordMetadata> sent) {
        try {
            return sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The broker did not acknowledge the record", e);
        }
    }

    /** A command sent: its id and where it landed. */
    record Sent(String commandId, RecordMetadata landed) {
    }
}
