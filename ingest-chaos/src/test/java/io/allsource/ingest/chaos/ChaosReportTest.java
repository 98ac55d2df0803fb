package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.audit.AuditReport;
import io.allsource.ingest.audit.Check;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report counts hostile records by kind, names stalled partitions, and fails a run that had any. */
class ChaosReportTest {

    private static final AuditReport CLEAN = new AuditReport(
            List.of(new Check("every command sent has a stored outcome", 10, 0, List.of())), 0, 0, 0, 0, 10, 20);
    private static final Figures FIGURES = new Figures(12, 8, Map.of("CONCURRENCY_CONFLICT", 4L), 0, 20, 32, 0);

    @Test
    void holdsWhenNoPartitionStalledAndTheAuditHolds() {
        ChaosReport report = report(List.of());

        assertThat(report.holds()).isTrue();
        assertThat(report.lines()).contains("partitions stalled:             0", "All invariants hold.");
    }

    @Test
    void failsAndNamesEachPartitionThatStalledEvenWhenTheAuditHolds() {
        ChaosReport report = report(List.of(new StalledPartition(3, 5, 9), new StalledPartition(17, 0, 2)));

        assertThat(report.holds()).isFalse();
        assertThat(report.lines()).contains(
                "partitions stalled:             2 (partition 3 at offset 5 of 9; partition 17 at offset 0 of 2)",
                "Stalled partitions: records in them were never applied.", "VIOLATIONS FOUND.");
    }

    @Test
    void countsHostileRecordsByKindAndNamesTheKindsLeftOutOfTheMix() {
        ChaosReport report = report(List.of());

        assertThat(report.hostileTotal()).isEqualTo(2);
        assertThat(report.lines()).contains("hostile records sent:           2")
                .anyMatch(line -> line.matches("  a not-wire-format +2  random bytes.*"))
                .anyMatch(line -> line.matches("  b tombstone +0  a null value"))
                .anyMatch(line -> line.startsWith("  not in the mix: c huge-jsonb, d reply-to-events-topic, "));
    }

    @Test
    void countsDeletesAndErasesAndFailsARunWhoseLifecycleChecksBreak() {
        LifecycleReport broken = new LifecycleReport(5, 7, 2, 3, Map.of("DELETE STREAM_NOT_FOUND", 3L), 4, List.of(
                new Check("appends after an accepted delete rejected STREAM_DELETED", 4, 1,
                        List.of("append x to deleted chaos-7 was ACCEPTED "))));
        ChaosReport report = new ChaosReport(7, Duration.ofSeconds(30), 10, 0, Map.of(), FIGURES, Map.of(), 2, 0,
                List.of(), CLEAN, broken);

        assertThat(report.holds()).isFalse();
        assertThat(report.lines()).contains("deletes sent (acknowledged):    5 (2 accepted)",
                "erases sent (acknowledged):     7 (3 accepted)", "appends sent after a delete:    4",
                "  violates 'appends after an accepted delete rejected STREAM_DELETED': append x to deleted chaos-7"
                        + " was ACCEPTED ", "VIOLATIONS FOUND.")
                .anyMatch(line -> line.matches("  rejected DELETE STREAM_NOT_FOUND: +3"));
    }

    private static ChaosReport report(List<StalledPartition> stalled) {
        Map<HostileKind, Long> hostile = new EnumMap<>(HostileKind.class);
        hostile.put(HostileKind.NOT_WIRE_FORMAT, 2L);
        hostile.put(HostileKind.TOMBSTONE, 0L);
        return new ChaosReport(7, Duration.ofSeconds(30), 10, 0, hostile, FIGURES, Map.of(FaultKind.WORKER_KILL, 1),
                2, 0, stalled, CLEAN, LifecycleReport.NONE);
    }
}
