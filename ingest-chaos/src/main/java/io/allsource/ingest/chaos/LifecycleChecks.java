package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.Check;
import io.allsource.ingest.audit.CheckTally;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.store.RedactionMarker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The end-of-run checks of the soak's deletes and erases, from the load's own record ({@link LifecycleLog}) against the
 * database and the events topic, once the pipeline has caught up:
 * <ul>
 *   <li>every fresh append the load sent to a stream after a delete of it that was accepted is rejected
 *       {@code STREAM_DELETED};</li>
 *   <li>a stream whose delete was accepted ends at the version the delete's result names: marked deleted there, no
 *       event above it;</li>
 *   <li>the events of a stream through the highest version an accepted delete or erase of it names carry the
 *       redaction marker ({@link RedactionMarker}), and none above it is marked erased;</li>
 *   <li>every erased event has a redacted copy (erased, with the marker) on the events topic, and every accepted
 *       delete or erase a tombstone under its stream's key.</li>
 * </ul>
 * Independent of the audit's own checks, which judge every stream of the store. Not thread-safe.
 */
final class LifecycleChecks {

    private static final String OUTCOMES = """
            SELECT command_id, status, COALESCE(reason, ''), partition_id, command_offset,
                   (streams -> 0 ->> 'current_version')::bigint
            FROM command_results WHERE command_id = ANY (?)""";

    private static final String DELETED_STREAM = """
            SELECT s.deleted_at_version, s.current_version, (SELECT max(version) FROM events e
                WHERE e.stream_id = s.stream_id)
            FROM event_streams s WHERE s.stream_id = ?""";

    private static final String MARKED = """
            SELECT count(*) FILTER (WHERE version <= ?),
                   count(*) FILTER (WHERE version <= ? AND NOT (erased AND payload = ?::jsonb AND entity_id = ?
                       AND (metadata IS NULL OR metadata = '{}'::jsonb))),
                   count(*) FILTER (WHERE version > ? AND erased)
            FROM events WHERE stream_id = ?""";

    private static final String ERASED_EVENTS = "SELECT event_id::text, stream_id FROM events WHERE erased";

    /** A stored outcome of a command the load sent. */
    private record Outcome(String status, String reason, int partition, long offset, long version) {
        boolean accepted() {
            return status.equals("ACCEPTED");
        }
    }

    private final DataSource dataSource;
    private final String bootstrapServers;
    private final String registryUrl;
    private final String eventsTopic;

    LifecycleChecks(DataSource dataSource, String bootstrapServers, String registryUrl, String eventsTopic) {
        this.dataSource = dataSource;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.eventsTopic = eventsTopic;
    }

    /** Judges what the load sent, of which {@code acknowledged} are the command ids the broker acknowledged. */
    LifecycleReport run(LifecycleLog log, Set<String> acknowledged) {
        List<LifecycleLog.Operation> operations = log.operations().stream()
                .filter(operation -> acknowledged.contains(operation.commandId())).toList();
        List<LifecycleLog.AppendAfterDelete> appends = log.appendsAfterDelete().stream()
                .filter(append -> acknowledged.contains(append.commandId())).toList();
        List<String> ids = new ArrayList<>();
        operations.forEach(operation -> ids.add(operation.commandId()));
        appends.forEach(append -> ids.add(append.commandId()));
        Map<String, Outcome> outcomes = outcomes(ids);

        long deletesAccepted = 0;
        long erasesAccepted = 0;
        Map<String, Long> rejected = new HashMap<>();
        Map<String, Long> erasedThrough = new HashMap<>();
        Map<String, Long> acceptedByStream = new HashMap<>();
        List<Check> checks = new ArrayList<>();
        CheckTally deletedEnd = new CheckTally("deleted streams end at the version of their delete");
        for (LifecycleLog.Operation operation : operations) {
            Outcome outcome = outcomes.get(operation.commandId());
            if (outcome == null) {
                continue; // no stored outcome: the audit's "every command sent has a stored outcome" reports it
            }
            if (!outcome.accepted()) {
                rejected.merge(operation.kind() + " " + outcome.reason(), 1L, Long::sum);
                continue;
            }
            if (operation.kind().equals("DELETE")) {
                deletesAccepted++;
                checkDeletedEnd(operation.streamId(), outcome.version(), deletedEnd);
            } else {
                erasesAccepted++;
            }
            erasedThrough.merge(operation.streamId(), outcome.version(), Math::max);
            acceptedByStream.merge(operation.streamId(), 1L, Long::sum);
        }
        checks.add(appendsAfterDelete(appends, outcomes));
        checks.add(deletedEnd.toCheck());
        checks.add(marked(erasedThrough));
        checks.addAll(onTheTopic(acceptedByStream));
        long deletesSent = operations.stream().filter(operation -> operation.kind().equals("DELETE")).count();
        return new LifecycleReport(deletesSent, operations.size() - deletesSent, deletesAccepted, erasesAccepted,
                rejected, appends.size(), checks);
    }

