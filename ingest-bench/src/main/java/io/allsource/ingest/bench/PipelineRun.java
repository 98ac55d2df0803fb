package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.CommandGenerator;
import io.allsource.ingest.bench.load.LoadDriver;
import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.load.WarmUp;
import io.allsource.ingest.bench.report.CpuPhase;
import io.allsource.ingest.bench.report.DatabaseFigures;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.PreloadFigures;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.WarmUpFigures;
import io.allsource.ingest.bench.report.WorkerPhase;
import io.allsource.ingest.bench.report.WorkloadFigures;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.topics.IngestTopics;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workload through the whole pipeline: an in-process worker ({@link WorkerApplication}, with the worker's real
 * settings unless overridden) on topics and a database schema of the workload's own, an {@link IngestClient} sending
 * commands and awaiting results; a warm-up, the closed loop at maximum rate, then open loops at fixed shares of it;
 * then the broker ceiling for the same command bytes. Around the phases, the schema's table activity and the top
 * statements ({@link DatabaseActivity}). Topics and schema are removed afterwards. The schema starts empty, or
 * preloaded ({@link #runPreloaded}).
 */
final class PipelineRun {

    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPICS_READY_TIMEOUT = Duration.ofSeconds(30);

    private final BenchEndpoints endpoints;
    private final BenchPlan plan;
    private final Map<String, String> workerSettings;
    private final StatementStatistics statements;
    private final PrintWriter progress;
    private final ProcessCpu cpu;

    /** @param cpu the CPU time of this JVM and of the servers the benchmark started, read at each phase boundary */
    PipelineRun(BenchEndpoints endpoints, BenchPlan plan, Map<String, String> workerSettings,
            StatementStatistics statements, ProcessCpu cpu, PrintWriter progress) {
        this.endpoints = endpoints;
        this.cpu = cpu;
        this.plan = plan;
        this.workerSettings = Map.copyOf(workerSettings);
        this.statements = statements;
        this.progress = progress;
    }

    /**
     * What one run of a workload is about.
     *
     * @param label as reported ("new-streams preloaded 10,000,000")
     * @param name  unique within the benchmark's servers, from which the schema, topics, worker id, stream ids and the
     *              worker's {@code application_name} are made: {@code [a-z0-9-]} only
     */
    private record Subject(PipelineWorkload workload, String label, String name) {

        String schema() {
            return BenchSchemas.name("bench", name);
        }

        String applicationName() {
            return "bench-" + name;
        }
    }

    /** Writes what a workload's schema holds before the workload starts. */
    @FunctionalInterface
    private interface SchemaFill {
        PreloadFigures fill(Subject subject, String schema) throws Exception;
    }

    /** The phases of a workload and what they did in the database. */
    private record Measured(WarmUpFigures warmUp, List<PhaseFigures> phases, DatabaseFigures database,
            List<WorkerPhase> worker, List<CpuPhase> cpu) {
    }

    /** {@code workload} on an empty schema, then its broker ceiling. */
    WorkloadFigures run(PipelineWorkload workload, String runId) throws Exception {
        Subject subject = new Subject(workload, workload.label(), runId + "-" + workload.label());
        return measure(subject, (ignored, schema) -> PreloadFigures.NONE, () -> brokerCeiling(subject));
    }

    /**
     * New-streams on a schema preloaded with {@code events} events ({@link EventPreload}); its broker ceiling is the
     * one measured for new-streams on an empty schema (the same command bytes).
     */
    WorkloadFigures runPreloaded(String runId, long events, Throughput brokerCeiling) throws Exception {
        PipelineWorkload workload = PipelineWorkload.NEW_STREAMS;
        Subject subject = new Subject(workload, String.format("%s preloaded %,d", workload.label(), events),
                runId + "-" + workload.label() + "-preloaded");
        return measure(subject, (preloaded, schema) -> preload(preloaded, schema, events), () -> brokerCeiling);
    }

    private WorkloadFigures measure(Subject subject, SchemaFill fill, Callable<Throughput> ceiling)
            throws Exception {
        String schema = subject.schema();
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix("bench-" + subject.name() + ".");
        BenchSchemas.create(endpoints, schema);
        try {
            migrate(schema);
            PreloadFigures preload = fill.fill(subject, schema);
            Measured measured = measurePipeline(subject, schema, topics);
            Throughput broker = ceiling.call();
            List<PhaseFigures> phases = measured.phases();
            return new WorkloadFigures(subject.label(), subject.workload().description(), preload, phases.get(0),
                    phases.subList(1, phases.size()), outcomes(phases), broker, measured.database(),
                    measured.worker(), measured.warmUp(), measured.cpu());
        } finally {
            removeTopics(topics.all());
            BenchSchemas.drop(endpoints, schema);
        }
    }

    private Measured measurePipeline(Subject subject, String schema, IngestTopics topics) throws Exception {
        DatabaseActivity activity = new DatabaseActivity(endpoints, schema, subject.applicationName(), statements);
        List<PhaseFigures> phases = new ArrayList<>();
        List<WorkerPhase> timed;
        CpuTimings cores;
        WarmUpFigures warmUp;
        try (WorkerApplication worker = WorkerApplication.start(workerConfig(subject, schema, topics));
                IngestClient client = connectClient(topics)) {
            CommandGenerator generator = subject.workload().generator("bench-" + subject.name() + "-",
                    plan.streams(), plan.hotStreams());
            LoadDriver driver = new LoadDriver(client, generator, RESULT_TIMEOUT);
            WorkerTimings timings = new WorkerTimings(worker.meters());
            cores = new CpuTimings(cpu, new MachineCpu(), System::nanoTime);
            activity.begin();
            say(subject, String.format("warm-up, closed loops of %d s until the JIT compilers are quiet (at most %d s)",
                    plan.warmUp().toSeconds(), plan.warmUpLimit().toSeconds()));
            warmUp = WarmUp.of(driver, plan.inFlight()).run(plan.warmUp(), plan.warmUpLimit());
            say(subject, "warmed up: " + warmUp.describe());
            activity.phaseEnded("warm-up");
            timings.phaseEnded("warm-up");
            cores.phaseEnded("warm-up");
            say(subject, "maximum rate, closed loop of " + plan.maximum().toSeconds() + " s, " + plan.inFlight()
                    + " in flight");
            PhaseFigures maximum = driver.closedLoop("maximum", plan.maximum(), plan.inFlight());
            phases.add(maximum);
            activity.phaseEnded(maximum.phase());
            timings.phaseEnded(maximum.phase());
            cores.phaseEnded(maximum.phase());
            for (double share : plan.rateShares()) {
                double rate = Math.max(1, maximum.commandsPerSecond() * share);
                String label = BenchPlan.rateLabel(share);
                say(subject, String.format("open loop at %s = %,.0f commands/s for %d s", label, rate,
                        plan.perFixedRate().toSeconds()));
                PhaseFigures fixed = driver.openLoop(label, rate, plan.perFixedRate());
                phases.add(fixed);
                activity.phaseEnded(fixed.phase());
                timings.phaseEnded(fixed.phase());
                cores.phaseEnded(fixed.phase());
            }
            timed = timings.phases();
        }
        return new Measured(warmUp, phases, activity.finish(), timed, cores.phases());
    }

    /**
     * Creates the tables before the worker starts, on connections of their own that end at once: a backend reports its
     * table counters when it exits, so the scans of the migration's DDL (constraint checks, index builds) are counted
     * before the workload's first reading rather than during it, as they would be on the worker's pooled sessions.
     */
    private void migrate(String schema) {
        Database.migrate(BenchSchemas.dataSource(endpoints, schema));
    }

    private PreloadFigures preload(Subject subject, String schema, long events) throws SQLException {
        say(subject, String.format("preload of %,d events over %,d streams with COPY", events,
                events / EventPreload.EVENTS_PER_STREAM));
        DataSource dataSource = BenchSchemas.dataSource(endpoints, schema);
        PreloadFigures preload = EventPreload.fill(dataSource, events, step -> say(subject, "preload, " + step));
        say(subject, String.format("preloaded in %.1f s (%,.0f events/s, VACUUM ANALYZE included)",
                preload.seconds(), preload.eventsPerSecond()));
        return preload;
    }

    private Throughput brokerCeiling(Subject subject) throws Exception {
        String topic = "bench-" + subject.name() + ".broker-ceiling";
        say(subject, String.format("broker ceiling, %,d records once as a warm-up, then in turn for at least %s",
                plan.brokerRecords(), seconds(plan.ceilingTime())));
        try {
            return BrokerCeiling.measure(endpoints.bootstrapServers(),
                    new SchemaRegistryClient(RegistrySettings.of(endpoints.registryUrl())), topic,
                    subject.workload().generator("ceiling-" + subject.name() + "-", plan.streams(),
                            plan.hotStreams()), plan.brokerRecords(), plan.ceilingTime());
        } finally {
            removeTopics(List.of(topic));
        }
    }

    /** The worker's sessions carry the subject's {@code application_name}, which {@link DatabaseActivity} awaits. */
    private IngestConfig workerConfig(Subject subject, String schema, IngestTopics topics) {
        String name = subject.name();
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), endpoints.bootstrapServers());
        flags.put(ConfigKeys.DB_URL.name(), endpoints.jdbcUrlInSchema(schema) + "&ApplicationName="
                + subject.applicationName());
        if (endpoints.dbUser() != null) {
            flags.put(ConfigKeys.DB_USER.name(), endpoints.dbUser());
        }
        if (endpoints.dbPassword() != null) {
            flags.put(ConfigKeys.DB_PASSWORD.name(), endpoints.dbPassword());
        }
        flags.put(ConfigKeys.REGISTRY_URL.name(), endpoints.registryUrl());
        flags.put(ConfigKeys.WORKER_ID.name(), "bench-" + name);
        flags.put(ConfigKeys.GROUP_ID.name(), "bench-" + name);
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), topics.commands());
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), topics.results());
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), topics.events());
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), topics.deadLetters());
        flags.put(ConfigKeys.CREATE_TOPICS.name(), "true");
        flags.put(ConfigKeys.AUTO_REGISTER.name(), "true");
        flags.put(ConfigKeys.METRICS_PORT.name(), "0");
        flags.putAll(workerSettings);
        return IngestConfig.load(flags, Map.of(), null, WorkerCommand.REQUIRED);
    }

    /** A client, once the topics the worker just created are served on every partition (metadata lags creation). */
    private IngestClient connectClient(IngestTopics topics) throws InterruptedException {
        TopicLeaders.await(endpoints.bootstrapServers(), topics.all(), TOPICS_READY_TIMEOUT);
        return new IngestClient(clientSettings(topics));
    }

    private ClientSettings clientSettings(IngestTopics topics) {
        return ClientSettings.of(Map.of("bootstrap.servers", endpoints.bootstrapServers()),
                        RegistrySettings.of(endpoints.registryUrl()))
                .withTopics(topics)
                .withTimeout(RESULT_TIMEOUT)
                .withAutoRegisterSchemas(true);
    }

    private static Map<String, Long> outcomes(List<PhaseFigures> phases) {
        Map<String, Long> total = new TreeMap<>();
        for (PhaseFigures phase : phases) {
            phase.outcomes().forEach((outcome, count) -> total.merge(outcome, count, Long::sum));
        }
        return total;
    }

    private void removeTopics(List<String> names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.bootstrapServers()))) {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not delete the benchmark's topics {}: {}", names, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void say(Subject subject, String step) {
        progress.printf("  %s: %s%n", subject.label(), step);
        progress.flush();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
                : String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
