package io.allsource.ingest.cli;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.startup.StartupException;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.startup.WorkerCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ingest run}: the worker, with every worker setting as a flag. With no Kafka, database or registry configured
 * it starts embedded ones under the data folder, writes their endpoints to {@code endpoints.properties} and prints
 * them; with all three configured it starts nothing embedded. Runs until Ctrl-C or SIGTERM. Run as the command line's
 * own process, it logs to {@code <data-dir>/logs/ingest-run.log} and prints a {@link StatusLine} instead of its log
 * (with {@code --verbose}, both).
 */
final class RunCommand {

    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

    private RunCommand() {
    }

    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err, Path home) {
        CommandSpec spec = WorkerCommand.spec().name("ingest run");
        spec.addOption(OptionSpec.builder("--data-dir").paramLabel("DIR").type(Path.class)
                .description("Where the embedded servers keep their data (default ./.ingest, or INGEST_DATA)").build());
        ParsedArguments arguments = ParsedArguments.parse(spec, args, out, err);
        if (arguments.answered()) {
            return arguments.exitStatus();
        }
        ParseResult parsed = arguments.result();
        Map<String, String> flags = new LinkedHashMap<>(WorkerCommand.flags(parsed));
        Path file = WorkerCommand.configFile(parsed, environment);
        IngestConfig given = IngestConfig.load(flags, environment, file, List.of());
        long configured = WorkerCommand.REQUIRED.stream().filter(key -> given.get(key).isPresent()).count();
        if (configured > 0 && configured < WorkerCommand.REQUIRED.size()) {
            err.println("error: give all of --bootstrap-servers, --db-url and --registry-url to run against your"
                    + " servers, or none of them to run embedded ones");
            return 1;
        }
        Path dataDirectory = parsed.matchedOptionValue("--data-dir",
                Path.of(environment.getOrDefault("INGEST_DATA", ".ingest")));
        Optional<Path> runLog = CliLogging.logRunTo(dataDirectory.resolve("logs"));
        EmbeddedPipeline embedded = null;
        if (configured == 0) {
            out.println("No servers configured: starting embedded Kafka, PostgreSQL and schema registry in "
                    + dataDirectory.toAbsolutePath() + " ...");
            out.flush();
            embedded = EmbeddedPipeline.start(dataDirectory, home);
            flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), embedded.endpoints().bootstrapServers());
            flags.put(ConfigKeys.DB_URL.name(), embedded.endpoints().jdbcUrl());
            flags.put(ConfigKeys.REGISTRY_URL.name(), embedded.endpoints().registryUrl());
            flags.putIfAbsent(ConfigKeys.CREATE_TOPICS.name(), "true");
            flags.putIfAbsent(ConfigKeys.AUTO_REGISTER.name(), "true");
            flags.putIfAbsent(ConfigKeys.METRICS_HOST.name(), "127.0.0.1");
            flags.putIfAbsent(ConfigKeys.METRICS_PORT.name(), Integer.toString(new Ports(dataDirectory).of("metrics")));
        }
        WorkerApplication application;
        try {
            application = WorkerApplication.start(IngestConfig.load(flags, environment, file,
                    WorkerCommand.REQUIRED));
        } catch (ConfigException | StartupException e) {
            if (embedded != null) {
                embedded.close();
            }
            err.println("error: " + e.getMessage());
            runLog.ifPresent(log -> err.println("(the full log is in " + log + ")"));
            return 1;
        }
        if (embedded != null) {
            try {
                embedded.startViews(dataDirectory);
            } catch (RuntimeException e) {
                application.close();
                embedded.close();
                err.println("error: the live views did not start: " + e.getMessage());
                return 1;
            }
            embedded.endpoints().write(dataDirectory);
            Endpoints endpoints = embedded.endpoints();
            out.println("AllSource Ingest is running.");
            out.println("  bootstrap servers  " + endpoints.bootstrapServers());
            out.println("  schema registry    " + endpoints.registryUrl());
            out.println("  PostgreSQL         " + endpoints.jdbcUrl());
            out.println("  metrics            http://127.0.0.1:" + application.metricsPort() + "/metrics");
            out.println("  live views         " + endpoints.viewsUrl());
            runLog.ifPresent(log -> out.println("  full log           " + log));
            out.println("Endpoints written to " + dataDirectory.resolve(Endpoints.FILE_NAME)
                    + ". Press Ctrl-C to stop.");
            out.flush();
            EmbeddedPipeline servers = embedded;
            servers.stopWithCaller();
            Optional<StatusLine> status = statusLine(runLog, application, out);
            try {
                return exitStatus(WorkerCommand.runUntilStoppedOrFailed(application,
                        () -> Endpoints.delete(dataDirectory), servers), runLog, err);
            } finally {
                status.ifPresent(StatusLine::close);
            }
        } else {
            if (!application.failure().isDone()) {
                // a refusal by the broker can stop the consumers before start returns: then only the stop is said
                out.println("AllSource Ingest worker is running. Press Ctrl-C to stop.");
                runLog.ifPresent(log -> out.println("Full log: " + log));
                out.flush();
            }
            Optional<StatusLine> status = statusLine(runLog, application, out);
            try {
                return exitStatus(WorkerCommand.runUntilStoppedOrFailed(application), runLog, err);
            } finally {
                status.ifPresent(StatusLine::close);
            }
        }
    }

    /**
     * The status line, when the log goes to a file (the command line's own process); nothing when a test runs this in
     * its own JVM.
     */
    private static Optional<StatusLine> statusLine(Optional<Path> runLog, WorkerApplication application,
            PrintWriter out) {
        return runLog.map(log -> StatusLine.start(application.meters(), application::notReady, out, STATUS_INTERVAL));
    }

    /** 0 after a requested stop; 1 with the one-line reason when the worker stopped on a failure. */
    private static int exitStatus(FatalWorkerException failure, Optional<Path> runLog, PrintWriter err) {
        if (failure == null) {
            return 0;
        }
        err.println("error: the worker stopped: " + failure.getMessage());
        runLog.ifPresent(log -> err.println("(the full log is in " + log + ")"));
        err.flush();
        return 1;
    }
}
