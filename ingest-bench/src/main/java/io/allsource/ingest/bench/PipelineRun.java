package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.CommandGenerator;
import io.allsource.ingest.bench.load.LoadDriver;
import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.Throughput;
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
import io.allsource.ingest.topics.IngestTopics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workload through the whole pipeline: an in-process worker ({@link WorkerApplication}, with the worker's real
 * settings unless overridden) on topics and a database schema of the workload's own, an {@link IngestClient} sending
 * commands and awaiting results; a warm-up, the closed loop at maximum rate, then open loops at fixed shares of it;
 * then the broker ceiling for the same command bytes. Topics and schema are removed afterwards.
 */
final class PipelineRun {

    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPICS_READY_TIMEOUT = Duration.ofSeconds(30);

    private final BenchEndpoints endpoints;
    private final BenchPlan plan;
    private final Map<String, String> workerSettings;
    private final PrintWriter progress;

    PipelineRun(BenchEndpoints endpoints, BenchPlan plan, Map<String, String> workerSettings, PrintWriter progress) {
        this.endpoints = endpoints;
        this.plan = plan;
        this.workerSettings = Map.copyOf(workerSettings);
        this.progress = progress;
    }

    WorkloadFigures run(PipelineWorkload workload, String runId) throws Exception {
        String name = runId + "-" + workload.label();
        String schema = BenchSchemas.name("bench", runId, workload.label());
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix("bench-" + name + ".");
        String brokerTopic = "bench-" + name + ".broker-ceiling";
        BenchSchemas.create(endpoints, schema);
        try {
            List<PhaseFigures> phases = measurePipeline(workload, name, schema, topics);
            progress.printf("  %s: broker ceiling, %,d commands%n", workload.label(), plan.brokerCommands());
            progress.flush();
            Throughput broker = BrokerCeiling.measure(endpoints.bootstrapServers(),
                    new SchemaRegistryClient(RegistrySettings.of(endpoints.registryUrl())), brokerTopic,
                    workload.generator("ceiling-" + name + "-", plan.streams(), plan.hotStreams()),
                    plan.brokerCommands());
            return new WorkloadFigures(workload.label(), workload.description(), phases.get(0),
                    phases.subList(1, phases.size()), outcomes(phases), broker);
        } finally {
            removeTopics(topics, brokerTopic);
            BenchSchemas.drop(endpoints, schema);
        }
    }

    private List<PhaseFigures> measurePipeline(PipelineWorkload workload, String name, String schema,
            IngestTopics topics) throws InterruptedException {
        try (WorkerApplication worker = WorkerApplication.start(workerConfig(name, schema, topics));
                IngestClient client = connectClient(topics)) {
            CommandGenerator generator = workload.generator("bench-" + name + "-", plan.streams(), plan.hotStreams());
            LoadDriver driver = new LoadDriver(client, generator, RESULT_TIMEOUT);
            say(workload, "warm-up, closed loop of " + plan.warmUp().toSeconds() + " s");
            driver.closedLoop("warm-up", plan.warmUp(), plan.inFlight());
            say(workload, "maximum rate, closed loop of " + plan.maximum().toSeconds() + " s, " + plan.inFlight()
                    + " in flight");
            List<PhaseFigures> phases = new ArrayList<>();
            PhaseFigures maximum = driver.closedLoop("maximum", plan.maximum(), plan.inFlight());
            phases.add(maximum);
            for (double share : plan.rateShares()) {
                double rate = Math.max(1, maximum.commandsPerSecond() * share);
                say(workload, String.format("open loop at %.0f %% = %,.0f commands/s for %d s", share * 100, rate,
                        plan.perFixedRate().toSeconds()));
                phases.add(driver.openLoop(String.format("%.0f %%", share * 100), rate, plan.perFixedRate()));
            }
            return phases;
        }
    }

    private IngestConfig workerConfig(String name, String schema, IngestTopics topics) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), endpoints.bootstrapServers());
        flags.put(ConfigKeys.DB_URL.name(), endpoints.jdbcUrlInSchema(schema));
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

    /** A client, once the topics the worker just created have leaders on every partition (metadata lags creation). */
    private IngestClient connectClient(IngestTopics topics) throws InterruptedException {
        long deadline = System.nanoTime() + TOPICS_READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.bootstrapServers()))) {
            while (!haveLeaders(admin, topics.all())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The topics " + topics.all() + " have no leaders after "
                            + TOPICS_READY_TIMEOUT);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        return new IngestClient(clientSettings(topics));
    }

    private static boolean haveLeaders(Admin admin, List<String> topics) throws InterruptedException {
        try {
            return admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                    .allMatch(topic -> topic.partitions().stream().allMatch(partition -> partition.leader() != null));
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Topics {} not ready yet: {}", topics, e.toString());
            return false;
        }
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

    private void removeTopics(IngestTopics topics, String brokerTopic) {
        List<String> names = new ArrayList<>(topics.all());
        names.add(brokerTopic);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.bootstrapServers()))) {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not delete the benchmark's topics {}: {}", names, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void say(PipelineWorkload workload, String step) {
        progress.printf("  %s: %s%n", workload.label(), step);
        progress.flush();
    }
}
