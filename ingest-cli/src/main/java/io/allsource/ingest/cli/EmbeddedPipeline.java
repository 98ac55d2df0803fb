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
    private Endpoints endpoints;

    private EmbeddedPipeline() {
    }

    /**
     * @param dataDirectory where the servers keep their data
     * @param home          where the build put the registry builds ({@code ingest-cli/target})
     */
    static EmbeddedPipeline start(Path dataDirectory, Path home) {
        EmbeddedPipeline pipeline = new EmbeddedPipeline();
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
        PostgresServerProcess postgres = PostgresServerProcess.start(dataDirectory.resolve("postgres"),
                ports.of("postgres"), List.of(DATABASE, REGISTRY_DATABASE));
        started.push(postgres);
        KafkaServerProcess kafka = KafkaServerProcess.start(dataDirectory.resolve("kafka"), ports.of("kafka"),
                ports.of("kafka-controller"), JavaRuntimes.current(), System.getProperty("java.class.path"),
                Duration.ofSeconds(90));
        started.push(kafka);
        children.record("Kafka broker", kafka.processHandle());
        RegistryLaunch launch = RegistryLaunch.forEmbeddedMode(home.resolve("schema-registry-durable"),
                home.resolve("schema-registry"),
                new RegistryLaunch.Storage(postgres.jdbcUrl(REGISTRY_DATABASE), "postgres", "postgres"),
                JavaRuntimes::atLeast);
        SchemaRegistryProcess registry = SchemaRegistryProcess.start(launch.distribution(), launch.java(),
                ports.of("registry"), dataDirectory.resolve("registry.log"), Duration.ofSeconds(120));
        started.push(registry);
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
        ViewsApplication views = ViewsApplication.start(ViewsSettings.defaults(
                        Map.of("bootstrap.servers", endpoints.bootstrapServers()),
                        RegistrySettings.of(endpoints.registryUrl()))
                .withStateDirectory(dataDirectory.resolve("views"))
                .withHttp("127.0.0.1", port)
                .withAlertsTopic(TopicCreation.CREATE_MISSING, (short) -1));
        started.push(views);
        endpoints = endpoints.withViews(views.url().toString());
        return views;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable server = started.pop();
            try {
                server.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", server, e);
            }
        }
    }
}
