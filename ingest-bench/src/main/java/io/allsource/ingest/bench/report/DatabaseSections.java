package io.allsource.ingest.bench.report;

import java.io.PrintWriter;
import java.util.List;

/**
 * The report's database sections: the table activity of every workload over its whole run (warm-up and closing
 * included; the phases are in the JSON), and the top statements by execution time.
 */
final class DatabaseSections {

    /** Statements printed per workload; the JSON keeps {@link TopStatements#KEPT}. */
    static final int PRINTED_STATEMENTS = 5;

    private DatabaseSections() {
    }

    static void print(BenchReport report, PrintWriter out) {
        tables(report, out);
        out.println();
        statements(report, out);
        out.println();
        worker(report, out);
    }

    private static void worker(BenchReport report, PrintWriter out) {
        TextTable table = new TextTable("inside the worker (means per phase)", "phase", "transactions",
                "batches/tx", "commands/batch", "dwell ms", "queue ms", "tx ms", "publish ms").alignLeft(1);
        for (WorkloadFigures workload : report.pipeline()) {
            for (WorkerPhase phase : workload.worker()) {
                table.row(workload.workload(), phase.phase(), count(phase.transactions()),
                        String.format("%.1f", phase.batchesPerTransaction()),
                        String.format("%.1f", phase.commandsPerBatch()), String.format("%.1f", phase.dwellMs()),
                        String.format("%.1f", phase.queueMs()), String.format("%.1f", phase.transactionMs()),
                        String.format("%.1f", phase.publicationMs()));
            }
        }
        table.print(out);
        out.println("(dwell: a partition batch's oldest command from its fetch to its hand-over to an apply thread;"
                + " queue: waiting for a thread; tx: the transaction; publish: send to the broker's acknowledgement)");
    }

    private static void tables(BenchReport report, PrintWriter out) {
        TextTable table = new TextTable("tables (pg_stat_user_tables)", "table", "seq scans", "seq rows read",
                "index scans", "inserted", "updated", "HOT updated").alignLeft(1);
        for (WorkloadFigures workload : report.pipeline()) {
            List<TableCounters> active = workload.database().tables().stream().filter(TableCounters::active).toList();
            if (active.isEmpty()) {
                table.row(workload.workload(), "(no activity)", "", "", "", "", "", "");
            }
            for (TableCounters counters : active) {
                table.row(workload.workload(), counters.table(), count(counters.seqScans()),
                        count(counters.seqRowsRead()), count(counters.indexScans()), count(counters.rowsInserted()),
                        count(counters.rowsUpdated()), count(counters.hotUpdated()));
            }
        }
        table.print(out);
        out.println("(over each whole workload, warm-up and closing included; per phase in the JSON)");
    }

    private static void statements(BenchReport report, PrintWriter out) {
        List<WorkloadFigures> available = report.pipeline().stream()
                .filter(workload -> workload.database().statements().available()).toList();
        if (available.isEmpty()) {
            String why = report.pipeline().isEmpty() ? "no workload ran"
                    : report.pipeline().get(0).database().statements().note();
            out.println("top statements: not available, " + why);
            return;
        }
        TextTable table = new TextTable("top statements (pg_stat_statements)", "calls", "total ms", "mean ms",
                "plans", "plan ms", "rows", "statement").alignLeft(7);
        for (WorkloadFigures workload : report.pipeline()) {
            TopStatements statements = workload.database().statements();
            if (!statements.available()) {
                table.row(workload.workload(), "", "", "", "", "", "", "not available, " + statements.note());
                continue;
            }
            statements.statements().stream().limit(PRINTED_STATEMENTS).forEach(statement -> table.row(
                    workload.workload(), count(statement.calls()), String.format("%,.0f", statement.totalMs()),
                    String.format("%.3f", statement.meanMs()), count(statement.plans()),
                    String.format("%,.0f", statement.planMs()), count(statement.rows()), statement.statement()));
        }
        table.print(out);
        out.printf("(the %d with the most execution and planning time per workload; %d in the JSON; total and mean"
                + " ms are execution)%n", PRINTED_STATEMENTS, TopStatements.KEPT);
    }

    private static String count(long value) {
        return String.format("%,d", value);
    }
}
