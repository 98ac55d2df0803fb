package io.allsource.ingest.startup;

import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.metrics.LagMonitor;
import io.allsource.ingest.metrics.MetricsServer;
import io.allsource.ingest.metrics.PartitionPositions;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.settings.KafkaClusterCheck;
import io.allsource.ingest.settings.TopicCheck;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.retention.ResultPruner;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.worker.ContractSettings;
import io.allsource.ingest.worker.IngestWorker;
import io.allsource.ingest.worker.WorkerSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker with everything around it, started in order with the checks of each step
 * ({@link DeploymentChecks}): configuration printed (secrets masked), database reachable, its server settings fit for
 * the store, and migrated; registry reachable and, without auto-registration, holding the worker's schemas; Kafka
 * answering; topics present with 32 partitions; then the worker, the metrics and health endpoints and the lag monitor. Closing stops them in reverse order.
 */
public final class WorkerApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerApplication.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ready;
    private volatile IngestWorker worker;
    private MetricsServer metricsServer;
    private MeterRegistry meters;

    private WorkerApplication() {
    }

    /** Starts everything, or stops what it started and throws when a step fails. */
    public static WorkerApplication start(IngestConfig config) {
        WorkerApplication application = new WorkerApplication();
        try {
            application.startAll(config);
            return application;
        } catch (RuntimeException e) {
            application.close();
            throw e;
        }
    }

    private void startAll(IngestConfig config) {
        log.info("{}", config.describe());
        WorkerSettings settings = config.workerSettings();

        Database database = Database.open(config.databaseSettings(), settings.workerId() + "-db");
        started.push(database);
        DeploymentChecks.database(config.databaseSettings(), database);
        if (config.bool(ConfigKeys.MIGRATE)) {
            DeploymentChecks.migrate(database, config.require(ConfigKeys.DB_URL));
        }
        EventStore store = new EventStore(database.dataSource(), config.storeSettings());
        ResultPruning pruning = new ResultPruning(database.dataSource());
        if (!config.resultRetention().isZero()) {
            DeploymentChecks.pruningAllowed(pruning, config.get(ConfigKeys.DB_USER).orElse(null));
        }

        SchemaRegistryClient registry = new SchemaRegistryClient(config.registrySettings());
        DeploymentChecks.registryReachable(registry);
        EventsFormat eventsFormat = EventsFormat.parse(config.require(ConfigKeys.EVENTS_FORMAT));

        Admin admin = KafkaClusterCheck.connect(settings.kafka(), KafkaClusterCheck.DEFAULT_TIMEOUT);
        started.push(admin);
        TopicCheck.ensure(admin, config.requiredTopics(), config.topicCreation(),
                config.integer(ConfigKeys.TOPIC_REPLICATION));
        if (!config.bool(ConfigKeys.AUTO_REGISTER)) {
            DeploymentChecks.schemasRegistered(registry, settings.topics(), eventsFormat == EventsFormat.AVRO);
        }

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        started.push(meters::close);
        this.meters = meters;
        bindProcessMeters(meters);
        Gauge.builder("ingest.worker.ready", this, application -> application.isReady() ? 1 : 0)
                .strongReference(true)
                .description("1 while /health/ready answers 200: started, every consumer running, no partition held")
                .register(meters);
        ContractSettings contract = new ContractSettings(config.bool(ConfigKeys.AUTO_REGISTER)
                ? ContractSettings.SchemaRegistration.AUTOMATIC : ContractSettings.SchemaRegistration.PRE_REGISTERED,
                eventsFormat, config.commandLimits());
        IngestWorker worker = IngestWorker.start(settings, store, registry, contract, new WorkerMetrics(meters));
        started.push(worker);
        this.worker = worker;
        // The consumers' positions are not wired in yet: the lag counts from the stored next offsets.
        started.push(new LagMonitor(admin, settings.kafka(), store, settings.topics().commands(),
                PartitionPositions.UNKNOWN, worker.heldPartitions()::isHeld, meters, config.lagInterval()));
        if (!config.resultRetention().isZero()) {
            started.push(new ResultPruner(pruning, config.resultRetention(), config.pruneInterval(), meters));
        }
        int port = config.integer(ConfigKeys.METRICS_PORT);
        if (port > 0) {
            metricsServer = MetricsServer.start(config.require(ConfigKeys.METRICS_HOST), port, meters,
                    this::notReady);
            started.push(metricsServer);
            log.info("{} - metrics at http://{}:{}/metrics, health at /health/live and /health/ready",
                    settings.workerId(), config.require(ConfigKeys.METRICS_HOST), metricsServer.port());
        }
        ready = true;
    }

    /** The JVM's and the process's meters (heap, GC pauses, threads, CPU, uptime), as dashboards expect them. */
    private void bindProcessMeters(MeterRegistry meters) {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        started.push(gc);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
    }

    /** Started, not closed, every consumer of the worker running, and no partition held. */
    public boolean isReady() {
        return notReady().isEmpty();
    }

    /** Why the worker is not ready, one line each (one per held partition); empty when it is ready. */
    public List<String> notReady() {
        if (!ready || closed.get() || worker == null) {
            return List.of("the worker is starting or stopped");
        }
        if (!worker.isRunning()) {
            return List.of("the worker has stopped"
                    + (worker.failure().isDone() ? ": " + worker.failure().join().getMessage() : ""));
        }
        return worker.heldPartitions().reasons();
    }

    /**
     * Completes with the failure that stopped the worker on its own (it stays incomplete while the worker runs and
     * after a plain {@link #close()}).
     */
    public CompletableFuture<FatalWorkerException> failure() {
        return worker.failure();
    }

    /** The worker's meters, as its metrics endpoint serves them. */
    public MeterRegistry meters() {
        return meters;
    }

    /** The port of the metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** Stops the worker (finishing its batches), then everything else. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", resource, e);
            }
        }
    }
}
