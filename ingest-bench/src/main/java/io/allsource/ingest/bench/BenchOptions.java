package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.bench.servers.BenchServers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The options of {@code ingest bench}: the preset, the workloads, the preload, worker settings, and the servers (all
 * of {@code --bootstrap-servers}, {@code --db-url} and {@code --registry-url}, or their {@code INGEST_...} variables;
 * with none of them the benchmark starts embedded servers). Used as a picocli mixin.
 */
public final class BenchOptions {

    @Option(names = "--quick", description = "The short preset: 3 s warm-up, 6 s at the maximum, 4 s per fixed rate,"
            + " every ceiling timed over 3 s after a warm-up (about 3 minutes, server start-up included)")
    boolean quick;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            defaultValue = "new-streams,contended,batch,multi-stream",
            description = "Pipeline workloads, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> workloads;

    @Option(names = "--in-flight", paramLabel = "N", description = "Commands in flight in the closed loop (default 1000)")
    Integer inFlight;

    @Option(names = "--rates", split = ",", paramLabel = "PERCENT",
            description = "The open loops after the maximum, each at this percentage of it, in this order (default"
                    + " 25,50,75; the latency targets are judged at 50)")
    List<Double> rates;

    @Option(names = "--preload", paramLabel = "N", description = "After the workloads, fill a fresh schema with N"
            + " events (10 per stream, with COPY) and run new-streams again there, against new-streams on an empty"
            + " schema; N a multiple of 10, e.g. 10000000")
    Long preload;

    @Option(names = "--worker-setting", paramLabel = "KEY=VALUE",
            description = "A worker setting as `ingest run` takes it, without --; repeatable (e.g. batch-size=1000)")
    Map<String, String> workerSettings = new LinkedHashMap<>();

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where the JSON and the chart go (default: ${DEFAULT-VALUE})")
    Path resultsDirectory;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:INGEST_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (default: start an embedded broker)")
    String bootstrapServers;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = "${env:INGEST_DB_URL}",
            description = "A PostgreSQL database to create (and drop) the benchmark's schemas in")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:INGEST_DB_USER}",
            description = "PostgreSQL user")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:INGEST_DB_PASSWORD}",
            description = "PostgreSQL password")
    String dbPassword;

    @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "${env:INGEST_REGISTRY_URL}",
            description = "Schema registry URL (Confluent API)")
    String registryUrl;

    public BenchPlan plan() {
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        if (inFlight != null) {
            if (inFlight <= 0) {
                throw new IllegalArgumentException("--in-flight must be positive, got " + inFlight);
            }
            plan = plan.withInFlight(inFlight);
        }
        if (rates != null) {
            plan = plan.withRateShares(rateShares(rates));
        }
        if (preload != null) {
            plan = plan.withPreload(preload);
        }
        return plan;
    }

    private static List<Double> rateShares(List<Double> percentages) {
        if (percentages.isEmpty()) {
            throw new IllegalArgumentException("--rates needs at least one percentage of the maximum");
        }
        for (double percent : percentages) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("--rates takes percentages of the maximum above 0 and at most 100,"
                        + " got " + percent);
            }
        }
        List<String> labels = percentages.stream().map(percent -> BenchPlan.rateLabel(percent / 100)).toList();
        if (labels.stream().distinct().count() < labels.size()) {
            throw new IllegalArgumentException("--rates names a rate twice (to two decimals): " + percentages);
        }
        return percentages.stream().map(percent -> percent / 100).toList();
    }

    public List<PipelineWorkload> workloads() {
        return workloads.stream().filter(name -> !name.isBlank()).map(PipelineWorkload::of).distinct().toList();
    }

    /**
     * The configured servers, or embedded ones when none is configured.
     *
     * @param registryHome where the Apicurio Registry 2 build is unpacked; asked only for the embedded mode
     * @throws IllegalArgumentException when only some of the three servers are configured
     */
    public BenchServers servers(Supplier<Path> registryHome, PrintWriter progress) {
        long configured = Stream.of(bootstrapServers, dbUrl, registryUrl).filter(BenchOptions::present).count();
        if (configured == 3) {
            return BenchServers.configured(new BenchEndpoints(bootstrapServers, dbUrl, blankToNull(dbUser),
                    blankToNull(dbPassword), registryUrl));
        }
        if (configured > 0) {
            throw new IllegalArgumentException("give all of --bootstrap-servers, --db-url and --registry-url to"
                    + " measure your servers, or none of them to start embedded ones");
        }
        progress.println("No servers configured: starting embedded PostgreSQL, Kafka and schema registry...");
        progress.flush();
        return BenchServers.embedded(registryHome.get());
    }

    public PipelineBenchmark benchmark(PrintWriter out, PrintWriter progress) {
        return new PipelineBenchmark(plan(), workloads(), workerSettings, resultsDirectory, out, progress);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String blankToNull(String value) {
        return present(value) ? value : null;
    }

    @Override
    public String toString() {
        return "BenchOptions" + Arrays.asList(quick, workloads, inFlight, rates, preload, workerSettings,
                resultsDirectory, bootstrapServers, dbUrl, dbUser, dbPassword == null ? null : "*****", registryUrl);
    }
}
