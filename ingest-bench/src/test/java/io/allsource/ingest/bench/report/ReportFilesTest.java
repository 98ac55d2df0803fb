package io.allsource.ingest.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @TempDir
    Path folder;

    @Test
    void writesTheReportAsJsonWithItsDerivedRatesAndAsAPng() throws Exception {
        ReportFiles.Written written = ReportFiles.write(report(), folder, "20260101-000000");

        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        assertThat(written.json().getFileName().toString()).isEqualTo("20260101-000000.json");
        JsonNode maximum = json.path("pipeline").get(0).path("maximum");
        assertThat(maximum.path("eventsPerSecond").asDouble()).isEqualTo(2_000.0);
        assertThat(maximum.path("latencyMs").path("p99").asDouble()).isEqualTo(30.0);
        assertThat(json.path("seedDesign").path("eventsPerSecond").asDouble()).isEqualTo(500.0);
        assertThat(json.path("targets").get(0).path("met").asBoolean()).isFalse();
        JsonNode database = json.path("pipeline").get(0).path("database");
        assertThat(database.path("tables").get(0).path("seqScans").asLong()).isEqualTo(1);
        assertThat(database.path("tables").get(1).path("hotUpdated").asLong()).isEqualTo(3_900);
        assertThat(database.path("phases")).extracting(phase -> phase.path("phase").asText())
                .containsExactly("warm-up", "maximum", "worker closed");
        assertThat(database.path("statements").path("statements").get(0).path("calls").asLong()).isEqualTo(1_200);
        assertThat(json.path("pipeline").get(0).path("preload").path("events").asLong()).isZero();
        BufferedImage chart = ImageIO.read(written.chart().toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
        assertThat(chart.getHeight()).isEqualTo(1200);
    }

    @Test
    void theTablePrintsThroughputRatiosLatencyOutcomesAndTargets() {
        StringWriter text = new StringWriter();

        ReportTable.print(report(), new PrintWriter(text));

        assertThat(text.toString())
                .contains("pipeline new-streams", "2,000", "4.00")
                .contains("50 %", "30.0")
                .contains("REJECTED CONCURRENCY_CONFLICT", "7")
                .contains("NOT MET")
                .contains("2 cores", "PostgreSQL 17.11")
                .contains("4,000 events in 2.0 s", "1,000 events in 2.0 s");
    }

    @Test
    void theTablePrintsTheCoresEachProcessUsedInEachPhase() {
        BenchReport report = report();
        WorkloadFigures workload = report.pipeline().get(0);
        Map<String, Double> maximum = new LinkedHashMap<>();
        maximum.put("benchmark JVM", 0.27);
        maximum.put("PostgreSQL", 0.98);
        maximum.put("broker", 0.25);
        WorkloadFigures measured = new WorkloadFigures(workload.workload(), workload.description(), workload.preload(),
                workload.maximum(), workload.fixedRates(), workload.outcomes(), workload.brokerCeiling(),
                workload.database(), List.of(), WarmUpFigures.NONE, List.of(
                        new CpuPhase("maximum", 40, maximum, 0.87, 0.612),
                        new CpuPhase("25 %", 30, Map.of("benchmark JVM", 0.5), null, null)));
        StringWriter text = new StringWriter();

        ReportTable.print(withPipeline(report, List.of(measured)), new PrintWriter(text));

        assertThat(text.toString()).contains("cores used per phase (CPU time / wall time)")
                .containsPattern("phase +benchmark JVM +PostgreSQL +broker +all +machine busy +waiting for a CPU")
                .containsPattern("new-streams +maximum +0\\.27 +0\\.98 +0\\.25 +1\\.50 +87 % +61 %")
                .containsPattern("new-streams +25 % +0\\.50 +- +- +0\\.50 +- +-\\s")
                .contains("of 2 cores");
    }

    @Test
    void theTablePrintsEachWorkloadsActiveTablesAndItsTopStatementsOnOneLineEach() {
        StringWriter text = new StringWriter();

        ReportTable.print(report(), new PrintWriter(text));

        assertThat(text.toString()).contains("tables (pg_stat_user_tables)", "seq scans", "per phase in the JSON")
                .containsPattern("inserted +updated +HOT updated")
                .containsPattern("new-streams +events +1 +5,000 +12,000 +8,000 +0 +0")
                .containsPattern("new-streams +event_streams +0 +0 +16,000 +4,000 +4,000 +3,900")
                .doesNotContain("offset_resets")
                .contains("top statements (pg_stat_statements)", "5 with the most execution and planning time")
                .containsPattern("new-streams +1,200 +3,456 +2\\.880 +0 +0 +8,000 +INSERT INTO events");
    }

    @Test
    void withoutStatementStatisticsTheTableSaysWhyInOneLine() {
        BenchReport report = report();
        WorkloadFigures workload = report.pipeline().get(0);
        WorkloadFigures without = new WorkloadFigures(workload.workload(), workload.description(), workload.preload(),
                workload.maximum(), workload.fixedRates(), workload.outcomes(), workload.brokerCeiling(),
                new DatabaseFigures(workload.database().tables(), workload.database().phases(),
                        TopStatements.unavailable("the server does not load pg_stat_statements")));
        StringWriter text = new StringWriter();

        ReportTable.print(withPipeline(report, List.of(without)), new PrintWriter(text));

        assertThat(text.toString())
                .contains("top statements: not available, the server does not load pg_stat_statements");
    }

    @Test
    void aPreloadedWorkloadSaysWhatItsSchemaHeldAndHasNoBrokerCeilingOfItsOwn() {
        BenchReport report = report();
        WorkloadFigures workload = report.pipeline().get(0);
        WorkloadFigures preloaded = new WorkloadFigures("new-streams preloaded 2,000", workload.description(),
                new PreloadFigures(2_000, 200, 0.5), workload.maximum(), workload.fixedRates(), workload.outcomes(),
                workload.brokerCeiling(), workload.database());
        StringWriter text = new StringWriter();

        ReportTable.print(withPipeline(report, List.of(workload, preloaded)), new PrintWriter(text));

        assertThat(text.toString()).contains("pipeline new-streams preloaded 2,000",
                "new-streams preloaded 2,000: 2,000 events over 200 streams written before it")
                .doesNotContain("broker ceiling, new-streams preloaded");
    }

    private static BenchReport withPipeline(BenchReport report, List<WorkloadFigures> pipeline) {
        return new BenchReport(report.startedAt(), report.preset(), report.machine(), pipeline, report.seedDesign(),
                report.batchStore(), report.databaseCeiling(), report.ratios(), report.targets());
    }

    static BenchReport report() {
        LatencySummary latency = new LatencySummary(1000, 5, 20, 30, 40, 50);
        PhaseFigures maximum = new PhaseFigures("maximum", 0, 4_000, 4_000, 2, latency,
                Map.of("ACCEPTED", 3_993L, "REJECTED CONCURRENCY_CONFLICT", 7L));
        PhaseFigures half = new PhaseFigures("50 %", 1_000, 1_000, 1_000, 1, latency, Map.of("ACCEPTED", 1_000L));
        List<TableCounters> tables = List.of(new TableCounters("events", 1, 5_000, 12_000, 8_000, 0, 0),
                new TableCounters("event_streams", 0, 0, 16_000, 4_000, 4_000, 3_900),
                TableCounters.none("offset_resets"));
        DatabaseFigures database = new DatabaseFigures(tables,
                List.of(new PhaseTables("warm-up", tables), new PhaseTables("maximum", tables),
                        new PhaseTables("worker closed", tables)),
                TopStatements.of(List.of(new TopStatement("INSERT INTO events (stream_id, version) SELECT ...", 1_200,
                        3_456, 2.88, 8_000))));
        WorkloadFigures workload = new WorkloadFigures("new-streams", "many streams", PreloadFigures.NONE, maximum,
                List.of(half), Map.of("ACCEPTED", 4_993L, "REJECTED CONCURRENCY_CONFLICT", 7L),
                new Throughput("broker ceiling", 40_000, 1), database);
        MachineInfo machine = new MachineInfo(2, 8L << 30, 1L << 30, "Linux", "17", "17.11", "4.3.1", true);
        return new BenchReport("2026-01-01T00:00:00Z", "quick", machine, List.of(workload),
                new Throughput("seed design", 1_000, 2), new Throughput("batch store", 10_000, 1),
                new Throughput("database ceiling (COPY)", 20_000, 1), Map.of("new-streams / seed design", 4.0),
                List.of(new TargetCheck("new-streams >= 5x seed design (events/s)", "4.00x", false)));
    }
}
