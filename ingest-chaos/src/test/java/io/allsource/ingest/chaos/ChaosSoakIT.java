package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short soak through the real harness, so that it cannot rot: its own PostgreSQL, broker and registry as child
 * processes, a worker as a child JVM, a load with conflicts and every kind of hostile record in it, one worker killed
 * with SIGKILL and restarted and one pg_terminate_backend of the worker's connections, deletes and erases of streams
 * in the load (and appends to deleted streams), then the audit of the load's history and the checks of the deletes'
 * and erases' invariants. The system property {@value #KINDS_PROPERTY} narrows the hostile kinds (such as {@code a,b,e}).
 */
class ChaosSoakIT {

    static final String KINDS_PROPERTY = "chaos.hostile.kinds";
    private static final Logger log = LoggerFactory.getLogger(ChaosSoakIT.class);

    @TempDir
    Path data;

    @Test
    void aShortSoakWithFaultsAndHostileRecordsLosesNothingAppliesNothingTwiceAndStallsNoPartition() {
        Path registryHome = Path.of(System.getProperty("ingest.test.registry.home"));
        Set<HostileKind> kinds = HostileKind.parse(System.getProperty(KINDS_PROPERTY, "all"));
        ChaosSettings settings = ChaosSettings.of(Duration.ofSeconds(30), 42, data, registryHome)
                .withRate(60)
                .withHostile(new HostileMix(0.05, kinds))
                .withFaults(Duration.ofSeconds(12), List.of(FaultKind.WORKER_KILL, FaultKind.POSTGRES_TERMINATE));
        List<String> progress = new ArrayList<>();

        ChaosReport report = ChaosRun.run(settings, progress::add);
        log.info("The soak's report:\n{}", String.join("\n", report.lines()));

        assertThat(report.lines()).as(String.join("\n", report.lines())).contains("All invariants hold.");
        assertThat(report.holds()).isTrue();
        assertThat(report.stalledPartitions()).isEmpty();
        assertThat(report.audit().eventsLost()).isZero();
        assertThat(report.audit().commandsAppliedTwice()).isZero();
        assertThat(report.faults()).isEqualTo(Map.of(FaultKind.WORKER_KILL, 1, FaultKind.POSTGRES_TERMINATE, 1));
        assertThat(report.commandsSent()).isPositive();
        assertThat(report.hostileSent()).as("hostile records by kind").containsOnlyKeys(kinds)
                .allSatisfy((kind, count) -> assertThat(count).as("%s records sent", kind.label()).isPositive());
        assertThat(report.figures().outcomes()).as("one stored outcome per record sent, hostile ones included")
                .isEqualTo(report.commandsSent() + report.hostileTotal());
        assertThat(report.figures().accepted()).isPositive();
        assertThat(report.figures().rejectedByReason()).containsKey("CONCURRENCY_CONFLICT");
        assertThat(report.figures().claims()).as("32 partitions claimed by the first worker, again by its successor")
                .isGreaterThanOrEqualTo(64);
        // two, or more when a worker exits on its own (a terminated connection during its start) and is replaced
        assertThat(report.workersStarted()).isGreaterThanOrEqualTo(2);
        assertThat(report.audit().check("every command sent has a stored outcome").checked())
                .isGreaterThan(report.hostileTotal());
        assertThat(progress).anyMatch(line -> line.startsWith("fault: worker killed"));
        LifecycleReport lifecycle = report.lifecycle();
        assertThat(lifecycle.deletesAccepted()).as("deletes accepted").isPositive();
        assertThat(lifecycle.erasesAccepted()).as("erases accepted").isPositive();
        assertThat(lifecycle.checks()).as("the deletes' and erases' invariants").isNotEmpty()
                .allSatisfy(check -> assertThat(check.violations()).as(check.name() + ": " + check.examples())
                        .isZero());
        assertThat(lifecycle.checks()).filteredOn(check -> check.name().startsWith("erased versions"))
                .singleElement().satisfies(check -> assertThat(check.checked()).isPositive());
        assertThat(report.figures().rejectedByReason()).as("appends after a delete, deletes of deleted streams")
                .containsKey("STREAM_DELETED");
    }
}
