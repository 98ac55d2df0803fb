package io.allsource.ingest.bench.servers;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.embedded.JavaRuntimes;
import io.allsource.ingest.embedded.KafkaServerProcess;
import io.allsource.ingest.embedded.PostgresServerProcess;
import io.allsource.ingest.embedded.RegistryDistribution;
import io.allsource.ingest.embedded.SchemaRegistryProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers a benchmark runs against: either configured ones (nothing started, nothing stopped) or embedded ones
 * started for this run in a temporary folder, all on loopback: PostgreSQL with its default durability (fsync,
 * synchronous commit) and {@code pg_stat_statements} loaded, a single-node KRaft Kafka broker in a child JVM and
 * Apicurio Registry 2 (in memory) in another, started one after the other. Closing stops the embedded servers in
 * reverse order and deletes the folder; a JVM shutdown hook does the same when the run is interrupted.
 */
public final class BenchServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchServers.class);
    private static final String DATABASE = "bench";
    public static final String POSTGRESQL = "PostgreSQL";
    public static final String BROKER = "broker";
    public static final String REGISTRY = "registry";

    /**
     * The embedded PostgreSQL keeps statement statistics for the report's top statements, those run inside functions
     * and triggers included ({@code track=all}), with their planning time ({@code track_planning}).
     */
    private static final Map<String, String> STATEMENT_STATISTICS = Map.of(
            "shared_preload_libraries", "pg_stat_statements",
            "pg_stat_statements.track", "all",
            "pg_stat_statements.track_planning", "on");

    /**
     * The embedded PostgreSQL is sized as for a server of its own rather than left at initdb's defaults, which are
     * meant for a machine of a few hundred megabytes: with 128 MB of shared buffers and a 1 GB {@code max_wal_size},
     * the pipeline's write rate started a checkpoint every 24 s, one after another, and the full-page images written
     * after each start made most of the WAL. With these, checkpoints come every {@code checkpoint_timeout} (5 min).
     * Durability is unchanged: fsync and synchronous commit stay on.
     */
    private static final Map<String, String> SERVER_SIZING = Map.of(
            "shared_buffers", "1GB",
            "max_wal_size", "8GB");

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path folder;
    private final boolean embedded;
    private final Thread shutdownHook = new Thread(this::close, "bench-servers-shutdown");
    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();
    private BenchEndpoints endpoints;

    private BenchServers(Path folder, boolean embedded) {
        this.folder = folder;
        this.embedded = embedded;
    }

    /** Servers that already run: the benchmark only connects to them. */
    public static BenchServers configured(BenchEndpoints endpoints) {
        BenchServers servers = new BenchServers(null, false);
        servers.endpoints = endpoints;
        return servers;
    }

    /**
     * Starts PostgreSQL, Kafka and the registry (the latter two at once, each in a child JVM).
     *
     * @param registryHome the folder the Apicurio Registry 2 build was unpacked into
     */
    public static BenchServers embedded(Path registryHome) {
        Path folder = createTemporaryFolder();
        BenchServers servers = new BenchServers(folder, true);
        Runtime.getRuntime().addShutdownHook(servers.shutdownHook);
        try {
            servers.startAll(registryHome);
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private void startAll(Path registryHome) {
        RegistryDistribution registryBuild = RegistryDistribution.apicurio2InMemory(registryHome);
        Path registryJava = JavaRuntimes.atLeast(registryBuild.minimumJava()).orElseThrow(() ->
                new IllegalStateException("No Java " + registryBuild.minimumJava() + "+ found to run "
                        + registryBuild.description()));
        // one after the other: a free port is only known free until a server binds it, so servers starting at once
        // could be handed the same port
        PostgresServerProcess postgres = PostgresServerProcess.start(folder.resolve("postgres"), FreePorts.find(),
                List.of(DATABASE), postgresSettings());
        started.push(postgres);
        postgres.processHandle().ifPresent(postmaster -> processes.put(POSTGRESQL, postmaster));
        int kafkaPort = FreePorts.find();
        int controllerPort = FreePorts.find();
        while (controllerPort == kafkaPort) {
            controllerPort = FreePorts.find();
        }
        KafkaServerProcess kafka = KafkaServerProcess.start(folder.resolve("kafka"), kafkaPort, controllerPort,
                JavaRuntimes.current(), System.getProperty("java.class.path"),
                Duration.ofSeconds(90));
        started.push(kafka);
        processes.put(BROKER, kafka.processHandle());
        SchemaRegistryProcess registry = SchemaRegistryProcess.start(registryBuild, registryJava, FreePorts.find(),
                folder.resolve("registry.log"), Duration.ofSeconds(120));
        started.push(registry);
        processes.put(REGISTRY, registry.processHandle());
        endpoints = new BenchEndpoints(kafka.bootstrapServers(), postgres.jdbcUrl(DATABASE), null, null,
                registry.url());
        log.info("Embedded servers up for the benchmark: {}", endpoints);
    }

    public BenchEndpoints endpoints() {
        return endpoints;
    }

    /**
     * The processes of the servers this run started, by name ({@link #POSTGRESQL}: its postmaster, {@link #BROKER},
     * {@link #REGISTRY}); none for configured servers.
     */
    public Map<String, ProcessHandle> processes() {
        return Collections.unmodifiableMap(processes);
    }

    /** Whether the servers were started by this run (and their versions are the ones on this class path). */
    public boolean isEmbedded() {
        return embedded;
    }

    /** Stops what this run started, in reverse order, and deletes its folder. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.debug("The shutdown hook was not registered or the JVM is shutting down: {}", e.toString());
            }
        }
        while (!started.isEmpty()) {
            AutoCloseable server = started.pop();
            try {
                server.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", server, e);
            }
        }
        if (folder != null) {
            deleteRecursively(folder);
        }
    }

    private static Path createTemporaryFolder() {
        try {
            return Files.createTempDirectory("ingest-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the benchmark's servers", e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the benchmark's server folder {}: {}", folder, e.toString());
        }
    }

    /**
     * The settings every PostgreSQL the benchmarks start is given: statement statistics and a server's sizing. One
     * place, so that {@code ingest bench} and {@link io.allsource.ingest.bench.StoreBenchmark} run on their own
     * measure the same server.
     */
    public static Map<String, String> postgresSettings() {
        Map<String, String> settings = new LinkedHashMap<>(STATEMENT_STATISTICS);
        settings.putAll(SERVER_SIZING);
        return settings;
    }
}
