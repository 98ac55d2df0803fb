package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.AuditReport;
import io.allsource.ingest.audit.AuditSettings;
import io.allsource.ingest.audit.PipelineAudit;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.topics.IngestTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One soak, start to end: the servers and a first worker start, and once that worker has claimed every partition the
 * load (with its hostile records) runs while the schedule's faults are injected; the load stops, every fault is
 * undone, the pipeline catches up (or partitions are found stalled), and the audit judges the history against the
 * database and the topics. Everything it started is stopped before it returns.
 */
public final class ChaosRun {

    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
    private static final IngestTopics TOPICS = IngestTopics.DEFAULT;
    private static final Duration FIRST_CLAIMS_TIMEOUT = Duration.ofMinutes(2);

    private final ChaosSettings settings;
    private final Consumer<String> progress;

    private ChaosRun(ChaosSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs the soak; {@code progress} receives a line per step. */
    public static ChaosReport run(ChaosSettings settings, Consumer<String> progress) {
        return new ChaosRun(settings, progress).run();
    }

    private ChaosReport run() {
        Path logs = createDirectories(settings.dataDirectory().resolve("logs"));
        progress.accept("Starting PostgreSQL, Kafka and the schema registry under " + settings.dataDirectory());
        ChaosCluster cluster = ChaosCluster.start(settings.dataDirectory(), settings.registryHome());
        WorkerPool pool = new WorkerPool(new WorkerLaunch(cluster.bootstrapServers(), cluster.jdbcUrl(),
                cluster.registryUrl(), "chaos-workers", logs), new Random(settings.seed()));
        Thread stopOnExit = new Thread(() -> stop(pool, cluster), "chaos-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit); // Ctrl-C must not leave servers or workers behind
        try {
            return soak(cluster, pool, logs);
        } finally {
            stop(pool, cluster);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                log.debug("Shutting down already: the hook stops everything");
            }
        }
    }

    private static void stop(WorkerPool pool, ChaosCluster cluster) {
        pool.close();
        cluster.close();
    }

    private ChaosReport soak(ChaosCluster cluster, WorkerPool pool, Path logs) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(cluster.jdbcUrl());
        CatchUp catchUp = new CatchUp(cluster, dataSource, TOPICS.commands());
        pool.add();
        FaultInjector injector = new FaultInjector(cluster, pool, new Random(settings.seed() + 1));
        catchUp.awaitClaimed(FIRST_CLAIMS_TIMEOUT, injector);
        LoadGenerator load = new LoadGenerator(cluster.bootstrapServers(), cluster.registryUrl(), TOPICS, settings)
                .start();
        try {
            progress.accept("Load running at " + settings.commandsPerSecond() + " records/s (" + hostileShare()
                    + ") for " + settings.length().toSeconds() + " s, faults injected meanwhile");
            injectFaults(injector);
        } finally {
            load.close();
        }
        pool.resumeAll();
        pool.supervise();
        SentLog sent = load.sent();
        progress.accept("Load stopped: " + sent.size() + " commands and " + sent.hostile().size() + " hostile"
                + " records acknowledged; waiting for the pipeline to catch up");
        List<StalledPartition> stalled = catchUp.await(settings.catchUpTimeout(), injector);
        progress.accept(stalled.isEmpty() ? "Caught up; auditing against the database and topics"
                : stalled.size() + " partitions stalled (" + stalled + "); auditing against the database and topics");
        AuditReport audit = new PipelineAudit(dataSource, AuditSettings.of(
                Map.of("bootstrap.servers", cluster.bootstrapServers()),
                new SchemaRegistryClient(RegistrySettings.of(cluster.registryUrl())), TOPICS)
                .withGrace(Duration.ofSeconds(30))).run(HostileOutcomes.history(sent, dataSource));
        Set<String> acknowledged = new HashSet<>();
        sent.forEach(command -> acknowledged.add(command.commandId()));
        LifecycleReport lifecycle = new LifecycleChecks(dataSource, cluster.bootstrapServers(), cluster.registryUrl(),
                TOPICS.events()).run(load.lifecycle(), acknowledged);
        return new ChaosReport(settings.seed(), settings.length(), sent.size(), load.failed(), hostileSent(sent),
                Figures.read(dataSource, logs), injector.injected(), pool.started(), pool.unexpectedExits(), stalled,
                audit, lifecycle);
    }

    private String hostileShare() {
        HostileMix mix = settings.hostile();
        return mix.rate() == 0 ? "no hostile records" : String.format(Locale.ROOT, "%.1f%% hostile: %s",
                mix.rate() * 100, mix.ordered().stream().map(kind -> String.valueOf(kind.letter()))
                        .collect(Collectors.joining(",")));
    }

    /** Every kind of the mix, with how many the broker acknowledged. */
    private Map<HostileKind, Long> hostileSent(SentLog sent) {
        Map<HostileKind, Long> counts = new EnumMap<>(HostileKind.class);
        settings.hostile().kinds().forEach(kind -> counts.put(kind, 0L));
        counts.putAll(sent.hostileByKind());
        return counts;
    }

    private void injectFaults(FaultInjector injector) {
        long end = System.nanoTime() + settings.length().toNanos();
        for (FaultSchedule.PlannedFault fault : settings.schedule().faults()) {
            long left = end - System.nanoTime();
            if (left < fault.after().toNanos()) {
                break;
            }
            injector.hold(fault.after());
            progress.accept("fault: " + fault.kind().description());
            injector.inject(fault.kind());
        }
        long left = end - System.nanoTime();
        if (left > 0) {
            injector.hold(Duration.ofNanos(left));
        }
        log.info("Faults injected: {}", injector.injected());
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
    }
}
