package io.allsource.ingest.testkit;

import io.allsource.ingest.testing.Backend;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link IngestPipelineExtension} starts, as its builder or {@link IngestPipelineTest} said. Immutable.
 *
 * @param backend        which servers run Kafka and PostgreSQL
 * @param lifecycle      how long one pipeline lives
 * @param workerSettings worker settings by name ({@code events-format}, {@code batch-size}, ...), over the testkit's
 * @param registryUrl    a schema registry to use instead of starting one, if any
 * @param clientTimeout  how long the injected client waits for a result
 */
record PipelineOptions(Backend backend, PipelineLifecycle lifecycle, Map<String, String> workerSettings,
        Optional<String> registryUrl, Duration clientTimeout) {

    static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(60);

    PipelineOptions {
        workerSettings = Map.copyOf(workerSettings);
    }

    /** The options of {@code annotation}; its worker settings are {@code name=value} pairs. */
    static PipelineOptions of(IngestPipelineTest annotation) {
        IngestPipelineExtension.Builder builder = IngestPipelineExtension.builder()
                .backend(annotation.backend())
                .lifecycle(annotation.lifecycle());
        for (String pair : annotation.workerSettings()) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("@IngestPipelineTest workerSettings takes name=value pairs, got: "
                        + pair);
            }
            builder.workerSetting(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return builder.options();
    }
}
