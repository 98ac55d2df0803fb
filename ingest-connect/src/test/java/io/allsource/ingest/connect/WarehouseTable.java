package io.allsource.ingest.connect;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * The JDBC sink's target table in a warehouse database of its own, created by the warehouse part of
 * {@code connect/postgres-init.sql} as shipped, and read back row by row in the shape of an event, so that what the
 * sink wrote can be compared with the events topic field by field. Not thread-safe.
 */
final class WarehouseTable {

    private static final List<String> COLUMNS = EventRecord.getClassSchema().getFields().stream()
            .map(Schema.Field::name).toList();

    private final TestDatabase database;

    private WarehouseTable(TestDatabase database) {
        this.database = database;
    }

    /** Runs the shipped warehouse DDL in {@code database}, which stands for the compose stack's {@code warehouse}. */
    static WarehouseTable create(TestDatabase database) throws SQLException {
        database.execute(shippedDdl());
        return new WarehouseTable(database);
    }

    long rowCount() {
        return database.queryForLong("SELECT count(*) FROM events");
    }

    /** Every row, by event id, column by column: timestamps as instants, the hstore metadata as a map. */
    Map<String, Map<String, Object>> rows() throws SQLException {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM events ORDER BY event_id")) {
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String column : COLUMNS) {
                    row.put(column, column.equals("recorded_at")
                            ? result.getObject(column, OffsetDateTime.class).toInstant() : result.getObject(column));
                }
                rows.put(result.getString("event_id"), row);
            }
        }
        return rows;
    }

    /** The row the sink is to write for {@code event}: every field of it. */
    static Map<String, Object> rowOf(EventRecord event) {
        Map<String, Object> row = new LinkedHashMap<>();
        COLUMNS.forEach(column -> row.put(column, event.get(column)));
        return row;
    }

    /** The row the sink is to write for an event as Kafka Connect's {@code JsonConverter} read it from the topic. */
    static Map<String, Object> rowOf(Struct event) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : COLUMNS) {
            Object value = event.get(column);
            row.put(column, value instanceof Date date ? date.toInstant() : value);
        }
        return row;
    }

    /** The warehouse part of the init script: what runs in the warehouse database. */
    private static String shippedDdl() {
        try {
            String script = Files.readString(RepositoryFiles.file("connect/postgres-init.sql"));
            String marker = "\\connect warehouse";
            int start = script.indexOf(marker);
            if (start < 0) {
                throw new IllegalStateException("postgres-init.sql does not connect to the warehouse database");
            }
            return script.substring(script.indexOf('\n', start) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
