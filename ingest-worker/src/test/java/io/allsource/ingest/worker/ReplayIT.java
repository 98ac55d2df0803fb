package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.replay.Replay;
import io.allsource.ingest.replay.ReplayException;
import io.allsource.ingest.replay.ReplayProgress;
import io.allsource.ingest.replay.ReplayRequest;
import io.allsource.ingest.replay.ReplayStart;
import io.allsource.ingest.replay.ReplaySource;
import io.allsource.ingest.replay.ReplaySummary;
import io.allsource.ingest.replay.StoredReplayProgress;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ingest replay}'s engine against the real broker, database and registry, after a real worker applied appends
 * (one with a trace context) and an erase to streams of one partition, and more appends later: a replay of the
 * partition equals the events topic's first copies (event ids, keys, decoded values, trace headers, in sequence
 * order), erased events as their redacted copies; a run stopped by its limit, or failing between an acknowledgement and
 * its record, continues without losing an event and with no duplicate beyond the unrecorded chunk; {@code --since}
 * starts at the first event recorded at or after the instant; bad targets and a changed start are refused naming
 * the flag.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final KafkaBroker broker;
    private final PipelineFixture pipeline;
    private final TestDatabase database;
    private final int partition;
    private final List<String> streams = new ArrayList<>();
    private final String erasedStream;
    private Instant between;
    private long firstSequenceAfter;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    ReplayIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.database = database;
        this.partition = PartitionFunction.partitionOf("replay-anchor");
        for (int i = 0; streams.size() < 4; i++) {
            if (PartitionFunction.partitionOf("replay-" + i) == partition) {
                streams.add("replay-" + i);
            }
        }
        this.erasedStream = streams.get(1);
    }

    @BeforeAll
    void load() {
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-replay"))) {
            List<AppendCommand> first = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (String stream : streams) {
                    first.add(PipelineFixture.command(stream, ExpectedVersionKind.ANY, 0, 1 + round % 3));
                }
            }
            first.forEach(pipeline::send);
            AppendCommand traced = PipelineFixture.command(streams.get(0), ExpectedVersionKind.ANY, 0, 2);
            ProducerRecord<String, AppendCommand> record = new ProducerRecord<>(pipeline.topics.commands(),
                    streams.get(0), traced);
            record.headers().add(IngestHeaders.TRACEPARENT, TRACEPARENT.getBytes(StandardCharsets.US_ASCII));
            pipeline.send(record);
            pipeline.flush();
            awaitResults(first.size() + 1);
            long version = database.queryForLong("SELECT current_version FROM event_streams WHERE stream_id = '"
                    + erasedStream + "'");
            pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), erasedStream, erase(erasedStream, version)));
            pipeline.flush();
            assertThat(awaitResults(first.size() + 2).get(first.size() + 1).getStatus())
                    .as("the erase").isEqualTo(CommandStatus.ACCEPTED);

            long micros = database.queryForLong("SELECT (extract(epoch FROM max(timestamp)) * 1000000)::bigint"
                    + " FROM events");
            between = Instant.EPOCH.plusNanos(micros * 1_000 + 1_000);
            firstSequenceAfter = database.queryForLong("SELECT last_sequence FROM partition_state WHERE"
                    + " partition_id = " + partition) + 1;
            for (String stream : List.of(streams.get(0), streams.get(2), streams.get(3))) {
                pipeline.send(PipelineFixture.command(stream, ExpectedVersionKind.ANY, 0, 3));
            }
            pipeline.flush();
            awaitResults(first.size() + 5);
        }
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        producer = new KafkaProducer<>(Replay.producerProperties(Map.of("bootstrap.servers",
                broker.bootstrapServers())), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
        }
        pipeline.close();
    }

    @Test
    void aReplayedPartitionEqualsTheEventsTopicsFirstCopiesWithErasedEventsAsTheirRedactedCopies() {
        String target = newTopic(32);
        long stored = storedEvents();

        ReplaySummary summary = replay(progress(), ReplayRequest.to(target).withPartition(partition));

        assertThat(summary.events()).isEqualTo(stored);
        assertThat(summary.complete()).isTrue();
        List<ConsumerRecord<byte[], EventRecord>> replayed = read(target, (int) stored);
        List<ConsumerRecord<byte[], EventRecord>> expected = expectedFromEventsTopic((int) stored);
        assertThat(replayed).hasSize((int) stored);
        assertThat(replayed).allSatisfy(record -> assertThat(record.partition()).isEqualTo(partition));
        assertThat(replayed.stream().map(r -> r.value().getPartitionSequence()).toList())
                .as("partition-sequence order").isSorted().doesNotHaveDuplicates();
        assertThat(replayed.stream().map(ConsumerRecord::value).toList())
                .containsExactlyElementsOf(expected.stream().map(ConsumerRecord::value).toList());
        assertThat(replayed.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList())
                .containsExactlyElementsOf(expected.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .toList());
        assertThat(replayed.stream().map(ReplayIT::traceparent).toList())
                .containsExactlyElementsOf(expected.stream().map(ReplayIT::traceparent).toList())
                .contains(TRACEPARENT);
        assertThat(replayed.stream().filter(r -> r.value().getErased()).map(r -> r.value().getStreamId()))
                .as("the erased stream's events, and only they, replay redacted").isNotEmpty()
                .containsOnly(erasedStream);
    }

    @Test
    void aRunStoppedByItsLimitContinuesWhereItStoppedWithoutDuplicates() {
        String target = newTopic(32);
        long stored = storedEvents();
        ReplayProgress progress = progress();
        ReplayRequest request = ReplayRequest.to(target).withPartition(partition).withChunkSize(4);

        ReplaySummary half = replay(progress, request.withLimit(stored / 2));
        ReplaySummary rest = replay(progress, request);
        ReplaySummary again = replay(progress, request);

        assertThat(half.complete()).isFalse();
        assertThat(half.stoppedBy()).isEqualTo("--limit");
        assertThat(half.events()).isEqualTo(stored / 2);
        assertThat(rest.complete()).isTrue();
        assertThat(rest.partitionsResumed()).isEqualTo(1);
        assertThat(half.events() + rest.events()).isEqualTo(stored);
        assertThat(again.events()).as("nothing committed since").isZero();
        List<Long> sequences = read(target, (int) stored).stream().map(r -> r.value().getPartitionSequence()).toList();
        assertThat(sequences).hasSize((int) stored).doesNotHaveDuplicates().isSorted();
        assertThat(progress.find(target, partition).orElseThrow().acknowledgedSequence())
                .isEqualTo(sequences.get(sequences.size() - 1));
    }

    @Test
    void aRunThatFailsBeforeRecordingAnAcknowledgedChunkRepeatsOnlyThatChunk() {
        String target = newTopic(32);
        long stored = storedEvents();
        StoredReplayProgress table = progress();
        AtomicInteger recorded = new AtomicInteger();
        ReplayProgress failingThird = new ReplayProgress() {
            @Override
            public Optional<Position> find(String topic, int p) {
                return table.find(topic, p);
            }

            @Override
            public void begin(String topic, int p, ReplayStart start, long firstSequence) {
                table.begin(topic, p, start, firstSequence);
            }

            @Override
            public void acknowledge(String topic, int p, long sequence, long events) {
                if (recorded.incrementAndGet() == 3) {
                    throw new ReplayException("the database went away");
                }
                table.acknowledge(topic, p, sequence, events);
            }
        };
        ReplayRequest request = ReplayRequest.to(target).withPartition(partition).withChunkSize(5);

        assertThatThrownBy(() -> replay(failingThird, request)).hasMessage("the database went away");
        ReplaySummary resumed = replay(table, request);

        assertThat(resumed.partitionsResumed()).isEqualTo(1);
        assertThat(resumed.events()).isEqualTo(stored - 10);
        List<Long> sequences = read(target, (int) stored + 5).stream()
                .map(r -> r.value().getPartitionSequence()).toList();
        assertThat(new HashSet<>(sequences)).as("every event replayed").hasSize((int) stored);
        assertThat(sequences).as("the unrecorded third chunk twice, nothing else").hasSize((int) stored + 5);
        Map<Long, Integer> copies = new LinkedHashMap<>();
        sequences.forEach(sequence -> copies.merge(sequence, 1, Integer::sum));
        assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .containsExactlyElementsOf(sequences.subList(10, 15));
    }

    @Test
    void sinceStartsAtTheFirstEventRecordedAtOrAfterTheInstant() {
        String target = newTopic(32);
        long after = storedEvents() - firstSequenceAfter + 1;

        ReplaySummary summary = replay(progress(), ReplayRequest.to(target).withPartition(partition)
                .withStart(new ReplayStart.Since(between)));

        assertThat(after).isEqualTo(9);
        assertThat(summary.events()).isEqualTo(after);
        List<Long> sequences = read(target, (int) after).stream().map(r -> r.value().getPartitionSequence()).toList();
        assertThat(sequences.get(0)).isEqualTo(firstSequenceAfter);
        assertThat(sequences).hasSize((int) after).isSorted();
        assertThat(progress().find(target, partition).orElseThrow().startFrom()).isEqualTo("since " + between);
    }

    @Test
    void aRerunNamingAnotherStartIsRefusedUntilItSaysRestart() {
        String target = newTopic(32);
        ReplayRequest request = ReplayRequest.to(target).withPartition(partition);
        replay(progress(), request.withLimit(3));

        assertThatThrownBy(() -> replay(progress(), request.withStart(new ReplayStart.FromSequence(5))))
                .isInstanceOf(ReplayException.class)
                .hasMessage("--from-sequence: the replay of partition " + partition + " to " + target + " began from"
                        + " sequence 1 and is acknowledged through sequence 3; leave --from-sequence out to continue"
                        + " it, or add --restart to start over from sequence 5");
        ReplaySummary restarted = replay(progress(), request.withStart(new ReplayStart.FromSequence(5)).withRestart());

        assertThat(restarted.events()).isEqualTo(storedEvents() - 4);
        assertThat(progress().find(target, partition).orElseThrow().firstSequence()).isEqualTo(5);
    }

    @Test
    void refusesAMissingTopicATopicWithoutThePartitionAndThePipelinesOwnTopicsNamingTheFlag() {
        String missing = KafkaBroker.uniqueName("missing");
        assertThatThrownBy(() -> replay(progress(), ReplayRequest.to(missing)))
                .hasMessage("--to-topic " + missing + " does not exist: create it first, with 32 partitions like the"
                        + " events topic (each event keeps its partition number)");
        String small = newTopic(4);
        assertThatThrownBy(() -> replay(progress(), ReplayRequest.to(small).withPartition(9)))
                .hasMessageStartingWith("--to-topic " + small + " has 4 partitions, so no partition 9");
        assertThatThrownBy(() -> replay(progress(), ReplayRequest.to(pipeline.topics.events())))
                .hasMessage("--to-topic " + pipeline.topics.events() + " is one of the pipeline's own topics: replay"
                        + " to a topic of its own");
        assertThat(database.queryForLong("SELECT count(*) FROM replay_progress WHERE target_topic IN ('" + missing
                + "', '" + small + "')")).as("nothing recorded for a refused target").isZero();
    }

    private ReplaySummary replay(ReplayProgress progress, ReplayRequest request) {
        Replay replay = new Replay(producer, admin, new ReplaySource(database.dataSource()), progress,
                AvroSerializer.forTopics(pipeline.registry, true), pipeline.topics);
        return replay.run(request, (p, done, total) -> assertThat(done).isLessThanOrEqualTo(total));
    }

    private StoredReplayProgress progress() {
        return new StoredReplayProgress(database.dataSource());
    }

    private String newTopic(int partitions) {
        String topic = KafkaBroker.uniqueName("replayed");
        broker.createTopic(topic, partitions);
        return topic;
    }

    private long storedEvents() {
        return database.queryForLong("SELECT count(*) FROM events WHERE partition_id = " + partition);
    }

    private List<CommandResult> awaitResults(int count) {
        return pipeline.results(read -> read.size() >= count).stream().map(ConsumerRecord::value).toList();
    }

    /** The partition's records of {@code topic}, at least {@code count} of them (or what came within the timeout). */
    private List<ConsumerRecord<byte[], EventRecord>> read(String topic, int count) {
        return pipeline.readUntil(topic, EventRecord.class, read -> read.size() >= count, Duration.ofSeconds(30))
                .stream().filter(r -> r.partition() == partition).toList();
    }

    /**
     * The events topic's first copy of each stored event of the partition, in sequence order, the redacted copy
     * instead for an erased one: what a replay must equal.
     */
    private List<ConsumerRecord<byte[], EventRecord>> expectedFromEventsTopic(int stored) {
        Set<String> erased = new HashSet<>(database.queryForStrings("SELECT event_id::text FROM events WHERE erased"
                + " AND partition_id = " + partition));
        int tombstones = 1;
        List<ConsumerRecord<byte[], EventRecord>> all = pipeline.readUntil(pipeline.topics.events(), byte[].class,
                read -> read.stream().filter(r -> r.partition() == partition).count() >= stored + erased.size()
                        + tombstones, Duration.ofSeconds(60)).stream()
                .filter(r -> r.partition() == partition && r.value() != null).map(this::decoded).toList();
        Map<String, ConsumerRecord<byte[], EventRecord>> first = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], EventRecord> record : all) {
            String id = record.value().getEventId();
            boolean wanted = erased.contains(id) == record.value().getErased();
            if (wanted) {
                first.putIfAbsent(id, record);
            }
        }
        return first.values().stream()
                .sorted((a, b) -> Long.compare(a.value().getPartitionSequence(), b.value().getPartitionSequence()))
                .toList();
    }

    private ConsumerRecord<byte[], EventRecord> decoded(ConsumerRecord<byte[], byte[]> record) {
        EventRecord value = new io.allsource.ingest.serde.AvroDeserializer<>(pipeline.registry, EventRecord.class)
                .deserialize(record.topic(), record.value());
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(), value,
                record.headers(), record.leaderEpoch());
    }

    private static String traceparent(ConsumerRecord<byte[], ?> record) {
        Header header = record.headers().lastHeader(IngestHeaders.TRACEPARENT);
        return header == null ? "none" : new String(header.value(), StandardCharsets.US_ASCII);
    }

    private static AppendCommand erase(String stream, long version) {
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("tenant-1")
                .setAppends(List.of()).setIssuedAt(Instant.now())
                .setStreamOperation(StreamOperation.newBuilder().setStreamId(stream)
                        .setOperation(StreamOperationKind.ERASE)
                        .setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, version)).build())
                .build();
    }
}
