package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.report.BenchReport;
import io.allsource.ingest.bench.report.MachineInfo;
import io.allsource.ingest.bench.report.ReportFiles;
import io.allsource.ingest.bench.report.ReportTable;
import io.allsource.ingest.bench.report.TargetCheck;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.WorkloadFigures;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.bench.servers.BenchServers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run on one set of servers: every pipeline workload (with its broker ceiling, table activity and top
 * statements), then, with a preload in the plan, new-streams again on a preloaded schema; then the seed design, the
 * batch store and the database ceiling on the same database; then the report as a table, a JSON file and a chart.
 */
public final class PipelineBenchmark {

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final BenchPlan plan;
    private final List<PipelineWorkload> workloads;
    private final Map<String, String> workerSettings;
    private final Path resultsFolder;
    private final PrintWriter out;
    private final PrintWriter progress;

    /**
     * @param workerSettings worker settings by key (as {@code ingest run}'s flags without {@code --}), over defaults
     * @param out            receives the report's table
     * @param progress       receives one line per step
     */
    public PipelineBenchmark(BenchPlan plan, List<PipelineWorkload> workloads, Map<String, String> workerSettings,
            Path resultsFolder, PrintWriter out, PrintWriter progress) {
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads: name at least one workload");
        }
        if (plan.preloadEvents() > 0 && !workloads.contains(PipelineWorkload.NEW_STREAMS)) {
            throw new IllegalArgumentException("--preload compares new-streams on a preloaded schema with new-streams"
                    + " on an empty one: add new-streams to --workloads");
        }
        this.plan = plan;
        this.workloads = List.copyOf(workloads);
        this.workerSettings = Map.copyOf(workerSettings);
        this.resultsFolder = resultsFolder;
        this.out = out;
        this.progress = progress;
    }

    /** What a run produced. */
    public record Result(BenchReport report, ReportFiles.Written files) {
    }

    public Result run(BenchServers servers) throws Exception {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String runId = Long.toString(started.getEpochSecond(), 36);
        BenchEndpoints endpoints = servers.endpoints();
        MachineInfo machine = MachineProbe.describe(endpoints, servers.isEmbedded());
        StatementStatistics statements = StatementStatistics.open(endpoints);
        if (!statements.available()) {
            progress.println("No top statements: " + statements.note());
        }
        PipelineRun pipeline = new PipelineRun(endpoints, plan, workerSettings, statements,
                new ProcessCpu(servers.processes()), progress);
        List<WorkloadFigures> figures = new ArrayList<>();
        for (PipelineWorkload workload : workloads) {
            progress.printf("Pipeline, %s (%s)%n", workload.label(), workload.description());
            figures.add(pipeline.run(workload, runId));
        }
        if (plan.preloadEvents() > 0) {
            progress.printf("Pipeline, new-streams on a schema preloaded with %,d events%n", plan.preloadEvents());
            WorkloadFigures empty = figures.get(workloads.indexOf(PipelineWorkload.NEW_STREAMS));
            figures.add(pipeline.runPreloaded(runId, plan.preloadEvents(), empty.brokerCeiling()));
        }
        List<Throughput> store = measureStore(endpoints, runId);
        Throughput seed = store.get(0);
        Throughput ceiling = store.get(2);
        BenchReport report = new BenchReport(started.toString(), plan.name(), machine, figures, seed, store.get(1),
                ceiling, TargetChecks.ratios(figures, seed, ceiling), TargetChecks.judge(figures, seed, ceiling));
        ReportFiles.Written files = ReportFiles.write(report, resultsFolder, FILE_STAMP.format(started));
        out.println();
        ReportTable.print(report, out);
        out.println();
        out.println("Written: " + files.json() + " and " + files.chart());
        out.flush();
        return new Result(report, files);
    }

    /** The seed design, the batch store and COPY on the same database, in schemas of their own. */
    private List<Throughput> measureStore(BenchEndpoints endpoints, String runId) throws Exception {
        progress.printf("Store: seed design, batch store and COPY, 1 event per command over %,d streams: %,d commands"
                + " as a warm-up, then each timed over at least %d s%n", plan.storeStreams(), plan.storeCommands(),
                plan.ceilingTime().toSeconds());
        progress.flush();
        String schema = BenchSchemas.name("bench", runId, "store");
        String seedSchema = BenchSchemas.name("bench", runId, "seed");
        BenchSchemas.create(endpoints, schema);
        try {
            StoreBenchmark store = new StoreBenchmark();
            store.threads = plan.storeThreads();
            store.batchSize = 500;
            store.seedSchema = seedSchema;
            store.minimumTime = plan.ceilingTime();
            List<Measurement> measured = store.measure(endpoints.jdbcUrlInSchema(schema), endpoints.dbUser(),
                    endpoints.dbPassword(), new Workload(plan.storeCommands(), plan.storeStreams(), 1));
            String[] names = {"seed design (1 tx per command, " + plan.storeThreads() + " threads)",
                    "batch store alone (EventStore, " + plan.storeThreads() + " threads)", "database ceiling (COPY)"};
            List<Throughput> throughputs = new ArrayList<>();
            for (int i = 0; i < measured.size(); i++) {
                throughputs.add(new Throughput(names[i], measured.get(i).events(), measured.get(i).nanos() / 1e9));
            }
            return throughputs;
        } finally {
            BenchSchemas.drop(endpoints, seedSchema);
            BenchSchemas.drop(endpoints, schema);
        }
    }

    /** The targets met and not met, for callers that want an exit status. */
    public static boolean allTargetsMet(BenchReport report) {
        return report.targets().stream().allMatch(TargetCheck::met);
    }
}
