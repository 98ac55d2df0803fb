package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.PostgresServer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database refuses connections and drops the worker's sessions for a while under load: the worker backs off,
 * retries the same batches, and applies every command exactly once when the database is back.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

    private final PipelineFixture pipeline;
    private final PostgresServer server;

    DatabaseOutageIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry, PostgresServer server) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.server = server;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void retriesThroughAnOutageAndAppliesEveryCommandOnce() throws Exception {
        List<AppendCommand> sent = new ArrayList<>();
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-o"))) {
            sent.addAll(send(0, 300));
            pipeline.results(read -> read.size() >= 100);

            setConnectionsAllowed(false);
            try {
                sent.addAll(send(300, 300));
                await().alias("the worker's retries counted while the database is away")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> pipeline.lastWorkerMetrics().registry().find("ingest.retries").counters()
                                .stream().mapToDouble(counter -> counter.count()).sum() >= 3);
            } finally {
                setConnectionsAllowed(true);
            }

            Set<String> ids = sent.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
            pipeline.results(read -> commandIds(read).containsAll(ids));
        }
        assertThat(count("SELECT count(*) FROM command_results")).isEqualTo(sent.size());
        assertThat(count("SELECT count(*) FROM event_streams WHERE NOT verify_stream_gapless(stream_id)")).isZero();
        assertThat(count("SELECT count(*) FROM partition_state WHERE NOT verify_partition_gapless(partition_id)"))
                .isZero();
    }

    private List<AppendCommand> send(int from, int count) {
        List<AppendCommand> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            sent.add(pipeline.send(command("outage-" + (i % 50), ExpectedVersionKind.ANY, 0, 1)));
        }
        pipeline.flush();
        return sent;
    }

    private void setConnectionsAllowed(boolean allowed) {
        server.setConnectionsAllowed(pipeline.database.name(), allowed);
    }

    private long count(String sql) {
        return pipeline.database.queryForLong(sql);
    }
}
