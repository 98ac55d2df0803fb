package io.allsource.ingest.cli;

import io.allsource.ingest.store.Database;
import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.query.ViewsHttpClient;
import io.allsource.ingest.views.state.PartitionStatistics;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the database's monitoring views: {@code partition_stats} and {@code stream_health}. */
@Command(name = "stats", description = "Print the partition_stats and stream_health views as tables")
final class StatsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "20",
            description = "Streams of stream_health to list, least published first")
    int streams;

    @Option(names = "--live", description = "Also print the live views (Kafka Streams) next to the database's")
    boolean live;

    @Option(names = "--views-url", paramLabel = "URL",
            description = "The live views' HTTP address (default: the one ingest run wrote)")
    String viewsUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = connection.openDatabase();
                Connection sql = database.dataSource().getConnection()) {
            out.println("partition_stats");
            print(sql, "SELECT partition_id, stream_count, total_events, round(avg_events_per_stream, 1) AS"
                    + " avg_events_per_stream, max_events_in_stream FROM partition_stats ORDER BY partition_id", out);
            out.println();
            out.println("stream_health (by status)");
            print(sql, "SELECT health_status, count(*) AS streams, sum(gap_size) AS unpublished_events"
                    + " FROM stream_health GROUP BY health_status ORDER BY health_status", out);
            out.println();
            out.println("stream_health (" + streams + " streams, largest gap first)");
            print(sql, "SELECT stream_id, partition_id, current_version, watermark, gap_size, health_status"
                    + " FROM stream_health ORDER BY gap_size DESC, stream_id LIMIT " + streams, out);
            if (live) {
                out.println();
                printLive(sql, out);
            }
            out.flush();
            return 0;
        }
    }

    /** The live views' partition statistics next to the database's, partition by partition. */
    private void printLive(Connection sql, PrintWriter out) throws SQLException {
        String url = viewsUrl != null ? viewsUrl : Endpoints.read(connection.dataDirectory())
                .map(Endpoints::viewsUrl)
                .orElseThrow(() -> new UserError("No live views to ask: give --views-url, or run ingest run"));
        List<PartitionStatistics> views;
        try {
            views = ViewsHttpClient.of(URI.create(url)).partitions();
        } catch (ViewsUnavailableException e) {
            throw new UserError("The live views at " + url + " cannot answer now (" + e.getMessage()
                    + "); try again in a moment");
        }
        Map<Integer, long[]> database = new HashMap<>();
        try (Statement statement = sql.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT partition_id, stream_count, total_events FROM partition_stats")) {
            while (rows.next()) {
                database.put(rows.getInt(1), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        out.println("live views (" + url + ") beside partition_stats");
        Table table = new Table("partition", "streams db", "streams live", "events db", "events live",
                "last_sequence live", "gaps_seen");
        for (PartitionStatistics partition : views) {
            long[] stored = database.getOrDefault(partition.partition(), new long[] {0, 0});
            table.row(Integer.toString(partition.partition()), Long.toString(stored[0]),
                    Long.toString(partition.streams()), Long.toString(stored[1]), Long.toString(partition.events()),
                    Long.toString(partition.lastSequence()), Long.toString(partition.gapsSeen()));
        }
        table.print(out);
    }

    private static void print(Connection sql, String query, PrintWriter out) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            ResultSetMetaData columns = rows.getMetaData();
            String[] header = new String[columns.getColumnCount()];
            for (int i = 0; i < header.length; i++) {
                header[i] = columns.getColumnLabel(i + 1);
            }
            Table table = new Table(header);
            while (rows.next()) {
                String[] cells = new String[header.length];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = rows.getString(i + 1);
                }
                table.row(cells);
            }
            table.print(out);
        }
    }
}
