package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.avro.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/**
 * What a file sink wrote: one line per record, each the value's Connect schema and payload as rendered by
 * {@link RenderValueAsJson}, read back into {@link EventRecord}s.
 */
final class SinkFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record as the sink received it: the Connect types of its fields and the event they carried. */
    record SinkLine(Map<String, String> fieldTypes, EventRecord event) {
    }

    private SinkFile() {
    }

    /**
     * Waits until {@code file} holds at least {@code count} distinct events (a sink may receive an event twice) and
     * returns every complete line, failing at once when {@code notFailed} does (a failed sink task writes nothing
     * more).
     */
    static List<SinkLine> awaitLines(Path file, int count, ThrowingRunnable notFailed) {
        List<SinkLine> lines = new ArrayList<>();
        Awaitility.await().alias(count + " distinct events in the sink file " + file)
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .failFast("the sink connector failed", notFailed)
                .until(() -> {
                    lines.clear();
                    completeLines(file).stream().map(SinkFile::parse).forEach(lines::add);
                    return lines.stream().map(line -> line.event().getEventId()).distinct().count() >= count;
                });
        return List.copyOf(lines);
    }

    private static List<String> completeLines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SinkLine parse(String line) {
        try {
            JsonNode rendered = JSON.readTree(line);
            return new SinkLine(fieldTypes(rendered.required("schema")), event(rendered.required("payload")));
        } catch (IOException | IllegalArgumentException e) {
            return fail("The sink wrote a line that is not a rendered event: " + line, e);
        }
    }

    /** Each field's Connect type, with the logical name when there is one: {@code int64/...Timestamp}. */
    private static Map<String, String> fieldTypes(JsonNode schema) {
        assertThat(schema.path("type").asText()).as("the record's Connect type").isEqualTo("struct");
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode field : schema.required("fields")) {
            String type = field.required("type").asText();
            if (field.hasNonNull("name")) {
                type += "/" + field.get("name").asText();
            }
            if (type.equals("map")) {
                type += "<" + field.path("keys").path("type").asText() + "," + field.path("values").path("type")
                        .asText() + ">";
            }
            types.put(field.required("field").asText(), type + (field.path("optional").asBoolean() ? "?" : ""));
        }
        return types;
    }

    private static EventRecord event(JsonNode payload) {
        Map<String, String> metadata = new LinkedHashMap<>();
        payload.required("metadata").properties().forEach(entry -> metadata.put(entry.getKey(),
                text(entry.getValue(), "metadata." + entry.getKey())));
        return EventRecord.newBuilder()
                .setEventId(text(payload.required("event_id"), "event_id"))
                .setStreamId(text(payload.required("stream_id"), "stream_id"))
                .setVersion(integral(payload, "version"))
                .setPartition(Math.toIntExact(integral(payload, "partition")))
                .setPartitionSequence(integral(payload, "partition_sequence"))
                .setTenantId(text(payload.required("tenant_id"), "tenant_id"))
                .setEventType(text(payload.required("event_type"), "event_type"))
                .setEntityId(text(payload.required("entity_id"), "entity_id"))
                .setPayload(text(payload.required("payload"), "payload"))
                .setMetadata(metadata)
                .setCommandId(text(payload.required("command_id"), "command_id"))
                .setRecordedAt(Instant.ofEpochMilli(integral(payload, "recorded_at")))
                .setErased(bool(payload, "erased"))
                .build();
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string: " + value);
        }
        return value.textValue();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.required(field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " is not a boolean: " + value);
        }
        return value.booleanValue();
    }

    private static long integral(JsonNode node, String field) {
        JsonNode value = node.required(field);
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " is not an integer: " + value);
        }
        return value.longValue();
    }
}
