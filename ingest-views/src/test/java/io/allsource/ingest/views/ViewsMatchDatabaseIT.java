package io.allsource.ingest.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.views.query.ViewsHttpClient;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import io.allsource.ingest.views.state.TenantCountsView.WindowCounts;
import io.allsource.ingest.worker.ContractSettings;
import io.allsource.ingest.worker.IngestWorker;
import io.allsource.ingest.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views beside a real worker: a load with conflicts, a worker that dies between its commits and its publications
 * and is restarted (so that every event published before is published again), more load; then the live views equal
 * what PostgreSQL says, exactly.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewsMatchDatabaseIT {

    private static final Duration RESULT_WAIT = Duration.ofSeconds(60);
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final int ORDERS = 48;

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;

    ViewsMatchDatabaseIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
    }

    @Test
    void liveViewsEqualTheDatabaseAfterConflictsAndARepublishingRestart(@TempDir Path state) throws Exception {
        IngestTopics pipelineTopics = ViewsFixtures.createPipelineTopics(broker);
        Database.migrate(database.dataSource());
        String group = KafkaBroker.uniqueName("workers");
        List<CommandResult> results = new ArrayList<>();
        try (ViewsApplication views = ViewsApplication.start(ViewsFixtures.settings(broker, registry,
                ViewsFixtures.viewsTopics(pipelineTopics), KafkaBroker.uniqueName("views-db"), state))) {
            try (IngestClient client = new IngestClient(clientSettings(pipelineTopics))) {
                IngestWorker first = startWorker(pipelineTopics, group, "views-worker-1");
                try {
                    results.addAll(send(client, firstLoad()));
                } finally {
                    first.close();
                }
                long firstCommitted = database.queryForLong("SELECT count(*) FROM events");
                // As if the worker had died between its commits and its publications: everything is published again.
                database.execute("UPDATE partition_state SET published_offset = 0, published_sequence = 0");
                database.execute("UPDATE event_streams SET watermark = 0");
                try (IngestWorker second = startWorker(pipelineTopics, group, "views-worker-2")) {
                    results.addAll(send(client, secondLoad()));
                    long committed = database.queryForLong("SELECT count(*) FROM events");
                    await().alias("every event published again").atMost(Duration.ofSeconds(60))
                            .until(() -> ViewsFixtures.records(broker, pipelineTopics.events())
                                    >= committed + firstCommitted);

                    assertThat(results).filteredOn(result -> result.getStatus() == CommandStatus.REJECTED)
                            .as("12 orders created twice, 8 stale exact versions").hasSize(20)
                            .allSatisfy(result -> assertThat(result.getReason())
                                    .isEqualTo(RejectionReason.CONCURRENCY_CONFLICT));
                    ViewsHttpClient http = ViewsHttpClient.of(views.url());
                    await().alias("the live views equal the database").atMost(Duration.ofSeconds(60))
                            .ignoreExceptionsInstanceOf(ViewsUnavailableException.class)
                            .untilAsserted(() -> assertViewsEqualTheDatabase(http));
                    assertThat(ViewsFixtures.records(broker, pipelineTopics.events()))
                            .as("copies on the events topic").isGreaterThan(committed);
                    assertThat(views.metrics().duplicateCount()).isGreaterThan(0);
                }
            }
        }
    }

    private void assertViewsEqualTheDatabase(ViewsHttpClient views) throws SQLException {
        assertThat(views.partitions()).map(p -> List.<Object>of((long) p.partition(), p.streams(), p.events(),
                        p.highestVersion(), p.lastSequence(), p.gapsSeen()))
                .containsExactlyElementsOf(rows("""
                        SELECT p.partition_id, p.stream_count, p.total_events, p.max_events_in_stream,
                               s.last_sequence, 0
                        FROM partition_stats p JOIN partition_state s USING (partition_id)
                        ORDER BY p.partition_id"""));
        List<List<Object>> streams = rows("""
                SELECT s.stream_id, s.partition_id, last.tenant_id, s.current_version, count(e.id), last.event_type,
                       min(e.timestamp), max(e.timestamp)
                FROM event_streams s JOIN events e USING (stream_id)
                JOIN events last ON last.stream_id = s.stream_id AND last.version = s.current_version
                GROUP BY s.stream_id, s.partition_id, last.tenant_id, s.current_version, last.event_type""");
        assertThat(streams).as("orders and invoices").hasSize(ORDERS + ORDERS / 3);
        for (List<Object> row : streams) {
            StreamSummary expected = new StreamSummary((String) row.get(0), ((Number) row.get(1)).intValue(),
                    (String) row.get(2), (Long) row.get(3), (Long) row.get(4), (String) row.get(5),
                    (Instant) row.get(6), (Instant) row.get(7));
            assertThat(views.stream(expected.streamId())).as(expected.streamId()).contains(expected);
        }
        for (String tenant : TENANTS) {
            Map<Instant, Map<String, Long>> expected = new TreeMap<>();
            for (List<Object> row : rows("SELECT date_trunc('minute', timestamp), event_type, count(*) FROM events"
                    + " WHERE tenant_id = '" + tenant + "' GROUP BY 1, 2")) {
                expected.computeIfAbsent((Instant) row.get(0), start -> new TreeMap<>())
                        .put((String) row.get(1), (Long) row.get(2));
            }
            assertThat(expected).as(tenant).isNotEmpty();
            TenantCountsView counts = views.tenantCounts(tenant, Instant.now().minus(Duration.ofHours(1)),
                    Instant.now().plusSeconds(60));
            assertThat(counts.windows()).as(tenant).isEqualTo(expected.entrySet().stream()
                    .map(window -> new WindowCounts(window.getKey(), window.getKey().plusSeconds(60),
                            window.getValue())).collect(Collectors.toList()));
        }
    }

    /** Orders created, some twice (conflicts), then invoices placed with their order by its partition key. */
    private static List<Command> firstLoad() {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Append create = Append.to(order(i)).expectingNoStream().event("Placed", order(i), "{\"n\":" + i + "}");
            if (i % 3 == 0) {
                create.event("Paid", order(i), "{}");
            }
            commands.add(Command.of(tenant(i)).append(create));
        }
        for (int i = 0; i < ORDERS; i += 4) {
            commands.add(Command.of(tenant(i)).append(Append.to(order(i)).expectingNoStream()
                    .event("Placed", order(i), "{}")));
        }
        for (int i = 0; i < ORDERS; i += 3) {
            commands.add(Command.of(tenant(i)).partitionKey(order(i))
                    .append(Append.to(order(i)).expectingStreamExists().event("Invoiced", order(i), "{}"))
                    .append(Append.to(invoice(i)).expectingNoStream().event("Issued", invoice(i), "{}")));
        }
        return commands;
    }

    /** More events after the restart, with stale exact versions among them (conflicts). */
    private static List<Command> secondLoad() {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < ORDERS; i += 2) {
            commands.add(Command.of(tenant(i)).append(Append.to(order(i)).expectingAny()
                    .event("Shipped", order(i), "{}")));
        }
        for (int i = 1; i < ORDERS; i += 6) {
            commands.add(Command.of(tenant(i)).append(Append.to(order(i)).expectingVersion(1)
                    .event("Cancelled", order(i), "{}")));
            commands.add(Command.of(tenant(i)).append(Append.to(order(i)).expectingVersion(1)
                    .event("Cancelled", order(i), "{}")));
        }
        return commands;
    }

    private static List<CommandResult> send(IngestClient client, List<Command> commands) {
        List<CompletableFuture<CommandResult>> pending = new ArrayList<>();
        for (Command command : commands) {
            pending.add(client.append(command, RESULT_WAIT));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private IngestWorker startWorker(IngestTopics pipelineTopics, String group, String workerId) {
        WorkerSettings settings = WorkerSettings.defaults(workerId, pipelineTopics,
                        Map.of("bootstrap.servers", broker.bootstrapServers()))
                .withGroupId(group)
                .withBatching(200, Duration.ofMillis(5))
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1));
        return IngestWorker.start(settings, new EventStore(database.dataSource(), StoreSettings.DEFAULT),
                new SchemaRegistryClient(RegistrySettings.of(registry.url())), ContractSettings.EMBEDDED,
                new WorkerMetrics(new SimpleMeterRegistry()));
    }

    private ClientSettings clientSettings(IngestTopics pipelineTopics) {
        return ClientSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new SchemaRegistryClient(RegistrySettings.of(registry.url())))
                .withTopics(pipelineTopics)
                .withTimeout(RESULT_WAIT)
                .withAutoRegisterSchemas(true);
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = result.getObject(i);
                    if (value instanceof java.sql.Timestamp timestamp) {
                        value = timestamp.toInstant();
                    } else if (value instanceof java.math.BigDecimal decimal) {
                        value = decimal.longValueExact();
                    } else if (value instanceof Integer number) {
                        value = number.longValue();
                    }
                    row.add(value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String order(int i) {
        return "order-" + i;
    }

    private static String invoice(int i) {
        return "invoice-of-order-" + i;
    }

    private static String tenant(int i) {
        return TENANTS.get(i % TENANTS.size());
    }
}
