package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.CommandHistory;
import io.allsource.ingest.chaos.SentLog.HostileSend;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Puts the hostile records into the history the audit judges, each under the key its outcome must carry, so that the
 * check "every command sent has a stored outcome" covers them too. The audit's history is keyed by command id:
 *
 * <ul>
 *   <li>a record whose command id cannot be read (an undecodable kind) is keyed {@code invalid:<partition>:<offset>},
 *       as the contract answers it in a partition whose offsets were never reset (the soak never resets any; after a
 *       reset that superseded outcomes the key carries the reset's id, see
 *       {@link io.allsource.ingest.command.FallbackKey});</li>
 *   <li>any other is keyed by the command id the store holds for its partition and offset (as a result or a
 *       redelivery): the contract leaves open how some of them are keyed (an upper-case id may be a new command or a
 *       resend; a stream id that is not UTF-8 may make the value undecodable), and the hostile input corpus test
 *       holds the exact outcomes, while the soak holds that each record has one. A record with no outcome at its
 *       offset is keyed by a description that names it, which then has no stored outcome.</li>
 * </ul>
 */
final class HostileOutcomes {

    /**
     * The command id of the outcome at each position in the partition's current log: an outcome an offset reset
     * superseded was decided for a record of a log left behind, at the same offset, not for the record sent there.
     */
    private static final String STORED_AT = "SELECT s.p, s.o, COALESCE(r.command_id, d.command_id)"
            + " FROM unnest(?::integer[], ?::bigint[]) AS s(p, o)"
            + " LEFT JOIN command_results r"
            + " ON r.partition_id = s.p AND r.command_offset = s.o AND r.superseded_by IS NULL"
            + " LEFT JOIN command_redeliveries d"
            + " ON d.partition_id = s.p AND d.command_offset = s.o AND d.superseded_by IS NULL";

    private HostileOutcomes() {
    }

    /** The load's commands and its hostile records, each under its key; read once the pipeline has caught up. */
    static CommandHistory history(SentLog sent, DataSource dataSource) {
        List<HostileSend> hostile = sent.hostile();
        Map<String, String> stored = storedIds(dataSource, hostile.stream().filter(send -> !send.kind().undecodable())
                .toList());
        List<CommandHistory.SentCommand> keyed = new ArrayList<>(hostile.size());
        for (HostileSend send : hostile) {
            String key = send.kind().undecodable() ? send.invalidKey()
                    : stored.getOrDefault(position(send.partition(), send.offset()), send.kind().label()
                            + " record at partition " + send.partition() + " offset " + send.offset());
            keyed.add(new CommandHistory.SentCommand(key, send.partition()));
        }
        return new Judged(sent, List.copyOf(keyed));
    }

    /** The command ids stored for the records' positions ({@code partition:offset}), where there are any. */
    private static Map<String, String> storedIds(DataSource dataSource, List<HostileSend> sends) {
        Map<String, String> ids = new HashMap<>();
        if (sends.isEmpty()) {
            return ids;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(STORED_AT)) {
            Array partitions = connection.createArrayOf("integer",
                    sends.stream().map(HostileSend::partition).toArray(Integer[]::new));
            Array offsets = connection.createArrayOf("bigint",
                    sends.stream().map(HostileSend::offset).toArray(Long[]::new));
            statement.setArray(1, partitions);
            statement.setArray(2, offsets);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(3) != null) {
                        ids.put(position(rows.getInt(1), rows.getLong(2)), rows.getString(3));
                    }
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new ChaosException("Looking up the outcomes of the hostile records failed: " + e.getMessage(), e);
        }
    }

    private static String position(int partition, long offset) {
        return partition + ":" + offset;
    }

    /** The commands of the load, then the hostile records under their keys. */
    private record Judged(CommandHistory commands, List<SentCommand> hostile) implements CommandHistory {

        @Override
        public long size() {
            return commands.size() + hostile.size();
        }

        @Override
        public void forEach(Consumer<SentCommand> action) {
            commands.forEach(action);
            hostile.forEach(action);
        }
    }
}
