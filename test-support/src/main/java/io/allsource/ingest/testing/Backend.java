package io.allsource.ingest.testing;

import java.util.Locale;

/**
 * Which servers a test runs against: {@link #IN_JVM}, the default, needs nothing but this JVM; {@link #TESTCONTAINERS}
 * needs a Docker engine and the images of {@link ContainerImages}. Both give the same interfaces ({@link TestKafka},
 * {@link TestPostgres}), so a test picks one explicitly and its code stays the same. Thread-safe.
 */
public enum Backend {

    /** Kafka's own KRaft test cluster inside the test JVM and an embedded PostgreSQL ({@link PostgresServer}). */
    IN_JVM,

    /**
     * Kafka and PostgreSQL in containers run by Testcontainers ({@link ContainerKafka}, {@link ContainerPostgres}).
     * Needs {@code org.testcontainers:kafka} and {@code org.testcontainers:postgresql} on the class path (test-support
     * declares them optional) and a Docker engine: when there is none, starting fails; nothing is skipped.
     */
    TESTCONTAINERS;

    /** The system property that may name a backend, {@code in-jvm} or {@code testcontainers}: see {@link #configured}. */
    public static final String PROPERTY = "ingest.test.backend";

    /**
     * The backend named by the system property {@value #PROPERTY}, or {@code fallback} when it is not set.
     *
     * @throws IllegalArgumentException naming the property when its value names no backend
     */
    public static Backend configured(Backend fallback) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Backend backend : values()) {
            if (backend.name().equals(name)) {
                return backend;
            }
        }
        throw new IllegalArgumentException(PROPERTY + "=" + value + " names no backend: use in-jvm or testcontainers");
    }

    /**
     * Starts a Kafka cluster of this backend and waits until it accepts clients; the caller closes it.
     *
     * @throws IllegalStateException when it does not start, with the cause
     */
    public TestKafka startKafka() {
        // The container classes are loaded only on this branch: the in-JVM backend needs no Testcontainers jar.
        return this == IN_JVM ? KafkaBroker.start() : ContainerKafka.start(ContainerImages.configured());
    }

    /**
     * Starts a PostgreSQL server of this backend (for {@link #IN_JVM}: the embedded one, or the server named by
     * {@value PostgresServer#EXTERNAL_URL_VARIABLE}) and waits until it accepts connections; the caller closes it.
     *
     * @throws IllegalStateException when it does not start, with the cause
     */
    public TestPostgres startPostgres() {
        return this == IN_JVM ? PostgresServer.start() : ContainerPostgres.start(ContainerImages.configured());
    }
}
