package io.allsource.ingest.bench.report;

/**
 * The machine and servers a benchmark ran on.
 *
 * @param memoryBytes     physical memory
 * @param kafka           the broker's version when embedded, else the clients' version (marked so)
 * @param embeddedServers whether the servers were started by the benchmark, on this machine
 */
public record MachineInfo(int cores, long memoryBytes, long maxHeapBytes, String os, String java, String postgresql,
        String kafka, boolean embeddedServers) {
}
