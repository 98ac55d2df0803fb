package io.allsource.ingest.chaos;

import io.allsource.ingest.startup.WorkerCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a worker as an operator would: {@code WorkerCommand} in a child JVM of its own, from this JVM's class
 * path, against the soak's servers, with a short session timeout so that a paused worker is evicted quickly.
 *
 * @param java       the {@code java} executable
 * @param classpath  a class path holding the worker
 * @param logs       where each worker's output goes ({@code <worker-id>.log})
 */
record WorkerLaunch(Path java, String classpath, String bootstrapServers, String jdbcUrl, String registryUrl,
        String groupId, Path logs) {

    /** Milliseconds the group waits for a silent member before it hands its partitions on. */
    static final int SESSION_TIMEOUT_MS = 6_000;

    List<String> command(String workerId) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", classpath, WorkerCommand.class.getName(),
                "--bootstrap-servers=" + bootstrapServers,
                "--db-url=" + jdbcUrl,
                "--registry-url=" + registryUrl,
                "--group-id=" + groupId,
                "--worker-id=" + workerId,
                "--auto-register-schemas=true",
                "--metrics-port=0",
                "--db-pool-size=4",
                "--retry-max-ms=2000",
                "--fenced-recheck-ms=10000",
                "--kafka", "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "--kafka", "heartbeat.interval.ms=1000"));
        return command;
    }
}
