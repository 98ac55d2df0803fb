package io.allsource.ingest.testing;

/**
 * The images {@link Backend#TESTCONTAINERS} runs, by name: a Kafka image that runs as {@code apache/kafka} does (for
 * Testcontainers' {@code org.testcontainers.kafka.KafkaContainer}) and a PostgreSQL image that runs as the official
 * {@code postgres} does (for {@code PostgreSQLContainer}). The defaults are the images this project builds
 * ({@code docker/} folder); the system properties {@value #KAFKA_PROPERTY} and {@value #POSTGRES_PROPERTY} name others,
 * {@code apache/kafka:4.1.0} or {@code postgres:17} say, where an image registry can be reached.
 *
 * @param kafka    the Kafka image, such as {@code allsource-ingest/kafka:local}
 * @param postgres the PostgreSQL image, such as {@code allsource-ingest/postgres:local}
 */
public record ContainerImages(String kafka, String postgres) {

    /** The system property naming the Kafka image. */
    public static final String KAFKA_PROPERTY = "ingest.test.kafka.image";
    /** The system property naming the PostgreSQL image. */
    public static final String POSTGRES_PROPERTY = "ingest.test.postgres.image";
    /** The Kafka image built by this project. */
    public static final String DEFAULT_KAFKA = "allsource-ingest/kafka:local";
    /** The PostgreSQL image built by this project. */
    public static final String DEFAULT_POSTGRES = "allsource-ingest/postgres:local";

    public ContainerImages {
        if (kafka == null || kafka.isBlank() || postgres == null || postgres.isBlank()) {
            throw new IllegalArgumentException("Both images need a name, got kafka=" + kafka
                    + ", postgres=" + postgres);
        }
    }

    /** The images named by the system properties, or the defaults. */
    public static ContainerImages configured() {
        return new ContainerImages(System.getProperty(KAFKA_PROPERTY, DEFAULT_KAFKA).trim(),
                System.getProperty(POSTGRES_PROPERTY, DEFAULT_POSTGRES).trim());
    }
}
