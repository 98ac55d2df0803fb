package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.connect.EventWorkload.Committed;
import io.allsource.ingest.connect.RepositoryFiles.ConnectorDefinition;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.store.RedactionMarker;
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
import java.util.Set;
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
 * {@code JsonConverter}. Then a stream is erased and another deleted: the redacted copies overwrite their rows
 * (payload, entity id and metadata the redaction marker, {@code erased} true), every other row stays as it was, and
 * the tombstones that follow (null values) are skipped by the sink ({@code delete.enabled=false}) without failing
 * its task.
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
    void avroEventsLandOneRowPerEventRepublishedCopiesOverwriteTheirRowsAndAnEraseRedactsThem() throws Exception {
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
        assertEraseAndDeleteRedactTheirRows(pipeline, shipped.name(), warehouse, published, committed);
    }

    @Test
    void jsonEnvelopeEventsLandOneRowPerEventRepublishedCopiesOverwriteTheirRowsAndAnEraseRedactsThem()
            throws Exception {
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
        assertEraseAndDeleteRedactTheirRows(pipeline, shipped.name(), warehouse, published, committed);
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

    /**
     * Erases a stream and deletes a child stream (placed by its parent's key), then holds the table against what the
     * redacted copies say: the rows of both streams carry the redaction marker and {@code erased} true, everything
     * else of them and every other row unchanged, and the sink has gone past both tombstones without failing.
     */
    private void assertEraseAndDeleteRedactTheirRows(SinkPipeline pipeline, String connector,
            WarehouseTable warehouse, List<Map<String, Object>> published, Committed committed) throws Exception {
        String child = committed.lastVersions().keySet().stream().filter(stream -> stream.endsWith("-child"))
                .findFirst().orElseThrow();
        String parent = child.substring(0, child.length() - "-child".length());
        CommandResult erased = pipeline.client().erase(EventWorkload.TENANT, parent, null,
                new ExpectedVersion(ExpectedVersionKind.EXACT, committed.lastVersions().get(parent))).get();
        CommandResult deleted = pipeline.client().delete(EventWorkload.TENANT, child, parent,
                new ExpectedVersion(ExpectedVersionKind.EXACT, committed.lastVersions().get(child))).get();
        assertThat(erased.getStatus()).as("erase: %s", erased.getMessage()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(deleted.getStatus()).as("delete: %s", deleted.getMessage()).isEqualTo(CommandStatus.ACCEPTED);
        Set<String> redactedStreams = Set.of(parent, child);
        pipeline.awaitTombstones(redactedStreams);
        connect.awaitSinkCaughtUp(connector, pipeline.topics().events());
        connect.assertNotFailed(connector);

        Map<Object, Map<String, Object>> expected = new LinkedHashMap<>();
        published.forEach(row -> expected.put(row.get("event_id"),
                redactedStreams.contains(row.get("stream_id")) ? redacted(row) : row));
        Map<String, Map<String, Object>> rows = warehouse.rows();

        assertThat(rows).as("one row per event, no more").hasSize(committed.eventCount());
        assertThat(rows.values()).filteredOn(row -> redactedStreams.contains(row.get("stream_id")))
                .as("rows of the erased and the deleted stream").hasSize((int) (committed.lastVersions().get(parent)
                        + committed.lastVersions().get(child)))
                .allSatisfy(row -> assertThat(row).containsEntry("payload", RedactionMarker.PAYLOAD)
                        .containsEntry("entity_id", RedactionMarker.ENTITY_ID).containsEntry("metadata", Map.of())
                        .containsEntry("erased", true));
        assertThat(rows.values()).allSatisfy(row -> assertThat(row).as("row of %s", row.get("event_id"))
                .isEqualTo(expected.get(row.get("event_id"))));
    }

    /** The row of an event's redacted copy: the redaction marker in payload, entity id and metadata, erased true. */
    private static Map<String, Object> redacted(Map<String, Object> row) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put("payload", RedactionMarker.PAYLOAD);
        copy.put("entity_id", RedactionMarker.ENTITY_ID);
        copy.put("metadata", Map.of());
        copy.put("erased", true);
        return copy;
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
