package io.allsource.ingest.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The CPU time (user and system, as the operating system reports it through {@link ProcessHandle.Info}) used so far by
 * this JVM, which runs the worker, the client and the load, and by each server process the benchmark started, children
 * included: PostgreSQL's backends, its WAL writer, checkpointer and autovacuum workers are children of its postmaster.
 * This JVM's own children (the broker and the registry) count as theirs, not as this JVM's. A child that exited between
 * two readings (a backend of a closed connection) takes its time with it. Thread-safe.
 */
final class ProcessCpu implements Supplier<Map<String, Duration>> {

    static final String BENCHMARK_JVM = "benchmark JVM";

    private final Map<String, ProcessHandle> servers;

    /** @param servers the servers' processes by name (none for configured servers) */
    ProcessCpu(Map<String, ProcessHandle> servers) {
        this.servers = new LinkedHashMap<>(servers);
    }

    /** CPU time per process name, this JVM first; a server whose process is gone is left out. */
    @Override
    public Map<String, Duration> get() {
        Map<String, Duration> used = new LinkedHashMap<>();
        used.put(BENCHMARK_JVM, cpu(ProcessHandle.current()));
        servers.forEach((name, process) -> {
            if (process.isAlive()) {
                used.put(name, Stream.concat(Stream.of(process), process.descendants()).map(ProcessCpu::cpu)
                        .reduce(Duration.ZERO, Duration::plus));
            }
        });
        return used;
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
