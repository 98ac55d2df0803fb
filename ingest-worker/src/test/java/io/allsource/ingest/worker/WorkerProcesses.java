package io.allsource.ingest.worker;

import io.allsource.ingest.embedded.ChildJvm;
import io.allsource.ingest.embedded.ChildProcesses;
import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the worker's real entry point in a child JVM, as an operator would run it, on a pipeline's servers. */
final class WorkerProcesses {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private WorkerProcesses() {
    }

    /**
     * A worker process named {@code name} in the pipeline's group, logging to {@code <logs>/<name>.log}.
     *
     * @param dbUrl     the JDBC URL it connects with (the pipeline's, possibly with parameters added)
     * @param extraArgs further flags, such as {@code --kafka session.timeout.ms=6000}
     */
    static Process start(PipelineFixture pipeline, TestSchemaRegistry registry, String name, String dbUrl, Path logs,
            String... extraArgs) {
        return jvm(pipeline, registry, name, dbUrl, logs, extraArgs).start();
    }

    /** The child JVM {@link #start} starts, to change before starting it (its class path, say). */
    static ChildJvm jvm(PipelineFixture pipeline, TestSchemaRegistry registry, String name, String dbUrl, Path logs,
            String... extraArgs) {
        return ChildJvm.of(WorkerCommand.class.getName())
                .jvmOptions("-Xmx256m")
                .option("metrics-port", "0")
                .arguments(extraArgs)
                .option("bootstrap-servers", pipeline.broker.bootstrapServers())
                .option("db-url", dbUrl)
                .option("registry-url", registry.url())
                .option("group-id", pipeline.groupId)
                .option("worker-id", name)
                .option("topic-commands", pipeline.topics.commands())
                .option("topic-results", pipeline.topics.results())
                .option("topic-events", pipeline.topics.events())
                .option("topic-dead-letters", pipeline.topics.deadLetters())
                .option("auto-register-schemas", "true")
                .logFile(logs.resolve(name + ".log"));
    }

    /** Stops a worker as a process manager would: SIGTERM, SIGKILL after 60 s. */
    static void stop(Process worker) {
        ChildProcesses.stop(worker, "worker", STOP_TIMEOUT);
    }

    /** {@code url} with the JDBC parameter {@code name=value} added. */
    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}
