package io.allsource.ingest.cli;

import io.allsource.ingest.bench.BenchOptions;
import io.allsource.ingest.bench.PipelineBenchmark;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.bench.servers.BenchServers;
import io.allsource.ingest.store.DatabaseConnectionCheck;
import io.allsource.ingest.store.DatabaseRefusedException;
import io.allsource.ingest.store.DatabaseSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ingest bench}: the end-to-end benchmark (module {@code ingest-bench}). Starts its own embedded servers unless
 * all of Kafka, the database and the registry are configured; prints the report's table on standard output, progress
 * on standard error, and writes {@code bench-results/<timestamp>.json} and {@code .png}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the pipeline end to end (throughput, latency per rate) next to the"
        + " seed design, the database's ceiling and the broker's ceiling; --quick takes a few minutes")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    BenchOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        PipelineBenchmark benchmark;
        try {
            benchmark = options.benchmark(out, progress);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        BenchServers servers;
        try {
            servers = options.servers(BenchCommand::registryHome, progress);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        try (servers) {
            if (!servers.isEmbedded()) {
                checkDatabase(servers.endpoints());
            }
            benchmark.run(servers);
        }
        return 0;
    }

    /**
     * One connection to the configured database before the first step, so that a refusal is one line with the
     * server's reason, where and the fix ({@link DatabaseConnectionCheck}), as from every other subcommand.
     */
    private static void checkDatabase(BenchEndpoints endpoints) {
        try {
            DatabaseConnectionCheck.check(DatabaseSettings.of(endpoints.jdbcUrl(), endpoints.dbUser(),
                    endpoints.dbPassword()));
        } catch (DatabaseRefusedException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Where the build unpacked Apicurio Registry 2, which the embedded mode runs in memory. */
    private static Path registryHome() {
        String home = System.getProperty(IngestMain.HOME_PROPERTY);
        if (home == null) {
            throw new UserError("The system property " + IngestMain.HOME_PROPERTY + " is not set: start the"
                    + " benchmark with ./ingest bench, which sets it");
        }
        return Path.of(home, "schema-registry").toAbsolutePath();
    }
}
