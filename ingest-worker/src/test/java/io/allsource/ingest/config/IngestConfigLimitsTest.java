package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigFixtures.REQUIRED;
import static io.allsource.ingest.config.ConfigFixtures.connectionFlags;
import static io.allsource.ingest.config.ConfigFixtures.load;
import static io.allsource.ingest.config.ConfigFixtures.loadFails;
import static io.allsource.ingest.config.ConfigFixtures.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.settings.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The size limits of commands are settings: each reaches {@link CommandLimits}, and an event record the worker
 * accepts always fits the producer's {@code max.request.size}.
 */
class IngestConfigLimitsTest {

    /** The one problem of loading {@code flags} and {@code environment}. */
    private static String onlyProblem(Map<String, String> flags, Map<String, String> environment) {
        ConfigException failure = loadFails(flags, environment, null, REQUIRED);
        assertThat(failure.problems()).hasSize(1);
        return failure.problems().get(0);
    }

    @Test
    void commandLimitsCarryEveryLimitKey() {
        IngestConfig config = load(connectionFlags("max-appends-per-command", "10", "max-events-per-command", "20",
                "max-payload-bytes", "30000", "max-metadata-entries", "4"), pairs("INGEST_MAX_METADATA_CHARS", "50",
                "INGEST_MAX_EVENT_RECORD_BYTES", "60000"));

        CommandLimits limits = new CommandLimits(10, 20, 30_000, 4, 50, 60_000);
        assertThat(config.commandLimits()).isEqualTo(limits);
    }

    @Test
    void refusesAnEventRecordLimitNotBelowTheProducersDefaultMaxRequestSize() {
        String problem = onlyProblem(connectionFlags("max-event-record-bytes", "1048576"), Map.of());

        assertThat(problem).startsWith("--max-event-record-bytes / INGEST_MAX_EVENT_RECORD_BYTES / max-event-record-bytes is"
                        + " 1048576")
                .contains("the producer's default max.request.size (1048576)");
    }

    @Test
    void refusesAnEventRecordLimitNotBelowAMaxRequestSizeGivenAsAKafkaProperty() {
        String problem = onlyProblem(connectionFlags(), pairs("INGEST_KAFKA_MAX_REQUEST_SIZE", "500000"));

        assertThat(problem).startsWith("--max-event-record-bytes / ").contains("1000000", "the producer's kafka.max.request.size (500000)");
    }

    @Test
    void acceptsALargerEventRecordLimitWithALargerMaxRequestSize() {
        IngestConfig config = load(connectionFlags("max-event-record-bytes", "4000000", "kafka.max.request.size",
                "4194304"), Map.of());

        assertThat(config.commandLimits().maxEventRecordBytes()).isEqualTo(4_000_000);
        assertThat(config.kafkaProperties()).containsEntry("max.request.size", "4194304");
    }

    @Test
    void refusesAMaxRequestSizeThatIsNoNumberNamingTheProperty() {
        String problem = onlyProblem(connectionFlags("kafka.max.request.size", "1MB"), Map.of());

        assertThat(problem).contains("kafka.max.request.size", "'1MB'");
    }

    @Test
    void refusesAPayloadLimitNotBelowTheEventRecordLimitNamingBoth() {
        String problem = onlyProblem(connectionFlags("max-payload-bytes", "1000000"), Map.of());

        assertThat(problem).startsWith("--max-payload-bytes / INGEST_MAX_PAYLOAD_BYTES / max-payload-bytes is 1000000")
                .contains("--max-event-record-bytes / INGEST_MAX_EVENT_RECORD_BYTES / max-event-record-bytes");
    }
}
