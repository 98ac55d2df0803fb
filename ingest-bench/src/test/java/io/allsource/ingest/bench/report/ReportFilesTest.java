package io.allsource.ingest.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
                .contains("2 cores", "PostgreSQL 17.11");
    }

    static BenchReport report() {
        LatencySummary latency = new LatencySummary(1000, 5, 20, 30, 40, 50);
        PhaseFigures maximum = new PhaseFigures("maximum", 0, 4_000, 4_000, 2, latency,
                Map.of("ACCEPTED", 3_993L, "REJECTED CONCURRENCY_CONFLICT", 7L));
        PhaseFigures half = new PhaseFigures("50 %", 1_000, 1_000, 1_000, 1, latency, Map.of("ACCEPTED", 1_000L));
        WorkloadFigures workload = new WorkloadFigures("new-streams", "many streams", maximum, List.of(half),
                Map.of("ACCEPTED", 4_993L, "REJECTED CONCURRENCY_CONFLICT", 7L),
                new Throughput("broker ceiling", 40_000, 1));
        MachineInfo machine = new MachineInfo(2, 8L << 30, 1L << 30, "Linux", "17", "17.11", "4.3.1", true);
        return new BenchReport("2026-01-01T00:00:00Z", "quick", machine, List.of(workload),
                new Throughput("seed design", 1_000, 2), new Throughput("batch store", 10_000, 1),
                new Throughput("database ceiling (COPY)", 20_000, 1), Map.of("new-streams / seed design", 4.0),
                List.of(new TargetCheck("new-streams >= 5x seed design (events/s)", "4.00x", false)));
    }
}
