package io.allsource.ingest.bench.report;

/** One target of the benchmark's issue, what was measured against it and whether it was met. */
public record TargetCheck(String target, String measured, boolean met) {
}
