package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.connect.EventWorkload.Committed;
import io.allsource.ingest.connect.RepositoryFiles.ConnectorDefinition;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.PostgresServer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Debezium's JDBC sink connector, configured as the shipped {@code connect/jdbc-sink-events*.json} with only the
 * topic, the database and the registry's address changed, lands a real worker's events in the warehouse table of
 * {@code connect/postgres-init.sql}: one row per event, every field intact (the metadata map as hstore), upserted by
 * {@code event_id}, so that the copies a worker republishes after a crash overwrite the rows they repeat. Once for
 * each events format: Avro through Apicurio's converter in Confluent mode, and the JSON envelope through Connect's
 * {@code JsonConverter}.
 */
@ExtendWith({ConnectClusterExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class EventsJdbcSinkIT {

    private static final int STREAMS = 12;
    private static final Duration SINK_WAIT = Duration.ofSeconds(120);

    private final TestConnectCluster connect;
    private final PostgresServer postgres;
    private final TestSchemaRegistry registry;
    private final List<String> connectors = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    EventsJdbcSinkIT(TestConnectCluster connect, PostgresServer postgres, TestSchemaRegistry registry) {
        this.connect = connect;
        this.postgres = postgres;
        this.registry = registry;
    }

    @AfterEach
    void close() throws Exception {
        connectors.forEach(connect::deleteConnector);
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void avroEventsLandOneRowPerEventWithEveryFieldAndRepublishedCopiesOverwriteTheirRows() throws Exception {
        SinkPipeline pipeline = pipeline(EventsFormat.AVRO);
        TestDatabase warehouseDatabase = database("warehouse_avro");
        WarehouseTable warehouse = WarehouseTable.create(warehouseDatabase);

        ConnectorDefinition shipped = RepositoryFiles.connector("jdbc-sink-events.json");
        start(shipped, pipeline, warehouseDatabase,
                Map.of("value.converter.apicurio.registry.url", pipeline.apicurioApiUrl()));
        Committed committed = EventWorkload.run(pipeline.client(), STREAMS);
        awaitRows(warehouse, committed.eventCount(), shipped.name());
        pipeline.restartAfterCrash();
        List<Map<String, Object>> published = pipeline.publishedEvents(committed.eventCount(),
                2 * committed.eventCount()).stream().map(ConsumerRecord::value).map(WarehouseTable::rowOf).toList();
        connect.awaitSinkCaughtUp(shipped.name(), pipeline.topics().events());

        assertHoldsExactlyOneRowPerEventAsPublished(warehouse, published, committed);
    }

    @Test
    void jsonEnvelopeEventsLandOneRowPerEventWithEveryFieldAndRepublishedCopiesOverwriteTheirRows() throws Exception {
        SinkPipeline pipeline = pipeline(EventsFormat.JSON_ENVELOPE);
        TestDatabase warehouseDatabase = database("warehouse_json");
        WarehouseTable warehouse = WarehouseTable.create(warehouseDatabase);

        ConnectorDefinition shipped = RepositoryFiles.connector("jdbc-sink-events-json-envelope.json");
        start(shipped, pipeline, warehouseDatabase, Map.of());
        Committed committed = EventWorkload.run(pipeline.client(), STREAMS);
        awaitRows(warehouse, committed.eventCount(), shipped.name());
        pipeline.restartAfterCrash();
        List<Map<String, Object>> published = pipeline.publishedEnvelopes(committed.eventCount(),
                2 * committed.eventCount()).stream().map(ConsumerRecord::value).map(WarehouseTable::rowOf).toList();
        connect.awaitSinkCaughtUp(shipped.name(), pipeline.topics().events());

        assertHoldsExactlyOneRowPerEventAsPublished(warehouse, published, committed);
    }

    /** A worker on a store database of its own; closed before that database is dropped. */
    private SinkPipeline pipeline(EventsFormat format) {
        SinkPipeline pipeline = SinkPipeline.start(connect, database("store"), registry, format);
        opened.add(pipeline);
        return pipeline;
    }

    /** A new database, dropped after the test (resources close in the reverse order of their opening). */
    private TestDatabase database(String hint) {
        TestDatabase database = postgres.createDatabase(hint);
        opened.add(database);
        return database;
    }

    private void start(ConnectorDefinition shipped, SinkPipeline pipeline, TestDatabase warehouse,
            Map<String, String> overrides) throws InterruptedException {
        Map<String, String> changed = new LinkedHashMap<>(overrides);
        changed.put("topics", pipeline.topics().events());
        changed.put("connection.url", warehouse.jdbcUrl());
        changed.put("connection.username", "postgres");
        changed.put("connection.password", "postgres");
        connectors.add(shipped.name());
        connect.startConnector(shipped.name(), shipped.configWith(changed));
    }

    private void awaitRows(WarehouseTable warehouse, int rows, String connector) {
        Awaitility.await().alias(rows + " rows in the warehouse table").atMost(SINK_WAIT)
                .pollInterval(Duration.ofMillis(200)).failFast(() -> connect.assertNotFailed(connector))
                .until(warehouse::rowCount, count -> count >= rows);
    }

    private static void assertHoldsExactlyOneRowPerEventAsPublished(WarehouseTable warehouse,
            List<Map<String, Object>> published, Committed committed) throws Exception {
        Map<Object, Map<String, Object>> expected = new LinkedHashMap<>();
        published.forEach(row -> expected.put(row.get("event_id"), row));
        assertThat(published).as("every event published twice").hasSize(2 * expected.size());
        assertThat(expected).as("distinct events published").hasSize(committed.eventCount());

        Map<String, Map<String, Object>> rows = warehouse.rows();

        assertThat(rows).as("one row per event").hasSize(committed.eventCount());
        assertThat(rows.keySet()).doesNotContain(committed.rejectedEventId().toString());
        assertThat(rows.values()).allSatisfy(row -> assertThat(row).as("row of %s", row.get("event_id"))
                .isEqualTo(expected.get(row.get("event_id"))));
        assertThat(rows.values()).anySatisfy(row -> assertThat((Map<?, ?>) row.get("metadata")).isNotEmpty());
    }
}
