package io.allsource.ingest.worker;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.worker.HostileInput.Outgoing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the corpus entries build their records with: fresh stream ids per partition, commands, and the encoders. */
final class CorpusContext {

    private final PipelineFixture pipeline;
    private final AvroSerializer<EventRecord> events;
    private final AtomicInteger streams = new AtomicInteger();

    CorpusContext(PipelineFixture pipeline) {
        this.pipeline = pipeline;
        this.events = AvroSerializer.forTopics(pipeline.registry, true);
    }

    /** A stream id not used before that the partition function maps to {@code partition}. */
    String streamIn(int partition) {
        while (true) {
            String id = "corpus-" + streams.incrementAndGet();
            if (PartitionFunction.partitionOf(id) == partition) {
                return id;
            }
        }
    }

    /** A valid command appending one event to a new stream of {@code partition}, keyed by default. */
    AppendCommand command(int partition) {
        return command(streamIn(partition), ExpectedVersionKind.NO_STREAM, 0);
    }

    static AppendCommand command(String streamId, ExpectedVersionKind kind, long version) {
        return AppendCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setTenantId("tenant-1")
                .setPartitionKey(null)
                .setAppends(new ArrayList<>(List.of(new StreamAppend(streamId, new ExpectedVersion(kind, version),
                        new ArrayList<>(List.of(event("{\"n\": 1}")))))))
                .setIssuedAt(Instant.now())
                .build();
    }

    static NewEvent event(String payload) {
        return new NewEvent(null, "Happened", "entity-1", payload, Map.of());
    }

    /** {@code command} as a record of {@code partition}, keyed by its partition key or first stream id. */
    Outgoing record(AppendCommand command, int partition) {
        String key = command.getPartitionKey() != null ? command.getPartitionKey()
                : command.getAppends().isEmpty() ? null : command.getAppends().get(0).getStreamId();
        return new Outgoing(new ProducerRecord<>(pipeline.topics.commands(), partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), pipeline.encode(command)),
                command.getCommandId());
    }

    /** Bytes that are not a command, as a record of {@code partition} with key {@code key}. */
    Outgoing raw(byte[] key, byte[] value, int partition) {
        return new Outgoing(new ProducerRecord<>(pipeline.topics.commands(), partition, key, value), null);
    }

    byte[] encode(AppendCommand command) {
        return pipeline.encode(command);
    }

    /** An events-topic record, encoded with its own schema id. */
    byte[] encodeEvent(EventRecord event) {
        return events.serialize(pipeline.topics.events(), event);
    }
}
