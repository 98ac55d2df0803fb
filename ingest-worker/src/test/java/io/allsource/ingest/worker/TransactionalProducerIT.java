package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.metrics.LagMonitor;
import io.allsource.ingest.metrics.PartitionPositions;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.testing.TransactionalProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A producer using Kafka transactions commits a command, aborts one and commits a third: the worker applies the two
 * committed ones, and the lag monitor, which would be left at 1 by the commit marker after the last command if it
 * counted from the stored next offset to the last stable offset, reports 0.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionalProducerIT {

    private static final String STREAM = "transactional-order-1";
    private static final int PARTITION = PartitionFunction.partitionOf(STREAM);

    private final KafkaBroker broker;
    private final PipelineFixture pipeline;

    TransactionalProducerIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void appliesTheCommittedCommandsAndReportsNoLagOnceCaughtUp() throws Exception {
        AppendCommand first = command(STREAM, ExpectedVersionKind.NO_STREAM, 0, 1);
        AppendCommand aborted = command(STREAM, ExpectedVersionKind.ANY, 0, 1);
        AppendCommand third = command(STREAM, ExpectedVersionKind.EXACT, 1, 1);
        long lastOffset;
        try (TransactionalProducer producer = new TransactionalProducer(broker)) {
            producer.commit(record(first));
            producer.abort(record(aborted));
            lastOffset = producer.commit(record(third));
        }
        // The coordinator writes the commit markers after commitTransaction returns: the stable end follows shortly.
        await().alias("a commit marker follows the last command").atMost(30, TimeUnit.SECONDS)
                .until(() -> stableEnd() == lastOffset + 2);
        long stableEnd = lastOffset + 2;

        try (LagMonitor fromStore = monitor(PartitionPositions.UNKNOWN);
                LagMonitor fromPosition = monitor(partition -> partition == PARTITION
                        ? OptionalLong.of(lastOffset) : OptionalLong.empty())) {
            await().alias("the lag counts every offset from the first command, none applied yet")
                    .atMost(30, TimeUnit.SECONDS).until(() -> fromStore.lag(PARTITION) == stableEnd);
            await().alias("the lag counts from a position the worker reports, beyond the stored offset")
                    .atMost(30, TimeUnit.SECONDS).until(() -> fromPosition.lag(PARTITION) == stableEnd - lastOffset);

            try (IngestWorker worker = pipeline.startWorker(pipeline.settings("transactional-worker"))) {
                List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read ->
                        IngestWorkerIT.commandIds(read).contains(third.getCommandId()));

                assertThat(results.stream().map(record -> record.value().getCommandId()).distinct())
                        .containsExactly(first.getCommandId(), third.getCommandId());
                assertThat(results).extracting(record -> record.value().getStatus())
                        .as("EXACT 1 after the first command: the aborted one was never applied")
                        .containsOnly(CommandStatus.ACCEPTED);
                await().alias("the stored next offset is one past the last command, the marker's offset")
                        .atMost(30, TimeUnit.SECONDS).until(() -> nextOffset() == lastOffset + 1);
                await().alias("the lag of the caught-up partition, behind its commit marker, falls to 0")
                        .atMost(30, TimeUnit.SECONDS).until(() -> fromStore.lag(PARTITION) == 0);
            }
        }
    }

    private LagMonitor monitor(PartitionPositions positions) {
        return new LagMonitor(broker.admin(), Map.of("bootstrap.servers", broker.bootstrapServers()), pipeline.store,
                pipeline.topics.commands(), positions, partition -> false, new SimpleMeterRegistry(),
                Duration.ofMillis(200));
    }

    private ProducerRecord<byte[], byte[]> record(AppendCommand command) {
        return new ProducerRecord<>(pipeline.topics.commands(), PARTITION, STREAM.getBytes(StandardCharsets.UTF_8),
                pipeline.encode(command));
    }

    private long stableEnd() throws Exception {
        TopicPartition partition = new TopicPartition(pipeline.topics.commands(), PARTITION);
        return broker.admin().listOffsets(Map.of(partition, OffsetSpec.latest()),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition)
                .get(10, TimeUnit.SECONDS).offset();
    }

    private long nextOffset() {
        return pipeline.store.partitionState(PARTITION).map(PartitionState::nextOffset).orElse(0L);
    }
}
