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
        headers.addAll(List.of("all", "machine busy", "waiting for a CPU"));
        TextTable table = new TextTable(headers.toArray(String[]::new)).alignLeft(1);
        for (WorkloadFigures workload : report.pipeline()) {
            for (CpuPhase phase : workload.cpu()) {
                List<String> row = new ArrayList<>(List.of(workload.workload(), phase.phase()));
                processes.forEach(process -> row.add(phase.cores().containsKey(process)
                        ? String.format("%.2f", phase.cores().get(process)) : "-"));
                row.add(String.format("%.2f", phase.total()));
                row.add(percent(phase.machineBusy()));
                row.add(percent(phase.cpuWaiting()));
                table.row(row.toArray(String[]::new));
            }
        }
        table.print(out);
        out.println("(benchmark JVM: the worker, the client and the load; a server: its process and children, for"
                + " PostgreSQL its backends; of " + report.machine().cores() + " cores. machine busy: the share of this"
                + " machine's CPU time that was busy, whoever used it; waiting for a CPU: the share of the phase during"
                + " which at least one runnable task waited for one, Linux's CPU pressure)");
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format("%.0f %%", share * 100);
    }
}
