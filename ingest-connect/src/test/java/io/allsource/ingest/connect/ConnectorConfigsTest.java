package io.allsource.ingest.connect;

import io.allsource.ingest.serde.JsonEnvelopeSerializer;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.topics.IngestTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * The connector configs under {@code connect/}: each reads the events topic as the contract publishes it, the Avro
 * ones through the compose stack's registry, and the JDBC sinks upsert every field of an event into the table
 * {@code postgres-init.sql} creates. (The sinks also run for real in {@link EventsFileSinkIT} and
 * {@link EventsJdbcSinkIT}.)
 */
class ConnectorConfigsTest {

    private static final List<String> AVRO_CONFIGS = List.of("file-sink-events.json", "jdbc-sink-events.json");
    private static final List<String> JDBC_CONFIGS = List.of("jdbc-sink-events.json",
            "jdbc-sink-events-json-envelope.json");
    private static final List<String> ALL_CONFIGS = List.of("file-sink-events.json",
            "file-sink-events-json-envelope.json", "jdbc-sink-events.json", "jdbc-sink-events-json-envelope.json");

    @Test
    void everySinkReadsTheEventsTopicWithStringKeys() {
        assertThat(ALL_CONFIGS).allSatisfy(file -> {
            Map<String, String> config = RepositoryFiles.connector(file).config();
            assertThat(config.get("topics")).as(file).isEqualTo(IngestTopics.DEFAULT.events());
            assertThat(config.get("key.converter")).as(file)
                    .isEqualTo("org.apache.kafka.connect.storage.StringConverter");
        });
        assertThat(ALL_CONFIGS.stream().map(file -> RepositoryFiles.connector(file).name()))
                .as("connector names").doesNotHaveDuplicates();
    }

    @Test
    void theAvroSinksReadTheConfluentWireFormatFromTheStacksRegistryByContentId() {
        assertThat(AVRO_CONFIGS).allSatisfy(file -> assertThat(RepositoryFiles.connector(file).config())
                .as(file)
                .containsEntry("value.converter", "io.apicurio.registry.utils.converter.AvroConverter")
                .containsEntry("value.converter.apicurio.registry.url", "http://registry:8080/apis/registry/v2")
                .containsEntry("value.converter.apicurio.registry.as-confluent", "true")
                .containsEntry("value.converter.apicurio.registry.use-id", "contentId")
                .containsEntry("value.converter.apicurio.registry.headers.enabled", "false"));
    }

    @Test
    void theJsonEnvelopeSinksReadWithSchemasEnabled() {
        assertThat(List.of("file-sink-events-json-envelope.json", "jdbc-sink-events-json-envelope.json"))
                .allSatisfy(file -> assertThat(RepositoryFiles.connector(file).config()).as(file)
                        .containsEntry("value.converter", JsonConverter.class.getName())
                        .containsEntry("value.converter.schemas.enable", "true"));
    }

    @Test
    void theFileSinksPassTheFileConnectorsOwnValidation() {
        assertThat(List.of("file-sink-events.json", "file-sink-events-json-envelope.json")).allSatisfy(file -> {
            Map<String, String> config = RepositoryFiles.connector(file).config();
            assertThat(config.get("connector.class")).isEqualTo(FileStreamSinkConnector.class.getName());
            List<String> errors = new FileStreamSinkConnector().validate(config).configValues().stream()
                    .flatMap(value -> value.errorMessages().stream().map(message -> value.name() + ": " + message))
                    .toList();
            assertThat(errors).as(file).isEmpty();
        });
    }

    @Test
    void theJdbcSinksUpsertIntoTheWarehouseEventsTableKeyedByEventId() throws IOException {
        String initScript = Files.readString(RepositoryFiles.file("connect/postgres-init.sql"));

        assertThat(JDBC_CONFIGS).allSatisfy(file -> assertThat(RepositoryFiles.connector(file).config()).as(file)
                .containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
                .containsEntry("insert.mode", "upsert")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("primary.key.fields", "event_id")
                .containsEntry("collection.name.format", "events")
                .containsEntry("schema.evolution", "none")
                .containsEntry("delete.enabled", "false")
                .containsEntry("connection.url", "jdbc:postgresql://postgres:5432/warehouse")
                .doesNotContainKey("transforms"));
        assertThat(initScript).contains("CREATE DATABASE warehouse", "\\connect warehouse",
                "CREATE EXTENSION IF NOT EXISTS hstore");
        assertThat(warehouseColumns(initScript)).containsEntry("event_id", "text PRIMARY KEY")
                .containsEntry("metadata", "hstore NOT NULL");
    }

    @Test
    void theWarehouseTableHasAColumnForEveryFieldOfTheEventAsASinkReceivesIt() throws IOException {
        Struct event = eventAsConnectStruct();

        assertThat(warehouseColumns(Files.readString(RepositoryFiles.file("connect/postgres-init.sql"))).keySet())
                .containsExactlyInAnyOrderElementsOf(event.schema().fields().stream().map(Field::name).toList());
    }

    /** An event as a converter hands it to a sink: the JSON envelope read by Connect's JsonConverter. */
    private static Struct eventAsConnectStruct() {
        EventRecord event = EventRecord.newBuilder().setEventId("6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e")
                .setStreamId("stream").setVersion(1L).setPartition(3).setPartitionSequence(9L).setTenantId("t")
                .setEventType("Happened").setEntityId("e").setPayload("{}").setMetadata(Map.of("k", "v"))
                .setCommandId("d7c1a2b3-0000-4000-8000-00000000002a").setRecordedAt(Instant.ofEpochMilli(1L)).build();
        try (JsonConverter converter = new JsonConverter()) {
            converter.configure(Map.of("schemas.enable", "true"), false);
            return (Struct) converter.toConnectData(IngestTopics.DEFAULT.events(),
                    JsonEnvelopeSerializer.forEvents().serialize(IngestTopics.DEFAULT.events(), event)).value();
        }
    }

    /** The columns of the warehouse's events table in the init script, with their definitions. */
    private static Map<String, String> warehouseColumns(String initScript) {
        Matcher table = Pattern.compile("CREATE TABLE events \\((.*?)\\n\\);", Pattern.DOTALL).matcher(initScript);
        assertThat(table.find()).as("CREATE TABLE events in postgres-init.sql").isTrue();
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : table.group(1).split(",\\s*\\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (!parts[0].equals("UNIQUE") && !parts[0].equals("PRIMARY")) {
                columns.put(parts[0].replace("\"", ""), parts[1].replaceAll("\\s+", " "));
            }
        }
        return columns;
    }
}
