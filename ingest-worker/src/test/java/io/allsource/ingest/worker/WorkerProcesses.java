package io.allsource.ingest.worker;

import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts the worker's real entry point in a child JVM, as an operator would run it, on a pipeline's servers. */
final class WorkerProcesses {

    private WorkerProcesses() {
    }

    /**
     * A worker process named {@code name} in the pipeline's group, logging to {@code <logs>/<name>.log}.
     *
     * @param dbUrl     the JDBC URL it connects with (the pipeline's, possibly with parameters added)
     * @param extraArgs further flags, such as {@code --kafka session.timeout.ms=6000}
     */
    static Process start(PipelineFixture pipeline, TestSchemaRegistry registry, String name, String dbUrl, Path logs,
            String... extraArgs) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap-servers", pipeline.broker.bootstrapServers());
        settings.put("db-url", dbUrl);
        settings.put("registry-url", registry.url());
        settings.put("group-id", pipeline.groupId);
        settings.put("worker-id", name);
        settings.put("topic-commands", pipeline.topics.commands());
        settings.put("topic-results", pipeline.topics.results());
        settings.put("topic-events", pipeline.topics.events());
        settings.put("topic-dead-letters", pipeline.topics.deadLetters());
        settings.put("auto-register-schemas", "true");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), WorkerCommand.class.getName(),
                "--metrics-port", "0"));
        command.addAll(List.of(extraArgs));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
    }

    /** {@code url} with the JDBC parameter {@code name=value} added. */
    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}
