package io.allsource.ingest.chaos;

import io.allsource.ingest.embedded.ChildJvm;
import io.allsource.ingest.startup.WorkerCommand;
import java.nio.file.Path;

/**
 * How to start a worker as an operator would: {@code WorkerCommand} in a child JVM of its own, from this JVM's class
 * path, against the soak's servers, with a short session timeout so that a paused worker is evicted quickly.
 *
 * @param logs where each worker's output goes ({@code <worker-id>.log})
 */
record WorkerLaunch(String bootstrapServers, String jdbcUrl, String registryUrl, String groupId, Path logs) {

    /** Milliseconds the group waits for a silent member before it hands its partitions on. */
    static final int SESSION_TIMEOUT_MS = 6_000;

    /** The child JVM of the worker {@code workerId}. */
    ChildJvm jvm(String workerId) {
        return ChildJvm.of(WorkerCommand.class.getName())
                .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
                .option("bootstrap-servers", bootstrapServers)
                .option("db-url", jdbcUrl)
                .option("registry-url", registryUrl)
                .option("group-id", groupId)
                .option("worker-id", workerId)
                .option("auto-register-schemas", "true")
                .option("metrics-port", "0")
                .option("db-pool-size", "4")
                .option("retry-max-ms", "2000")
                .option("fenced-recheck-ms", "10000")
                .arguments("--kafka", "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                        "--kafka", "heartbeat.interval.ms=1000")
                .logFile(logs.resolve(workerId + ".log"));
    }
}
