package io.allsource.ingest.bench.report;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints a {@link BenchReport} as plain tables: machine, throughput (with what each figure was measured over), latency
 * per rate, outcomes, table activity and top statements per workload, targets.
 */
public final class ReportTable {

    private ReportTable() {
    }

    public static void print(BenchReport report, PrintWriter out) {
        MachineInfo machine = report.machine();
        out.printf("AllSource Ingest benchmark (%s), started %s%n", report.preset(), report.startedAt());
        out.printf("machine: %d cores, %.1f GiB memory, %s; Java %s; PostgreSQL %s; Kafka %s; %s%n%n",
                machine.cores(), machine.memoryBytes() / (1024.0 * 1024 * 1024), machine.os(), machine.java(),
                machine.postgresql(), machine.kafka(),
                machine.embeddedServers() ? "embedded servers on this machine" : "configured servers");
        throughput(report, out);
        out.println();
        latency(report, out);
        out.println();
        outcomes(report, out);
        out.println();
        DatabaseSections.print(report, out);
        out.println();
        CpuSection.print(report, out);
        out.println();
        targets(report, out);
        out.flush();
    }

    private static void throughput(BenchReport report, PrintWriter out) {
        double seed = report.seedDesign().eventsPerSecond();
        double ceiling = report.databaseCeiling().eventsPerSecond();
        TextTable table = new TextTable("throughput", "commands/s", "events/s", "x seed", "/ db ceiling",
                "/ broker ceiling", "measured over");
        for (WorkloadFigures workload : report.pipeline()) {
            PhaseFigures maximum = workload.maximum();
            table.row("pipeline " + workload.workload(), number(maximum.commandsPerSecond()),
                    number(maximum.eventsPerSecond()), ratio(maximum.eventsPerSecond() / seed),
                    ratio(maximum.eventsPerSecond() / ceiling),
                    ratio(maximum.eventsPerSecond() / workload.brokerCeiling().eventsPerSecond()),
                    over(maximum.events(), maximum.seconds()));
        }
        for (Throughput store : new Throughput[] {report.seedDesign(), report.batchStore(), report.databaseCeiling()}) {
            table.row(store.contender(), "", number(store.eventsPerSecond()), ratio(store.eventsPerSecond() / seed),
                    ratio(store.eventsPerSecond() / ceiling), "", over(store.events(), store.seconds()));
        }
        for (WorkloadFigures workload : report.pipeline()) {
            if (workload.preload().preloaded()) {
                continue; // the same bytes as on the empty schema: its ceiling is that one
            }
            Throughput broker = workload.brokerCeiling();
            table.row("broker ceiling, " + workload.workload() + " bytes", "", number(broker.eventsPerSecond()),
                    ratio(broker.eventsPerSecond() / seed), ratio(broker.eventsPerSecond() / ceiling), "",
                    over(broker.events(), broker.seconds()));
        }
        table.print(out);
        report.pipeline().stream().filter(workload -> workload.warmUp().steps() > 0).forEach(workload -> out.printf(
                "%s: warmed up before its maximum in %s%n", workload.workload(), workload.warmUp().describe()));
        report.pipeline().stream().filter(workload -> workload.preload().preloaded()).forEach(workload -> out.printf(
                "%s: %,d events over %,d streams written before it (COPY, VACUUM ANALYZE) in %.1f s%n",
                workload.workload(), workload.preload().events(), workload.preload().streams(),
                workload.preload().seconds()));
    }

    private static String over(long events, double seconds) {
        return String.format("%,d events in %.1f s", events, seconds);
    }

    private static void latency(BenchReport report, PrintWriter out) {
        TextTable table = new TextTable("latency, intended send to result (ms)", "rate", "target/s", "completed/s",
                "p50", "p95", "p99", "p99.9", "max");
        for (WorkloadFigures workload : report.pipeline()) {
            latencyRow(table, workload.workload(), "max (closed)", workload.maximum());
            for (PhaseFigures phase : workload.fixedRates()) {
                latencyRow(table, workload.workload(), phase.phase(), phase);
            }
        }
        table.print(out);
    }

    private static void latencyRow(TextTable table, String workload, String rate, PhaseFigures phase) {
        LatencySummary latency = phase.latencyMs();
        table.row(workload, rate, phase.targetCommandsPerSecond() == 0 ? "-" : number(phase.targetCommandsPerSecond()),
                number(phase.commandsPerSecond()), millis(latency.p50()), millis(latency.p95()),
                millis(latency.p99()), millis(latency.p999()), millis(latency.max()));
    }

    private static void outcomes(BenchReport report, PrintWriter out) {
        TextTable table = new TextTable("outcomes (all measured phases)", "outcome", "commands");
        for (WorkloadFigures workload : report.pipeline()) {
            for (Map.Entry<String, Long> outcome : workload.outcomes().entrySet()) {
                table.row(workload.workload(), outcome.getKey(), String.format("%,d", outcome.getValue()));
            }
        }
        table.print(out);
    }

    private static void targets(BenchReport report, PrintWriter out) {
        TextTable table = new TextTable("target (issues 8 and 15)", "measured", "").alignLeft(1);
        for (TargetCheck check : report.targets()) {
            table.row(check.target(), check.measured(), check.met() ? "met" : "NOT MET");
        }
        table.print(out);
    }

    private static String number(double value) {
        return String.format("%,.0f", value);
    }

    private static String ratio(double value) {
        return String.format("%.2f", value);
    }

    private static String millis(double value) {
        return String.format("%.1f", value);
    }
}
