package io.allsource.ingest.views;

import io.allsource.ingest.contract.RootCause;
import io.allsource.ingest.kafka.KafkaAccess;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.settings.KafkaClusterCheck;
import io.allsource.ingest.settings.RegistryFixes;
import io.allsource.ingest.settings.TopicCheck;
import io.allsource.ingest.settings.TopicRequirement;
import io.allsource.ingest.views.query.ViewsHttpServer;
import io.allsource.ingest.views.query.ViewsQueries;
import io.allsource.ingest.views.query.ViewsReader;
import io.allsource.ingest.views.topology.EventRecordSerde;
import io.allsource.ingest.views.topology.UndecodableEventHandler;
import io.allsource.ingest.views.topology.ViewsMetrics;
import io.allsource.ingest.views.topology.ViewsTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live views, running: the Kafka Streams application over the events topic (exactly-once, RocksDB state under the
 * state directory) and its HTTP endpoints. Start several with the same application id and each its own state directory
 * and port; any of them answers any query. Started in order with the checks of each step (registry reachable, events
 * topic present, alerts topic present or created ({@link TopicCheck}), HTTP port bound), closed in reverse order.
 *
 * <p>Failures: a record of the events topic that can never decode is skipped and counted; a registry or broker that
 * cannot be reached stops the stream thread, which is replaced so that processing resumes where it stopped; anything
 * else stops the views (their state then is {@code ERROR}, and {@code /health/ready} answers 503) and completes
 * {@link #failure()} with a one-line reason; a refusal by the broker names the operation and the resource
 * ({@code the broker refused READ on topic 'ingest.events' (reading the events topic)}). Thread-safe.
 */
public final class ViewsApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewsApplication.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ViewsSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ViewsMetrics metrics = new ViewsMetrics(meters);
    private final CompletableFuture<ViewsException> failure = new CompletableFuture<>();
    private final KafkaAccess access;
    private KafkaStreams streams;
    private ViewsHttpServer http;
    private ViewsQueries queries;

    private ViewsApplication(ViewsSettings settings) {
        this.settings = settings;
        this.access = access(settings);
    }

    /**
     * What the views ask of the brokers beyond their internal topics: READ on the events topic and on their group (the
     * application id), WRITE on the alerts topic, and WRITE on their transactional ids (exactly-once; prefixed with
     * the application id).
     */
    private static KafkaAccess access(ViewsSettings settings) {
        String id = settings.applicationId();
        return KafkaAccess.of("running the live views")
                .needs(AclOperation.READ, ResourceType.TOPIC, settings.topics().events(), "reading the events topic")
                .needs(AclOperation.READ, ResourceType.GROUP, id, "reading the events topic in the views' group")
                .needs(AclOperation.WRITE, ResourceType.TOPIC, settings.topics().alerts(), "publishing gap alerts")
                .needs(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, id + "-*",
                        "committing the views' transactions");
    }

    /** Starts the views, or stops what it started and throws {@link ViewsException} saying what to fix. */
    public static ViewsApplication start(ViewsSettings settings) {
        ViewsApplication application = new ViewsApplication(settings);
        try {
            application.startAll();
            return application;
        } catch (RuntimeException e) {
            application.close();
            throw e;
        }
    }

    private void startAll() {
        log.info("{} - starting: {}", settings.applicationId(), settings);
        started.push(meters::close);
        SchemaRegistryClient registry = reachableRegistry(settings.registry());
        Admin admin = KafkaClusterCheck.connect(settings.kafka(), KafkaClusterCheck.DEFAULT_TIMEOUT);
        started.push(admin);
        int eventPartitions = ensureTopics(admin);
        createDirectory();
        http = ViewsHttpServer.bind(settings.httpHost(), settings.httpPort());
        started.push(http);
        HostInfo self = new HostInfo(settings.advertisedHost(), http.port());
        streams = new KafkaStreams(ViewsTopology.build(settings.topics(), EventRecordSerde.of(registry), metrics,
                settings.windowRetention()), streamsProperties(self));
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        streams.setStateListener((now, before) -> {
            log.info("{} - {} -> {}", settings.applicationId(), before, now);
            if (now == KafkaStreams.State.ERROR) {
                failure.complete(new ViewsException("the views stopped: Kafka Streams is in state ERROR"));
            }
        });
        started.push(this::closeStreams);
        streams.start();
        queries = ViewsQueries.over(streams, self, eventPartitions);
        http.start(queries, queries.local(), this::isReady, meters);
        log.info("{} - views of {} ({} partitions) served at {}", settings.applicationId(),
                settings.topics().events(), eventPartitions, url());
    }

    private SchemaRegistryClient reachableRegistry(RegistrySettings registrySettings) {
        SchemaRegistryClient registry = new SchemaRegistryClient(registrySettings);
        try {
            registry.checkReachable();
            return registry;
        } catch (RegistryException e) {
            throw new ViewsException("The schema registry at " + RegistrySettings.maskUserInfo(registrySettings.url())
                    + " is not reachable (" + ViewsKeys.REGISTRY_URL.name() + "): " + e.getMessage()
                    + RegistryFixes.forFailure(e, registrySettings), e);
        }
    }

    /** The partition count of the events topic, which must exist, after making sure the alerts topic exists. */
    private int ensureTopics(Admin admin) {
        ViewsTopics topics = settings.topics();
        return TopicCheck.ensure(admin, List.of(TopicRequirement.existing(topics.events(), ViewsKeys.TOPIC_EVENTS),
                TopicRequirement.own(topics.alerts(), ViewsKeys.TOPIC_ALERTS, 1)), settings.alertsTopicCreation(),
                settings.topicReplicationFactor()).get(topics.events());
    }

    private void createDirectory() {
        try {
            Files.createDirectories(settings.stateDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the state directory " + settings.stateDirectory() + " ("
                    + ViewsKeys.STATE_DIR.name() + ")", e);
        }
    }

    private Properties streamsProperties(HostInfo self) {
        Properties properties = new Properties();
        properties.putAll(settings.kafka());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDirectory().toAbsolutePath().toString());
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, settings.cacheMaxBytes());
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.topicReplicationFactor());
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableEventHandler.class);
        properties.put(UndecodableEventHandler.METRICS_CONFIG, metrics);
        return properties;
    }

    /** Transient failures (registry or broker unreachable) replace the thread, which resumes; others stop the views. */
    private StreamThreadExceptionResponse onStreamThreadFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RegistryUnavailableException || cause instanceof RetriableException) {
                log.warn("{} - a stream thread failed on a transient error and is replaced: {}",
                        settings.applicationId(), cause.toString());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        String reason = access.refusal(failure)
                .orElseGet(() -> "a stream thread failed: " + typeAndMessage(failure));
        log.error("{} - the views stop: {}", settings.applicationId(), reason, failure);
        this.failure.complete(new ViewsException("the views stopped: " + reason, failure));
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The innermost cause's type, and the first line of its message when it has one. */
    private static String typeAndMessage(Throwable failure) {
        Throwable root = RootCause.of(failure);
        String type = root.getClass().getSimpleName();
        String message = RootCause.message(root);
        return message.equals(type) ? type : type + ": " + message;
    }

    /**
     * Completes, with a one-line reason, when the views stop on a failure of their own (a stream thread failing for
     * good: the broker refusing an operation, a defect); stays incomplete while they run and after {@link #close()}.
     */
    public CompletableFuture<ViewsException> failure() {
        return failure;
    }

    /** Whether the views run and can answer (Kafka Streams is RUNNING). */
    public boolean isReady() {
        return !closed.get() && streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Kafka Streams' state of this instance. */
    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** The queries, answered for all instances (keys other instances own are asked of them). */
    public ViewsReader views() {
        return queries;
    }

    /** The queries, answered from this instance's own stores only. */
    public ViewsReader localViews() {
        return queries.local();
    }

    /** The port the HTTP endpoints listen on. */
    public int httpPort() {
        return http.port();
    }

    /** The HTTP endpoints as other instances reach them: {@code http://<advertised host>:<port>}. */
    public URI url() {
        return URI.create("http://" + settings.advertisedHost() + ":" + http.port());
    }

    /** The meters served at {@code /metrics}. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public ViewsMetrics metrics() {
        return metrics;
    }

    public ViewsSettings settings() {
        return settings;
    }

    private void closeStreams() {
        boolean stopped = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
        if (!stopped) {
            log.warn("{} - Kafka Streams did not stop within {}", settings.applicationId(), CLOSE_TIMEOUT);
        }
    }

    /** Stops processing (committing what was processed, within 30 s), then answering. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        log.info("{} - closing", settings.applicationId());
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("{} - stopping {} failed", settings.applicationId(), resource, e);
            }
        }
        log.info("{} - closed", settings.applicationId());
    }
}
