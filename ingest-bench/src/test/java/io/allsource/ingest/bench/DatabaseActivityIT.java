package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.bench.report.DatabaseFigures;
import io.allsource.ingest.bench.report.PhaseTables;
import io.allsource.ingest.bench.report.TableCounters;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Table activity read from the real statistics, around a "worker" session that ends before the last reading. */
@ExtendWith(PostgresExtension.class)
class DatabaseActivityIT {

    @Test
    void theWorkloadTotalsHoldWhatTheWorkersSessionsReportedAsTheyEnded(TestDatabase database) throws Exception {
        database.execute("CREATE SCHEMA activity");
        database.execute("CREATE TABLE activity.items (id int PRIMARY KEY, note text)");
        BenchEndpoints endpoints = new BenchEndpoints("unused:9092", database.jdbcUrl(), null, null, "http://unused");
        DatabaseActivity activity = new DatabaseActivity(endpoints, "activity", "activity-it-worker",
                StatementStatistics.open(endpoints));

        activity.begin();
        try (Connection worker = DriverManager.getConnection(endpoints.jdbcUrlInSchema("activity")
                + "&ApplicationName=activity-it-worker"); Statement statement = worker.createStatement()) {
            statement.execute("INSERT INTO items SELECT g, 'x' FROM generate_series(1, 3) g");
            statement.execute("SET enable_seqscan = off");
            statement.execute("UPDATE items SET note = 'y' WHERE id > 0");
            statement.execute("RESET enable_seqscan");
            statement.execute("SET enable_indexscan = off");
            statement.execute("SET enable_indexonlyscan = off");
            statement.execute("SET enable_bitmapscan = off");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM items WHERE id > 0")) {
                rows.next();
            }
            activity.phaseEnded("load");
        }
        DatabaseFigures figures = activity.finish();

        assertThat(figures.tables()).singleElement().satisfies(items -> {
            assertThat(items.table()).isEqualTo("items");
            assertThat(items.rowsInserted()).isEqualTo(3);
            assertThat(items.seqScans()).isEqualTo(1);
            assertThat(items.seqRowsRead()).isEqualTo(3);
            assertThat(items.rowsUpdated()).isEqualTo(3);
            assertThat(items.hotUpdated()).as("no indexed column changed, and the page had room").isEqualTo(3);
        });
        assertThat(figures.phases()).extracting(PhaseTables::phase).containsExactly("load", "worker closed");
        assertThat(figures.phases().stream().mapToLong(phase -> phase.tables().stream()
                .mapToLong(TableCounters::rowsInserted).sum()).sum()).isEqualTo(3);
        assertThat(figures.statements().available()).isFalse();
        assertThat(figures.statements().note()).contains("does not load pg_stat_statements");
    }
}
