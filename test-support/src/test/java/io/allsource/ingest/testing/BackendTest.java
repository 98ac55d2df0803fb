package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(Backend.PROPERTY);
        System.clearProperty(ContainerImages.KAFKA_PROPERTY);
        System.clearProperty(ContainerImages.POSTGRES_PROPERTY);
    }

    @Test
    void fallsBackWhenThePropertyIsNotSet() {
        assertThat(Backend.configured(Backend.IN_JVM)).isEqualTo(Backend.IN_JVM);
        assertThat(Backend.configured(Backend.TESTCONTAINERS)).isEqualTo(Backend.TESTCONTAINERS);
    }

    @Test
    void readsTheBackendFromThePropertyInEitherSpelling() {
        System.setProperty(Backend.PROPERTY, "testcontainers");
        assertThat(Backend.configured(Backend.IN_JVM)).isEqualTo(Backend.TESTCONTAINERS);

        System.setProperty(Backend.PROPERTY, " in-jvm ");
        assertThat(Backend.configured(Backend.TESTCONTAINERS)).isEqualTo(Backend.IN_JVM);
    }

    @Test
    void refusesAnUnknownBackendNamingThePropertyAndTheChoices() {
        System.setProperty(Backend.PROPERTY, "docker");

        assertThatThrownBy(() -> Backend.configured(Backend.IN_JVM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Backend.PROPERTY + "=docker")
                .hasMessageContaining("in-jvm or testcontainers");
    }

    @Test
    void defaultsToTheImagesBuiltHereAndTakesOthersFromTheProperties() {
        assertThat(ContainerImages.configured())
                .isEqualTo(new ContainerImages("allsource-ingest/kafka:local", "allsource-ingest/postgres:local"));

        System.setProperty(ContainerImages.KAFKA_PROPERTY, "apache/kafka:4.1.0");
        System.setProperty(ContainerImages.POSTGRES_PROPERTY, "postgres:17");
        assertThat(ContainerImages.configured()).isEqualTo(new ContainerImages("apache/kafka:4.1.0", "postgres:17"));
    }

    @Test
    void refusesAnImageWithoutAName() {
        assertThatThrownBy(() -> new ContainerImages(" ", "postgres:17"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka= ");
    }
}
