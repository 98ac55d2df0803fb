package io.allsource.ingest.testkit;

import io.allsource.ingest.testing.Backend;
import io.allsource.ingest.testing.TestKafka;
import io.allsource.ingest.testing.TestPostgres;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster and the PostgreSQL server of one {@link Backend}, shared by every pipeline of the test JVM that
 * uses the backend (each pipeline has topics and a database of its own). Both start at once. Thread-safe.
 */
final class TestServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestServers.class);

    private final Backend backend;
    private final TestKafka kafka;
    private final TestPostgres postgres;

    private TestServers(Backend backend, TestKafka kafka, TestPostgres postgres) {
        this.backend = backend;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /**
     * Starts both servers of {@code backend} side by side; when one fails, stops the other and throws its failure.
     *
     * @throws IllegalStateException when a server does not start
     */
    static TestServers start(Backend backend) {
        long started = System.nanoTime();
        CompletableFuture<TestKafka> kafka = CompletableFuture.supplyAsync(backend::startKafka);
        TestPostgres postgres;
        try {
            postgres = backend.startPostgres();
        } catch (RuntimeException e) {
            kafka.thenAccept(TestKafka::close);
            throw e;
        }
        try {
            TestServers servers = new TestServers(backend, kafka.join(), postgres);
            log.info("Servers of backend {} started in {} ms", backend, (System.nanoTime() - started) / 1_000_000);
            return servers;
        } catch (CompletionException e) {
            postgres.close();
            throw e.getCause() instanceof RuntimeException cause ? cause
                    : new IllegalStateException("Kafka of backend " + backend + " did not start", e.getCause());
        }
    }

    Backend backend() {
        return backend;
    }

    TestKafka kafka() {
        return kafka;
    }

    TestPostgres postgres() {
        return postgres;
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } finally {
            postgres.close();
        }
    }
}
