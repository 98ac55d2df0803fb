package io.allsource.ingest.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.testing.Backend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineOptionsTest {

    @IngestPipelineTest(backend = Backend.TESTCONTAINERS, lifecycle = PipelineLifecycle.PER_TEST,
            workerSettings = {"events-format = json-envelope", "batch-size=50"})
    private static final class Annotated {
    }

    @IngestPipelineTest(workerSettings = "batch-size")
    private static final class WithoutValue {
    }

    @Test
    void readsTheBackendLifecycleAndWorkerSettingsOfTheAnnotation() {
        PipelineOptions options = PipelineOptions.of(Annotated.class.getAnnotation(IngestPipelineTest.class));

        assertThat(options.backend()).isEqualTo(Backend.TESTCONTAINERS);
        assertThat(options.lifecycle()).isEqualTo(PipelineLifecycle.PER_TEST);
        assertThat(options.workerSettings()).isEqualTo(Map.of("events-format", "json-envelope", "batch-size", "50"));
        assertThat(options.registryUrl()).isEmpty();
        assertThat(options.clientTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesAWorkerSettingWithoutAValueNamingIt() {
        IngestPipelineTest annotation = WithoutValue.class.getAnnotation(IngestPipelineTest.class);

        assertThatThrownBy(() -> PipelineOptions.of(annotation))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name=value pairs, got: batch-size");
    }

    @Test
    void defaultsToTheInJvmBackendOnePipelinePerClassAndKeepsWhatTheBuilderWasGiven() {
        PipelineOptions defaults = IngestPipelineExtension.builder().options();
        PipelineOptions given = IngestPipelineExtension.builder().registryUrl("http://127.0.0.1:8081")
                .clientTimeout(Duration.ofSeconds(5)).workerSetting("linger-ms", "1").options();

        assertThat(defaults.backend()).isEqualTo(Backend.IN_JVM);
        assertThat(defaults.lifecycle()).isEqualTo(PipelineLifecycle.PER_CLASS);
        assertThat(given.registryUrl()).contains("http://127.0.0.1:8081");
        assertThat(given.clientTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(given.workerSettings()).containsEntry("linger-ms", "1");
    }

    @Test
    void refusesANonPositiveClientTimeout() {
        assertThatThrownBy(() -> IngestPipelineExtension.builder().clientTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientTimeout must be a positive duration");
    }
}
