package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The CPU time of this JVM and of the servers' processes, their children included, as the operating system reports. */
@EnabledOnOs(OS.LINUX)
class ProcessCpuTest {

    @Test
    void readsThisJvmsOwnCpuTimeAsItGrows() {
        ProcessCpu cpu = new ProcessCpu(Map.of());
        Duration before = cpu.get().get(ProcessCpu.BENCHMARK_JVM);

        long sum = 0;
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < until) {
            sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
        }

        assertThat(sum).isPositive();
        assertThat(cpu.get()).containsOnlyKeys(ProcessCpu.BENCHMARK_JVM);
        assertThat(cpu.get().get(ProcessCpu.BENCHMARK_JVM)).isGreaterThan(before);
    }

    @Test
    void countsAServersChildrenAsItsOwnAndLeavesOutAServerWhoseProcessIsGone() throws Exception {
        // a shell whose child does the work, as PostgreSQL's backends do for its postmaster
        Process server = new ProcessBuilder("sh", "-c",
                "sh -c 'i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done; sleep 60' & wait").start();
        Process stopped = new ProcessBuilder("true").start();
        stopped.waitFor();
        try {
            ProcessCpu cpu = new ProcessCpu(Map.of("server", server.toHandle(), "stopped", stopped.toHandle()));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(cpu.get().get("server")).isGreaterThan(Duration.ofMillis(100)));
            assertThat(server.info().totalCpuDuration().orElse(Duration.ZERO)).isLessThan(Duration.ofMillis(100));
            assertThat(cpu.get()).containsOnlyKeys(ProcessCpu.BENCHMARK_JVM, "server");
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }
}
