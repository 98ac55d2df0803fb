package io.allsource.ingest.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL server in a container ({@link Backend#TESTCONTAINERS}): Testcontainers' {@link PostgreSQLContainer} on
 * the image of {@link ContainerImages#postgres()}, taken as a substitute for {@code postgres}, with durability off as
 * in the embedded server (test data is thrown away) and room for 300 connections. It hands out a fresh database per
 * caller, as {@link PostgresServer} does; its user {@value #USER} owns the server and authenticates with a password.
 * Its port is published on 127.0.0.1. Closing stops and removes the container. Thread-safe.
 */
public final class ContainerPostgres implements TestPostgres {

    /** The superuser the container is set up with. */
    public static final String USER = "ingest";

    private static final Logger log = LoggerFactory.getLogger(ContainerPostgres.class);
    private static final String PASSWORD = "ingest-test";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final PostgreSQLContainer<?> container;
    private final PostgresServer server;

    private ContainerPostgres(PostgreSQLContainer<?> container, PostgresServer server) {
        this.container = container;
        this.server = server;
    }

    /**
     * Starts the container and waits until it accepts connections.
     *
     * @throws IllegalStateException when the container does not start (no Docker engine, the image missing), with the
     *                               cause; the container is removed
     */
    public static ContainerPostgres start(ContainerImages images) {
        long started = System.nanoTime();
        DockerImageName image = DockerImageName.parse(images.postgres()).asCompatibleSubstituteFor("postgres");
        PostgreSQLContainer<?> container = LocalContainers.local(new PostgreSQLContainer<>(image))
                .withUsername(USER)
                .withPassword(PASSWORD)
                .withDatabaseName("postgres")
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off", "-c", "max_connections=300")
                .withStartupTimeout(STARTUP_TIMEOUT);
        try {
            container.start();
            int port = container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
            String adminUrl = "jdbc:postgresql://" + container.getHost() + ":" + port + "/postgres?user="
                    + encode(USER) + "&password=" + encode(PASSWORD);
            ContainerPostgres postgres = new ContainerPostgres(container,
                    PostgresServer.connect(JdbcUrl.parse(adminUrl)));
            log.info("PostgreSQL container {} ({}) started on {}:{} in {} ms", container.getContainerId(),
                    images.postgres(), container.getHost(), port, (System.nanoTime() - started) / 1_000_000);
            return postgres;
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException("Could not start a PostgreSQL container from image " + images.postgres()
                    + " (is a Docker engine running, and the image built?)", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public TestDatabase createDatabase(String hint) {
        return server.createDatabase(hint);
    }

    @Override
    public String adminJdbcUrl() {
        return server.adminJdbcUrl();
    }

    /** The image the container runs, as Docker names it. */
    public String image() {
        return container.getDockerImageName();
    }

    /** The id of the running container, for a test that inspects it with Docker. */
    public String containerId() {
        return container.getContainerId();
    }

    /** Stops and removes the container. Idempotent. */
    @Override
    public void close() {
        container.stop();
    }
}
