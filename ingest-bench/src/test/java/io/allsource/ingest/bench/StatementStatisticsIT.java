package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.bench.report.TopStatement;
import io.allsource.ingest.bench.report.TopStatements;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.embedded.PostgresServerProcess;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Top statements from a PostgreSQL started as the benchmark starts it (extension preloaded, nested statements
 * tracked), and the one line given by a server without the extension.
 */
@ExtendWith(PostgresExtension.class)
class StatementStatisticsIT {

    @TempDir
    Path folder;

    @Test
    void statementsSinceTheResetAreReportedWithThoseInsideFunctionsAndWithoutTheBenchmarksOwnReads()
            throws Exception {
        try (PostgresServerProcess postgres = PostgresServerProcess.start(folder.resolve("postgres"),
                FreePorts.find(), List.of("bench"), Map.of("shared_preload_libraries", "pg_stat_statements",
                        "pg_stat_statements.track", "all", "pg_stat_statements.track_planning", "on"))) {
            BenchEndpoints endpoints = new BenchEndpoints("unused:9092", postgres.jdbcUrl("bench"), null, null,
                    "http://unused");
            StatementStatistics statements = StatementStatistics.open(endpoints);
            assertThat(statements.available()).as(statements.note()).isTrue();
            try (Connection connection = BenchSchemas.connect(endpoints);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE counted (n int)");
                statement.execute("CREATE FUNCTION add_rows(k int) RETURNS void LANGUAGE plpgsql AS"
                        + " $$ BEGIN INSERT INTO counted SELECT generate_series(1, k); END $$");
                statements.reset();
                for (int i = 1; i <= 5; i++) {
                    statement.execute("SELECT add_rows(" + i * 100 + ")");
                }
            }

            TopStatements top = statements.top();

            assertThat(top.available()).isTrue();
            assertThat(top.statements()).extracting(TopStatement::statement)
                    .noneMatch(text -> text.contains("pg_stat_") || text.contains("CREATE TABLE"));
            assertThat(top.statements()).filteredOn(found -> found.statement().startsWith("SELECT add_rows("))
                    .singleElement().satisfies(call -> {
                        assertThat(call.calls()).isEqualTo(5L);
                        assertThat(call.plans()).as("simple queries are planned on every run").isEqualTo(5L);
                        assertThat(call.planMs()).isPositive();
                    });
            assertThat(top.statements()).filteredOn(found -> found.statement().startsWith("INSERT INTO counted"))
                    .singleElement().satisfies(nested -> {
                        assertThat(nested.calls()).isEqualTo(5);
                        assertThat(nested.rows()).isEqualTo(1_500);
                        assertThat(nested.totalMs()).isPositive();
                    });
            statements.reset();
            assertThat(statements.top().statements()).extracting(TopStatement::statement)
                    .noneMatch(text -> text.contains("add_rows"));
        }
    }

    @Test
    void aServerWithoutTheExtensionSaysSoInOneLine(TestDatabase database) throws Exception {
        StatementStatistics statements = StatementStatistics.open(new BenchEndpoints("unused:9092",
                database.jdbcUrl(), null, null, "http://unused"));

        assertThat(statements.available()).isFalse();
        assertThat(statements.note()).startsWith("the server does not load pg_stat_statements").doesNotContain("\n");
        assertThat(statements.top().note()).isEqualTo(statements.note());
    }
}
