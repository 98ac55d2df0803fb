package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.assertPublishedInStreamOrder;
import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.embedded.Signals;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL in the middle of a load, with no chance to finish anything, and a new process
 * taking over: every command is stored once, and what the dead one committed but did not publish is published by the
 * new one.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerKillIT {

    private final PipelineFixture pipeline;
    private final TestSchemaRegistry registry;

    @TempDir
    Path logs;

    WorkerKillIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.registry = registry;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void anotherProcessResumesWithEachCommandOnceAfterAWorkerIsKilled() throws Exception {
        List<AppendCommand> sent = new ArrayList<>();
        Process first = startWorker("killed");
        sent.addAll(send(0, 800));
        pipeline.results(read -> read.size() >= 200);
        Signals.kill(first.toHandle());
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(first.exitValue()).as("killed with SIGKILL").isEqualTo(137);

        sent.addAll(send(800, 400));
        Process second = startWorker("successor");
        try {
            Set<String> ids = sent.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
            List<ConsumerRecord<byte[], CommandResult>> results =
                    pipeline.results(read -> commandIds(read).containsAll(ids));
            results.stream().map(ConsumerRecord::value).filter(result -> ids.contains(result.getCommandId()))
                    .collect(Collectors.groupingBy(CommandResult::getCommandId)).values()
                    .forEach(copies -> assertThat(copies).allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0))));

            assertThat(pipeline.database.queryForLong("SELECT count(*) FROM command_results")).isEqualTo(sent.size());
            assertThat(pipeline.database.queryForLong(
                    "SELECT count(*) FROM event_streams WHERE NOT verify_stream_gapless(stream_id)")).isZero();
            assertThat(pipeline.database.queryForLong(
                    "SELECT count(*) FROM partition_state WHERE NOT verify_partition_gapless(partition_id)")).isZero();
            long committed = pipeline.database.queryForLong("SELECT count(*) FROM events");
            assertPublishedInStreamOrder(pipeline.events(read -> IngestWorkerIT.distinctEvents(read).size()
                    >= committed), committed);
        } finally {
            WorkerProcesses.stop(second);
        }
    }

    private List<AppendCommand> send(int from, int count) {
        List<AppendCommand> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            sent.add(pipeline.send(command("killed-" + (i % 61), i % 9 == 0 ? ExpectedVersionKind.NO_STREAM
                    : ExpectedVersionKind.ANY, 0, 1 + i % 2)));
        }
        pipeline.flush();
        return sent;
    }

    private Process startWorker(String name) {
        return WorkerProcesses.start(pipeline, registry, name, pipeline.database.jdbcUrl(), logs,
                "--kafka", "session.timeout.ms=6000", "--kafka", "heartbeat.interval.ms=1000");
    }
}
