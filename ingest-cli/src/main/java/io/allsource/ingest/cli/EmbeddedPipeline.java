package io.allsource.ingest.cli;

import io.allsource.ingest.embedded.JavaRuntimes;
import io.allsource.ingest.embedded.KafkaServerProcess;
import io.allsource.ingest.embedded.LeftoverProcesses;
import io.allsource.ingest.embedded.PostgresServerProcess;
import io.allsource.ingest.embedded.RegistryLaunch;
import io.allsource.ingest.embedded.SchemaRegistryProcess;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.TopicCreation;
import io.allsource.ingest.views.ViewsApplication;
import io.allsource.ingest.views.ViewsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers {@code ingest run} starts when none is configured: PostgreSQL, a single-node KRaft Kafka broker and the
 * schema registry, all on loopback, all keeping their data under one folder ({@code ./.ingest/} by default) so that a
 * restart finds every stream, event, offset and schema id again. Closing stops them in reverse order.
 */
final class EmbeddedPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPipeline.class);

    static final String DATABASE = "ingest";
    /** The durable registry keeps its schemas in a database of its own, next to the pipeline's. */
    static final String REGISTRY_DATABASE = "registry";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Stops the servers when the JVM exits before the caller took that over ({@link #stopWithCaller()}). */
    private final Thread stopOnExit = new Thread(this::close, "ingest-embedded-stop");
    private boolean closed;
    private Endpoints endpoints;

    private EmbeddedPipeline() {
    }

    /**
     * @param dataDirectory where the servers keep their data
     * @param home          where the build put the registry builds ({@code ingest-cli/target})
     */
    static EmbeddedPipeline start(Path dataDirectory, Path home) {
        EmbeddedPipeline pipeline = new EmbeddedPipeline();
        // A SIGTERM or Ctrl-C while the servers start, or before the caller's own shutdown hook is in place, would
        // otherwise leave those started so far running: child processes outlive the JVM.
        Runtime.getRuntime().addShutdownHook(pipeline.stopOnExit);
        try {
            pipeline.startAll(dataDirectory, home);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll(Path dataDirectory, Path home) {
        createDirectories(dataDirectory);
        LeftoverProcesses children = new LeftoverProcesses(dataDirectory);
        children.stopAll(dataDirectory.resolve("postgres"));
        Ports ports = new Ports(dataDirectory);
        PostgresServerProcess postgres = start(() -> PostgresServerProcess.start(dataDirectory.resolve("postgres"),
                ports.of("postgres"), List.of(DATABASE, REGISTRY_DATABASE)));
        KafkaServerProcess kafka = start(() -> KafkaServerProcess.start(dataDirectory.resolve("kafka"),
                ports.of("kafka"), ports.of("kafka-controller"), JavaRuntimes.current(),
                System.getProperty("java.class.path"), Duration.ofSeconds(90)));
        children.record("Kafka broker", kafka.processHandle());
        RegistryLaunch launch = RegistryLaunch.forEmbeddedMode(home.resolve("schema-registry-durable"),
                home.resolve("schema-registry"),
                new RegistryLaunch.Storage(postgres.jdbcUrl(REGISTRY_DATABASE), "postgres", "postgres"),
                JavaRuntimes::atLeast);
        SchemaRegistryProcess registry = start(() -> SchemaRegistryProcess.start(launch.distribution(),
                launch.java(), ports.of("registry"), dataDirectory.resolve("registry.log"), Duration.ofSeconds(120)));
        children.record("schema registry", registry.processHandle());
        ports.save();
        endpoints = new Endpoints(kafka.bootstrapServers(), registry.url(), postgres.jdbcUrl(DATABASE), "", null);
        log.info("Embedded servers up: Kafka {}, schema registry {} ({}), PostgreSQL {}", kafka.bootstrapServers(),
                registry.url(), launch.distribution().description(), postgres.jdbcUrl(DATABASE));
    }

    private static void createDirectories(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data folder " + dataDirectory, e);
        }
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /**
     * Starts the live views next to the worker (which has created the topics by then), their state under the data
     * folder, their HTTP API on loopback; they stop before the servers do.
     */
    ViewsApplication startViews(Path dataDirectory) {
        Ports ports = new Ports(dataDirectory);
        int port = ports.of("views");
        ports.save();
        ViewsApplication views = start(() -> ViewsApplication.start(ViewsSettings.defaults(
                        Map.of("bootstrap.servers", endpoints.bootstrapServers()),
                        RegistrySettings.of(endpoints.registryUrl()))
                .withStateDirectory(dataDirectory.resolve("views"))
                .withHttp("127.0.0.1", port)
                .withAlertsTopic(TopicCreation.CREATE_MISSING, (short) -1)));
        endpoints = endpoints.withViews(views.url().toString());
        return views;
    }

    /**
     * Hands stopping the servers over to the caller, who stops them after the worker: from here on a shutdown no longer
     * stops them by itself, which would pull them from under the worker while it finishes.
     */
    void stopWithCaller() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook stops the servers
        }
    }

    /**
     * Starts a server and keeps it for {@link #close()}, under the pipeline's lock: a close from the shutdown hook waits
     * for a start in progress (whose child process would otherwise outlive the JVM) and then stops it with the others.
     *
     * @throws IllegalStateException when the pipeline has been closed: nothing more is started
     */
    private synchronized <T extends AutoCloseable> T start(Supplier<T> server) {
        if (closed) {
            throw new IllegalStateException("The embedded servers are being stopped");
        }
        T running = server.get();
        started.push(running);
        return running;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!started.isEmpty()) {
            closeQuietly(started.pop());
        }
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            log.warn("Stopping {} failed", server, e);
        }
    }
}
