package io.allsource.ingest.store;

import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.FallbackKey;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOperation;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.contract.TraceContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Maps the store's rows to values, and free text to what PostgreSQL can store. */
final class StoreRows {

    private StoreRows() {
    }

    static PartitionState partitionState(ResultSet row) throws SQLException {
        long logResetId = row.getLong("log_reset_id");
        if (row.wasNull()) {
            logResetId = FallbackKey.FIRST_LOG;
        }
        return new PartitionState(row.getInt("partition_id"), row.getLong("owner_epoch"), row.getString("owner_id"),
                row.getLong("next_offset"), row.getLong("last_sequence"), row.getLong("published_offset"),
                row.getLong("published_sequence"), logResetId);
    }

    static CommandResult commandResult(ResultSet row, boolean duplicate) throws SQLException {
        String reason = row.getString("reason");
        String operation = row.getString("operation");
        return new CommandResult(
                row.getString("command_id"),
                CommandResult.Status.valueOf(row.getString("status")),
                reason == null ? null : RejectionReason.valueOf(reason),
                row.getString("message"),
                row.getInt("partition_id"),
                row.getLong("command_offset"),
                JsonColumns.outcomesFromJson(row.getString("streams")),
                nullableLong(row, "first_sequence"),
                nullableLong(row, "last_sequence"),
                duplicate,
                row.getTimestamp("committed_at").toInstant(),
                operation == null ? null : StreamOperation.Kind.valueOf(operation));
    }

    /** The row's {@code content_fingerprint}, or {@code null} when it has none. */
    static CommandFingerprint fingerprint(ResultSet row) throws SQLException {
        String hex = row.getString("content_fingerprint");
        return hex == null ? null : new CommandFingerprint(hex);
    }

    static ReplyRoute replyRoute(ResultSet row) throws SQLException {
        int partition = row.getInt("reply_partition");
        Integer replyPartition = row.wasNull() ? null : partition;
        return new ReplyRoute(row.getString("reply_topic"), replyPartition, row.getBytes("correlation_id"),
                row.getBytes("reply_key"), trace(row));
    }

    /**
     * The row's {@code traceparent} and {@code tracestate}, or null when it has none (stored before V10, or a delivery
     * without one). Read through {@link TraceContext#parse} rather than trusted: a value the worker would not have
     * written (a row edited by hand) is dropped, as it would have been on the way in.
     */
    static TraceContext trace(ResultSet row) throws SQLException {
        String traceparent = row.getString("traceparent");
        return traceparent == null ? null : TraceContext.parse(traceparent, row.getString("tracestate")).orElse(null);
    }

    static StoredEvent storedEvent(ResultSet row) throws SQLException {
        return new StoredEvent(
                row.getObject("event_id", UUID.class),
                row.getString("stream_id"),
                row.getLong("version"),
                row.getInt("partition_id"),
                row.getLong("partition_sequence"),
                row.getString("tenant_id"),
                row.getString("event_type"),
                row.getString("entity_id"),
                row.getString("payload"),
                JsonColumns.metadataFromJson(row.getString("metadata")),
                row.getString("command_id"),
                row.getTimestamp("timestamp").toInstant(),
                trace(row),
                row.getBoolean("erased"));
    }

    /**
     * {@code text} with what PostgreSQL's text cannot hold (NUL, unpaired surrogates) replaced by U+FFFD. Used for
     * free text that reaches the store unvalidated, such as header values and error messages.
     */
    static String storable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder cleaned = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == 0 || (!pair && Character.isSurrogate(c));
            if (bad && cleaned == null) {
                cleaned = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (cleaned != null) {
                cleaned.append(bad ? '\uFFFD' : c);
                if (pair) {
                    cleaned.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return cleaned == null ? text : cleaned.toString();
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
