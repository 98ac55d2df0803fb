package io.allsource.ingest.bench.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The report's table of the cores each process used in each phase of every workload, a column per process. */
final class CpuSection {

    private CpuSection() {
    }

    static void print(BenchReport report, PrintWriter out) {
        Set<String> processes = new LinkedHashSet<>();
        report.pipeline().forEach(workload -> workload.cpu()
                .forEach(phase -> processes.addAll(phase.cores().keySet())));
        List<String> headers = new ArrayList<>(List.of("cores used per phase (CPU time / wall time)", "phase"));
        headers.addAll(processes);
        headers.add("all");
        TextTable table = new TextTable(headers.toArray(String[]::new)).alignLeft(1);
        for (WorkloadFigures workload : report.pipeline()) {
            for (CpuPhase phase : workload.cpu()) {
                List<String> row = new ArrayList<>(List.of(workload.workload(), phase.phase()));
                processes.forEach(process -> row.add(phase.cores().containsKey(process)
                        ? String.format("%.2f", phase.cores().get(process)) : "-"));
                row.add(String.format("%.2f", phase.total()));
                table.row(row.toArray(String[]::new));
            }
        }
        table.print(out);
        out.println("(benchmark JVM: the worker, the client and the load; a server: its process and children, for"
                + " PostgreSQL its backends; of " + report.machine().cores() + " cores)");
    }
}