    private Check appendsAfterDelete(List<LifecycleLog.AppendAfterDelete> appends, Map<String, Outcome> outcomes) {
        CheckTally tally = new CheckTally("appends after an accepted delete rejected STREAM_DELETED");
        for (LifecycleLog.AppendAfterDelete append : appends) {
            Outcome outcome = outcomes.get(append.commandId());
            Outcome delete = append.deletesBefore().stream().map(outcomes::get)
                    .filter(o -> o != null && o.accepted()).findFirst().orElse(null);
            if (outcome == null || delete == null) {
                continue; // the delete was refused (or has no outcome): the append may well be accepted
            }
            tally.checked();
            if (outcome.offset() <= delete.offset() || outcome.partition() != delete.partition()) {
                tally.violation("append " + append.commandId() + " to " + append.streamId() + " at partition "
                        + outcome.partition() + " offset " + outcome.offset() + " is not after its delete at offset "
                        + delete.offset());
            } else if (outcome.accepted() || !outcome.reason().equals("STREAM_DELETED")) {
                tally.violation("append " + append.commandId() + " to deleted " + append.streamId() + " was "
                        + outcome.status() + " " + outcome.reason());
            }
        }
        return tally.toCheck();
    }

    private void checkDeletedEnd(String stream, long version, CheckTally tally) {
        tally.checked();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(DELETED_STREAM)) {
            statement.setString(1, stream);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    tally.violation(stream + " deleted at version " + version + " has no row");
                    return;
                }
                long deletedAt = row.getLong(1);
                long current = row.getLong(2);
                long highest = row.getLong(3);
                if (deletedAt != version || current != version || highest != version) {
                    tally.violation(stream + " deleted at version " + version + ": deleted_at_version " + deletedAt
                            + ", current_version " + current + ", highest event version " + highest);
                }
            }
        } catch (SQLException e) {
            throw new ChaosException("Checking deleted stream " + stream + " failed: " + e.getMessage(), e);
        }
    }

    private Check marked(Map<String, Long> erasedThrough) {
        CheckTally tally = new CheckTally("erased versions carry the redaction marker, none above");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(MARKED)) {
            for (Map.Entry<String, Long> stream : erasedThrough.entrySet()) {
                statement.setLong(1, stream.getValue());
                statement.setLong(2, stream.getValue());
                statement.setString(3, RedactionMarker.PAYLOAD);
                statement.setString(4, RedactionMarker.ENTITY_ID);
                statement.setLong(5, stream.getValue());
                statement.setString(6, stream.getKey());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    tally.checked(row.getLong(1));
                    if (row.getLong(2) > 0 || row.getLong(3) > 0) {
                        tally.violation(stream.getKey() + " erased through version " + stream.getValue() + ": "
                                + row.getLong(2) + " events there without the marker, " + row.getLong(3)
                                + " above it marked erased");
                    }
                }
            }
        } catch (SQLException e) {
            throw new ChaosException("Checking the erased events failed: " + e.getMessage(), e);
        }
        return tally.toCheck();
    }

    /** Reads the events topic to its end: redacted copies by event id, tombstones by stream. */
    private List<Check> onTheTopic(Map<String, Long> acceptedByStream) {
        Set<String> redactedCopies = new HashSet<>();
        Map<String, Long> tombstones = new HashMap<>();
        CheckTally copies = new CheckTally("a redacted copy of every erased event on the events topic");
        AvroDeserializer<EventRecord> deserializer = new AvroDeserializer<>(
                new SchemaRegistryClient(RegistrySettings.of(registryUrl)), EventRecord.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(eventsTopic).stream()
                    .map(info -> new TopicPartition(eventsTopic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        tombstones.merge(new String(record.key(), StandardCharsets.UTF_8), 1L, Long::sum);
                        continue;
                    }
                    EventRecord event = deserializer.deserialize(eventsTopic, record.value());
                    if (event.getErased()) {
                        if (RedactionMarker.PAYLOAD.equals(event.getPayload())
                                && RedactionMarker.ENTITY_ID.equals(event.getEntityId())
                                && event.getMetadata().isEmpty()) {
                            redactedCopies.add(event.getEventId());
                        } else {
                            copies.violation("the copy of " + event.getEventId() + " at partition "
                                    + record.partition() + " offset " + record.offset()
                                    + " is marked erased but holds content");
                        }
                    }
                }
            }
        }
        for (String[] erased : erasedEvents()) {
            copies.checked();
            if (!redactedCopies.contains(erased[0])) {
                copies.violation("event " + erased[0] + " of " + erased[1] + " is erased, its redacted copy is not on"
                        + " the events topic");
            }
        }
        CheckTally tombstoned = new CheckTally("a tombstone per accepted delete or erase");
        acceptedByStream.forEach((stream, accepted) -> {
            tombstoned.checked();
            if (tombstones.getOrDefault(stream, 0L) < accepted) {
                tombstoned.violation(stream + ": " + accepted + " deletes or erases accepted, "
                        + tombstones.getOrDefault(stream, 0L) + " tombstones on the events topic");
            }
        });
        return List.of(copies.toCheck(), tombstoned.toCheck());
    }

    private List<String[]> erasedEvents() {
        List<String[]> erased = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(ERASED_EVENTS);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                erased.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        } catch (SQLException e) {
            throw new ChaosException("Reading the erased events failed: " + e.getMessage(), e);
        }
        return erased;
    }

    private Map<String, Outcome> outcomes(List<String> commandIds) {
        Map<String, Outcome> outcomes = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(OUTCOMES)) {
            statement.setArray(1, connection.createArrayOf("varchar", commandIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), new Outcome(rows.getString(2), rows.getString(3), rows.getInt(4),
                            rows.getLong(5), rows.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw new ChaosException("Reading the outcomes of deletes and erases failed: " + e.getMessage(), e);
        }
        return outcomes;
    }
}
