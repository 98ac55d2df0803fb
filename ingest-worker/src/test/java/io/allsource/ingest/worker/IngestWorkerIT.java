package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker end to end on the real broker, database and registry: many producers over all partitions, conflicts,
 * and every invariant of DESIGN.md section 4 checked afterwards.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestWorkerIT {

    private static final int PRODUCERS = 4;
    private static final int COMMANDS_PER_PRODUCER = 500;
    private static final int STREAMS = 300;

    private final PipelineFixture pipeline;

    IngestWorkerIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void appliesEveryCommandOnceAndPublishesEveryEventInStreamOrder() throws Exception {
        List<AppendCommand> sent;
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-a"))) {
            sent = sendLoad("load");
            Set<String> ids = sent.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
            List<ConsumerRecord<byte[], CommandResult>> results =
                    pipeline.results(read -> commandIds(read).containsAll(ids));

            Map<String, List<CommandResult>> byCommand = results.stream().map(ConsumerRecord::value)
                    .filter(result -> ids.contains(result.getCommandId()))
                    .collect(Collectors.groupingBy(CommandResult::getCommandId));
            assertThat(byCommand.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            byCommand.values().forEach(copies -> assertThat(copies).as("copies of one result are identical")
                    .allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0))));
            List<CommandResult> conflicts = byCommand.values().stream().map(copies -> copies.get(0))
                    .filter(result -> result.getReason() == RejectionReason.CONCURRENCY_CONFLICT).toList();
            assertThat(conflicts).as("NO_STREAM on existing streams conflicts").isNotEmpty();
            assertThat(conflicts).allSatisfy(conflict ->
                    assertThat(conflict.getStreams().get(0).getCurrentVersion()).isPositive());
        }

        assertThat(count("SELECT count(*) FROM command_results")).isEqualTo(sent.size());
        assertThat(count("SELECT count(*) FROM event_streams WHERE NOT verify_stream_gapless(stream_id)")).isZero();
        for (int partition = 0; partition < 32; partition++) {
            assertThat(bool("SELECT verify_partition_gapless(" + partition + ")")).as("partition %s", partition)
                    .isNotEqualTo(Boolean.FALSE);
        }
        long committed = count("SELECT count(*) FROM events");
        List<ConsumerRecord<byte[], EventRecord>> events =
                pipeline.events(read -> distinctEvents(read).size() >= committed);
        assertPublishedInStreamOrder(events, committed);
    }

    @Test
    void rejectsACommandOnTheWrongPartitionAndWritesNothing() throws Exception {
        String stream = "misplaced-stream";
        int home = PartitionFunction.partitionOf(stream);
        AppendCommand command = command(stream, ExpectedVersionKind.ANY, 0, 1);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-w"))) {
            pipeline.send(new org.apache.kafka.clients.producer.ProducerRecord<>(pipeline.topics.commands(),
                    (home + 1) % 32, stream, command));
            pipeline.flush();

            CommandResult result = resultOf(command.getCommandId());
            assertThat(result.getReason()).isEqualTo(RejectionReason.WRONG_PARTITION);
            assertThat(result.getMessage()).contains("maps to partition " + home);
            assertThat(result.getPartition()).isEqualTo((home + 1) % 32);
        }
        assertThat(count("SELECT count(*) FROM event_streams WHERE stream_id = '" + stream + "'")).isZero();
    }

    private CommandResult resultOf(String commandId) {
        return pipeline.results(read -> commandIds(read).contains(commandId)).stream().map(ConsumerRecord::value)
                .filter(result -> result.getCommandId().equals(commandId)).findFirst().orElseThrow();
    }

    /** Producers in parallel: per stream an ANY append, then a NO_STREAM append (a conflict once it exists). */
    private List<AppendCommand> sendLoad(String prefix) throws Exception {
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        List<AppendCommand> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.submit(() -> {
                for (int i = 0; i < COMMANDS_PER_PRODUCER; i++) {
                    String stream = prefix + "-" + ((producer * 7919 + i * 31) % STREAMS);
                    ExpectedVersionKind kind = i % 5 == 0 ? ExpectedVersionKind.NO_STREAM : ExpectedVersionKind.ANY;
                    sent.add(pipeline.send(command(stream, kind, 0, 1 + i % 3)));
                }
            });
        }
        producers.shutdown();
        assertThat(producers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        pipeline.flush();
        return new ArrayList<>(sent);
    }

    static Set<String> commandIds(Collection<ConsumerRecord<byte[], CommandResult>> results) {
        Set<String> ids = new HashSet<>();
        results.forEach(record -> ids.add(record.value().getCommandId()));
        return ids;
    }

    static Map<String, EventRecord> distinctEvents(Collection<ConsumerRecord<byte[], EventRecord>> events) {
        Map<String, EventRecord> distinct = new HashMap<>();
        events.forEach(record -> distinct.putIfAbsent(record.value().getEventId(), record.value()));
        return distinct;
    }

    /** Every committed event present, copies identical, and each stream's versions in order on its partition. */
    static void assertPublishedInStreamOrder(List<ConsumerRecord<byte[], EventRecord>> events, long committed) {
        Map<String, EventRecord> distinct = new HashMap<>();
        Map<String, Long> lastVersion = new HashMap<>();
        for (ConsumerRecord<byte[], EventRecord> record : events) {
            EventRecord event = record.value();
            EventRecord first = distinct.putIfAbsent(event.getEventId(), event);
            assertThat(first == null || first.equals(event)).as("copies of event %s are identical",
                    event.getEventId()).isTrue();
            assertThat(record.partition()).isEqualTo(event.getPartition());
            long previous = lastVersion.getOrDefault(event.getStreamId(), 0L);
            assertThat(event.getVersion()).as("stream %s version after %s", event.getStreamId(), previous)
                    .isLessThanOrEqualTo(previous + 1);
            lastVersion.put(event.getStreamId(), Math.max(previous, event.getVersion()));
        }
        assertThat(distinct).hasSize((int) committed);
    }

    private long count(String sql) {
        return pipeline.database.queryForLong(sql);
    }

    private Boolean bool(String sql) {
        String value = pipeline.database.queryForStrings(sql).get(0);
        return value == null ? null : value.equals("t");
    }
}
