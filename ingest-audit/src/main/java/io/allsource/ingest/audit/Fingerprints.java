package io.allsource.ingest.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.StreamOutcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fingerprints of events and results in the contract's terms, computed alike from a record on a topic and from the
 * rows the database stores, so that "the copy on the topic is the stored one" is one comparison of two longs.
 * Timestamps count in milliseconds (the records' {@code timestamp-millis}); a result's {@code duplicate} flag is left
 * out, since the contract lets copies differ in it. An event's {@code erased} flag counts, so that an erased event's
 * original copy never equals its redacted row. Thread-safe.
 */
final class Fingerprints {

    /** The events columns {@link #event(ResultSet)} reads. */
    static final String EVENT_COLUMNS = "event_id::text AS event_id, stream_id, version, partition_id,"
            + " partition_sequence, tenant_id, event_type, entity_id, payload::text AS payload,"
            + " metadata::text AS metadata, command_id, timestamp, erased";

    /** The command_results columns {@link #result(ResultSet)} reads. */
    static final String RESULT_COLUMNS = "command_id, status, reason, message, partition_id, command_offset,"
            + " streams::text AS streams, first_sequence, last_sequence, committed_at";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> METADATA = new TypeReference<>() { };

    private Fingerprints() {
    }

    static long event(EventRecord event) {
        return new Digest().text(event.getEventId()).text(event.getStreamId()).number(event.getVersion())
                .number(event.getPartition()).number(event.getPartitionSequence()).text(event.getTenantId())
                .text(event.getEventType()).text(event.getEntityId()).text(event.getPayload())
                .map(event.getMetadata()).text(event.getCommandId())
                .number(event.getRecordedAt().toEpochMilli()).number(event.getErased() ? 1L : 0L).finish();
    }

    static long event(ResultSet row) throws SQLException {
        return new Digest().text(row.getString("event_id")).text(row.getString("stream_id"))
                .number(row.getLong("version")).number(row.getInt("partition_id"))
                .number(row.getLong("partition_sequence")).text(row.getString("tenant_id"))
                .text(row.getString("event_type")).text(row.getString("entity_id")).text(row.getString("payload"))
                .map(metadata(row.getString("metadata"))).text(row.getString("command_id"))
                .number(row.getTimestamp("timestamp").toInstant().toEpochMilli())
                .number(row.getBoolean("erased") ? 1L : 0L).finish();
    }

    static long result(CommandResult result) {
        Digest digest = new Digest().text(result.getCommandId()).text(result.getStatus().name())
                .text(storedReason(result)).text(result.getMessage())
                .number(result.getPartition()).number(result.getOffset()).number(result.getStreams().size());
        for (StreamOutcome outcome : result.getStreams()) {
            ExpectedVersionKind kind = outcome.getExpectedVersion().getKind();
            digest.text(outcome.getStreamId()).text(kind.name())
                    .number(kind == ExpectedVersionKind.EXACT ? outcome.getExpectedVersion().getVersion() : 0L)
                    .number(outcome.getCurrentVersion()).number(outcome.getFirstVersion())
                    .number(outcome.getLastVersion());
        }
        return digest.number(result.getFirstSequence()).number(result.getLastSequence())
                .number(result.getCommittedAt().toEpochMilli()).finish();
    }

    /**
     * The reason as the database stores it: the result's {@code reason_code} (the worker's own reason, which may be
     * newer than the enum), else, for a result published before the field existed, its {@code reason}.
     */
    private static String storedReason(CommandResult result) {
        if (result.getReasonCode() != null) {
            return result.getReasonCode();
        }
        return result.getReason() == null ? null : result.getReason().name();
    }

    static long result(ResultSet row) throws SQLException {
        Digest digest = new Digest().text(row.getString("command_id")).text(row.getString("status"))
                .text(row.getString("reason")).text(row.getString("message")).number(row.getInt("partition_id"))
                .number(row.getLong("command_offset"));
        JsonNode streams = json(row.getString("streams"));
        digest.number(streams.size());
        for (JsonNode outcome : streams) {
            JsonNode expected = outcome.get("expected_version");
            String kind = expected.get("kind").asText();
            digest.text(outcome.get("stream_id").asText()).text(kind)
                    .number(kind.equals(ExpectedVersionKind.EXACT.name()) ? expected.get("version").asLong() : 0L)
                    .number(outcome.get("current_version").asLong()).number(nullableLong(outcome.get("first_version")))
                    .number(nullableLong(outcome.get("last_version")));
        }
        return digest.number(nullableLong(row, "first_sequence")).number(nullableLong(row, "last_sequence"))
                .number(row.getTimestamp("committed_at").toInstant().toEpochMilli()).finish();
    }

    private static Map<String, String> metadata(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, METADATA);
        } catch (JsonProcessingException e) {
            throw new AuditException("events.metadata does not hold a map of strings: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AuditException("command_results.streams is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Long nullableLong(JsonNode node) {
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
