package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.bench.servers.BenchServers;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole benchmark at a tiny size against the test servers, so that it cannot rot. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class PipelineBenchmarkIT {

    private static final BenchPlan TINY = new BenchPlan("tiny", Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(1), List.of(0.25, 0.5, 0.75), 200, 500, 4, 300, 40, 2, 500, Duration.ofMillis(500),
            2_000);

    @TempDir
    Path results;

    @Test
    void aTinyRunWritesTheTableTheJsonAndTheChartWithSaneFigures(KafkaBroker broker, TestDatabase database,
            TestSchemaRegistry registry) throws Exception {
        StringWriter table = new StringWriter();
        PipelineBenchmark benchmark = new PipelineBenchmark(TINY, List.of(PipelineWorkload.values()),
                Map.of("linger-ms", "2"), results, new PrintWriter(table), new PrintWriter(new StringWriter()));
        BenchEndpoints endpoints = new BenchEndpoints(broker.bootstrapServers(), database.jdbcUrl(), null, null,
                registry.url());

        PipelineBenchmark.Result result;
        try (BenchServers servers = BenchServers.configured(endpoints)) {
            result = benchmark.run(servers);
        }

        JsonNode report = new ObjectMapper().readTree(result.files().json().toFile());
        assertThat(report.path("pipeline")).hasSize(5);
        for (JsonNode workload : report.path("pipeline")) {
            assertSane(workload);
        }
        assertThat(outcomes(report, "new-streams")).containsOnlyKeys("ACCEPTED");
        assertThat(outcomes(report, "new-streams preloaded 2,000")).containsOnlyKeys("ACCEPTED");
        assertThat(workload(report, "new-streams preloaded 2,000").path("preload").path("streams").asLong())
                .isEqualTo(200);
        assertThat(workload(report, "new-streams").path("preload").path("events").asLong()).isZero();
        assertThat(outcomes(report, "contended")).containsKeys("ACCEPTED", "REJECTED CONCURRENCY_CONFLICT");
        JsonNode batch = workload(report, "batch").path("maximum");
        assertThat(batch.path("events").asLong()).isEqualTo(10 * batch.path("outcomes").path("ACCEPTED").asLong());
        assertThat(report.path("seedDesign").path("events").asLong()).isGreaterThanOrEqualTo(300);
        assertThat(report.path("seedDesign").path("seconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(report.path("databaseCeiling").path("seconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(report.path("databaseCeiling").path("eventsPerSecond").asDouble()).isPositive();
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("machine").path("postgresql").asText()).isNotBlank();
        assertThat(report.path("targets")).hasSize(3 + 2 + 5);
        assertThat(report.path("targets")).extracting(target -> target.path("target").asText())
                .contains("new-streams preloaded 2,000 / new-streams >= 0.80 (events/s)",
                        "contended: no sequential scan of events, event_streams, command_results,"
                                + " command_redeliveries");

        BufferedImage chart = ImageIO.read(result.files().chart().toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
        assertThat(chart.getHeight()).isGreaterThan(1000);
        assertThat(table.toString()).contains("pipeline new-streams", "database ceiling (COPY)", "p99.9",
                "REJECTED CONCURRENCY_CONFLICT", "new-streams >= 5x seed design", "measured over",
                "tables (pg_stat_user_tables)", "pipeline new-streams preloaded 2,000",
                // the test server does not preload pg_stat_statements: one line says so, and the run goes on
                "top statements: not available, the server does not load pg_stat_statements");
        assertThat(database.queryForLong(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'bench\\_%'"))
                .as("schemas left behind").isZero();
    }

    private static void assertSane(JsonNode workload) {
        JsonNode maximum = workload.path("maximum");
        assertThat(maximum.path("commands").asLong()).as(workload.path("workload").asText()).isPositive();
        assertThat(maximum.path("eventsPerSecond").asDouble()).isPositive();
        JsonNode latency = maximum.path("latencyMs");
        assertThat(latency.path("p50").asDouble()).isPositive().isLessThanOrEqualTo(latency.path("p99").asDouble());
        assertThat(latency.path("p99").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());
        assertThat(workload.path("fixedRates")).hasSize(3).allSatisfy(phase -> {
            assertThat(phase.path("targetCommandsPerSecond").asDouble()).isPositive();
            assertThat(phase.path("commands").asLong()).isPositive();
            assertThat(phase.path("latencyMs").path("count").asLong()).isEqualTo(phase.path("commands").asLong());
        });
        assertThat(workload.path("brokerCeiling").path("eventsPerSecond").asDouble()).isPositive();
        JsonNode warmUp = workload.path("warmUp");
        assertThat(warmUp.path("steps").asInt()).as("warm-up steps within the tiny plan's limit").isBetween(1, 2);
        assertThat(warmUp.path("seconds").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(warmUp.path("compilationShare").asDouble()).isGreaterThanOrEqualTo(0.0);
        // configured servers: only this JVM's CPU is known, per phase from the warm-up to the last fixed rate
        assertThat(workload.path("cpu")).extracting(phase -> phase.path("phase").asText())
                .containsExactly("warm-up", "maximum", "25 %", "50 %", "75 %");
        assertThat(workload.path("cpu")).allSatisfy(phase -> {
            assertThat(phase.path("seconds").asDouble()).isPositive();
            assertThat(phase.path("cores").path("benchmark JVM").asDouble()).isPositive();
            assertThat(phase.path("cores").size()).isEqualTo(1);
        });
        JsonNode database = workload.path("database");
        assertThat(database.path("phases")).extracting(phase -> phase.path("phase").asText())
                .containsExactly("warm-up", "maximum", "25 %", "50 %", "75 %", "worker closed");
        JsonNode events = table(database.path("tables"), "events");
        assertThat(events.path("rowsInserted").asLong()).as("events inserted, " + workload.path("workload").asText())
                .isGreaterThanOrEqualTo(maximum.path("events").asLong());
        assertThat(events.path("indexScans").asLong()).isPositive();
        long phaseInserts = 0;
        for (JsonNode phase : database.path("phases")) {
            phaseInserts += table(phase.path("tables"), "events").path("rowsInserted").asLong();
        }
        assertThat(phaseInserts).as("the phases add up to the workload").isEqualTo(events.path("rowsInserted")
                .asLong());
    }

    private static JsonNode table(JsonNode tables, String name) {
        for (JsonNode table : tables) {
            if (table.path("table").asText().equals(name)) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + tables);
    }

    private static JsonNode workload(JsonNode report, String name) {
        for (JsonNode workload : report.path("pipeline")) {
            if (workload.path("workload").asText().equals(name)) {
                return workload;
            }
        }
        throw new AssertionError("no workload " + name + " in the report");
    }

    private static Map<String, Long> outcomes(JsonNode report, String name) {
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        workload(report, name).path("outcomes").fields()
                .forEachRemaining(entry -> outcomes.put(entry.getKey(), entry.getValue().asLong()));
        return outcomes;
    }
}
