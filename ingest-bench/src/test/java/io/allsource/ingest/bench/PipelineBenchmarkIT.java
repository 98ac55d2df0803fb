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
            Duration.ofSeconds(1), List.of(0.25, 0.5, 0.75), 200, 500, 4, 300, 40, 2, 500);

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
        assertThat(report.path("pipeline")).hasSize(4);
        for (JsonNode workload : report.path("pipeline")) {
            assertSane(workload);
        }
        assertThat(outcomes(report, "new-streams")).containsOnlyKeys("ACCEPTED");
        assertThat(outcomes(report, "contended")).containsKeys("ACCEPTED", "REJECTED CONCURRENCY_CONFLICT");
        JsonNode batch = workload(report, "batch").path("maximum");
        assertThat(batch.path("events").asLong()).isEqualTo(10 * batch.path("outcomes").path("ACCEPTED").asLong());
        assertThat(report.path("seedDesign").path("events").asLong()).isEqualTo(300);
        assertThat(report.path("databaseCeiling").path("eventsPerSecond").asDouble()).isPositive();
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("machine").path("postgresql").asText()).isNotBlank();
        assertThat(report.path("targets")).hasSize(3);

        BufferedImage chart = ImageIO.read(result.files().chart().toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
        assertThat(chart.getHeight()).isGreaterThan(1000);
        assertThat(table.toString()).contains("pipeline new-streams", "database ceiling (COPY)", "p99.9",
                "REJECTED CONCURRENCY_CONFLICT", "new-streams >= 5x seed design");
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
