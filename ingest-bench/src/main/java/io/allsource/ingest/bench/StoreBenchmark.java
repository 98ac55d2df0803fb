package io.allsource.ingest.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.allsource.ingest.bench.servers.BenchServers;
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.embedded.PostgresServerProcess;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures, in one run on one PostgreSQL, the events per second of the seed design (one transaction per command), of
 * the pipeline's batch event store, and of COPY (the database's ceiling), for the same event rows; prints them with
 * their ratios. Without {@code --jdbc-url} it starts its own PostgreSQL with default durability (fsync, synchronous
 * commit) in a temporary folder.
 */
@Command(name = "ingest-store-bench", mixinStandardHelpOptions = true,
        description = "Store throughput: seed design vs batch store vs COPY, same rows, same database")
public final class StoreBenchmark implements Callable<Integer> {

    @Option(names = "--jdbc-url", description = "A PostgreSQL to measure on (default: start one, durable)")
    String jdbcUrl;

    @Option(names = "--commands", defaultValue = "20000", description = "Commands per contender")
    int commands;

    @Option(names = "--streams", defaultValue = "2000", description = "Streams they go to")
    int streams;

    @Option(names = "--events-per-command", defaultValue = "1", description = "Events per command")
    int eventsPerCommand;

    @Option(names = "--threads", defaultValue = "4", description = "Concurrent connections per contender")
    int threads;

    @Option(names = "--batch-size", defaultValue = "500", description = "Commands per transaction of the batch store")
    int batchSize;

    @Option(names = "--seconds", defaultValue = "0", description = "Least seconds each contender is measured over,"
            + " after a warm-up run of --commands; 0 measures exactly --commands, once, cold")
    double seconds;

    @Option(names = "--quick", description = "A small run (5,000 commands, each contender measured over at least 3 s"
            + " after a warm-up) that finishes in seconds")
    boolean quick;

    /** The schema the seed design and the COPY ceiling write to. */
    String seedSchema = BenchDatabase.SEED_SCHEMA;

    /**
     * The least time each contender is measured over. Zero: one run of the given workload, cold. Otherwise a first run
     * of the workload is a warm-up (JIT, connections, caches; not reported), and the contender then runs again, on
     * emptied tables, sized from the last run's rate by {@link StoreSizing} until a run lasts that long (at most
     * {@link StoreSizing#MAX_RUNS} runs in all); the last run is reported.
     */
    Duration minimumTime = Duration.ZERO;

    PrintWriter out = new PrintWriter(System.out, true);

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Workload workload = new Workload(quick ? 5_000 : commands, quick ? 500 : streams, eventsPerCommand);
        minimumTime = Duration.ofMillis(Math.round((quick ? 3 : seconds) * 1000));
        if (jdbcUrl != null) {
            print(measure(jdbcUrl, workload));
            return 0;
        }
        Path folder = Files.createTempDirectory("ingest-store-bench");
        try (PostgresServerProcess postgres = PostgresServerProcess.start(folder.resolve("postgres"),
                FreePorts.find(), List.of("bench"), BenchServers.postgresSettings())) {
            print(measure(postgres.jdbcUrl("bench"), workload));
        }
        return 0;
    }

    /** Runs the three contenders one after the other on emptied tables. */
    List<Measurement> measure(String url, Workload workload) throws Exception {
        return measure(url, null, null, workload);
    }

    /** Like {@link #measure(String, Workload)}, as {@code user} with {@code password} (either may be null). */
    List<Measurement> measure(String url, String user, String password, Workload workload) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(threads + 2);
        // the batch store on sessions set up as the worker's (index-driven plans), the others as the seed's
        try (HikariDataSource dataSource = new HikariDataSource(config);
                Database writePath = Database.open(new DatabaseSettings(url, user, password, threads + 2,
                        Duration.ofSeconds(10)), "bench-batch-store")) {
            BenchDatabase.prepare(dataSource, seedSchema);
            List<Measurement> results = new ArrayList<>();
            results.add(sized(dataSource, workload, run -> SeedPerCommand.run(dataSource, run, threads, seedSchema)));
            results.add(sized(dataSource, workload, run -> BatchStoreRun.run(writePath.dataSource(), run, threads,
                    batchSize)));
            results.add(sized(dataSource, workload, run -> CopyCeiling.run(dataSource, run, seedSchema)));
            return results;
        }
    }

    /** One contender on a given workload. */
    @FunctionalInterface
    private interface Contender {
        Measurement run(Workload workload) throws Exception;
    }

    /** Runs {@code contender} on emptied tables, sized as {@link #minimumTime} says, and returns its last run. */
    private Measurement sized(DataSource dataSource, Workload workload, Contender contender) throws Exception {
        BenchDatabase.empty(dataSource, seedSchema);
        Measurement last = contender.run(workload);
        Workload size = workload;
        for (int run = 2; !minimumTime.isZero() && run <= StoreSizing.MAX_RUNS; run++) {
            if (run > 2 && StoreSizing.longEnough(last.nanos(), minimumTime)) {
                break;
            }
            size = size.withCommands(StoreSizing.nextCommands(size.commands(), last.nanos(), minimumTime));
            BenchDatabase.empty(dataSource, seedSchema);
            last = contender.run(size);
        }
        return last;
    }

    void print(List<Measurement> results) {
        double seed = results.get(0).eventsPerSecond();
        out.printf("%-62s %10s %9s %12s %8s%n", "contender", "events", "seconds", "events/s", "x seed");
        for (Measurement result : results) {
            out.printf("%-62s %10d %9.2f %12.0f %8.2f%n", result.contender(), result.events(), result.nanos() / 1e9,
                    result.eventsPerSecond(), result.eventsPerSecond() / seed);
        }
        out.printf("batch store / database ceiling: %.2f%n", results.get(1).eventsPerSecond()
                / results.get(2).eventsPerSecond());
        out.printf("machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        out.flush();
    }
}
