package io.allsource.ingest.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.StreamOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSONB columns of the store that hold structured values: stream outcomes of a result ({@code command_results.streams},
 * in the contract's field names) and event metadata ({@code events.metadata}). Thread-safe.
 */
final class JsonColumns {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> METADATA = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String outcomesToJson(List<StreamOutcome> outcomes) {
        ArrayNode array = MAPPER.createArrayNode();
        for (StreamOutcome outcome : outcomes) {
            ObjectNode node = array.addObject();
            node.put("stream_id", outcome.streamId());
            ObjectNode expected = node.putObject("expected_version");
            expected.put("kind", outcome.expectedVersion().kind().name());
            if (outcome.expectedVersion() instanceof ExpectedVersion.Exact exact) {
                expected.put("version", exact.version());
            }
            node.put("current_version", outcome.currentVersion());
            node.put("first_version", outcome.firstVersion());
            node.put("last_version", outcome.lastVersion());
        }
        return write(array);
    }

    static List<StreamOutcome> outcomesFromJson(String json) {
        JsonNode array = read(json);
        List<StreamOutcome> outcomes = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            outcomes.add(new StreamOutcome(
                    node.get("stream_id").asText(),
                    expectedVersion(node.get("expected_version")),
                    node.get("current_version").asLong(),
                    nullableLong(node.get("first_version")),
                    nullableLong(node.get("last_version"))));
        }
        return outcomes;
    }

    static String metadataToJson(Map<String, String> metadata) {
        return write(MAPPER.valueToTree(new TreeMap<>(metadata)));
    }

    static Map<String, String> metadataFromJson(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, METADATA);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("events.metadata does not hold a string map: " + e.getOriginalMessage(), e);
        }
    }

    private static ExpectedVersion expectedVersion(JsonNode node) {
        return switch (ExpectedVersion.Kind.valueOf(node.get("kind").asText())) {
            case ANY -> ExpectedVersion.any();
            case NO_STREAM -> ExpectedVersion.noStream();
            case STREAM_EXISTS -> ExpectedVersion.streamExists();
            case EXACT -> ExpectedVersion.exact(node.get("version").asLong());
        };
    }

    private static Long nullableLong(JsonNode node) {
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored JSON column could not be read: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }
}
