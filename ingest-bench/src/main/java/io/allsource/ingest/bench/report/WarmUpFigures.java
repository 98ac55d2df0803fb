package io.allsource.ingest.bench.report;

/**
 * How long a workload was warmed up before it was measured (see {@code WarmUp}).
 *
 * @param steps            closed-loop steps run
 * @param seconds          their time in all, each step's draining of the commands in flight included
 * @param compilationShare the JIT compilers' time in the last step as a share of its wall time (0.05 = 5 %), or -1 when
 *                         the JVM does not measure compilation time
 * @param settled          whether that share was at or below the quiet share; false when the limit ended the warm-up
 */
public record WarmUpFigures(int steps, double seconds, double compilationShare, boolean settled) {

    /** No warm-up recorded (figures from before it was, and tests). */
    public static final WarmUpFigures NONE = new WarmUpFigures(0, 0, -1, false);

    /** One line for the progress and the report: "6 steps, 60 s (JIT compilers 4 % of the last step, quiet)". */
    public String describe() {
        String compilers = compilationShare < 0 ? "this JVM does not measure its JIT compilers"
                : String.format("JIT compilers %.0f %% of the last step, %s", compilationShare * 100,
                        settled ? "quiet" : "not yet quiet at the limit");
        return String.format("%d step%s, %.0f s (%s)", steps, steps == 1 ? "" : "s", seconds, compilers);
    }
}
