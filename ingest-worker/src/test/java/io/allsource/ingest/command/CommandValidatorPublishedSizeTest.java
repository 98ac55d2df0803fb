package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An accepted event must always be publishable: the check bounds the events record an event becomes, with its payload
 * as PostgreSQL prints it, before anything is written.
 */
class CommandValidatorPublishedSizeTest {

    private static final String COMMAND_ID = "0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10";
    private final CommandValidator validator = new CommandValidator(CommandLimits.DEFAULT);

    @Test
    void rejectsAPayloadWhoseStoredFormIsFarLargerThanItsInputNamingTheFieldAndBothSizes() {
        String payload = "[" + String.join(",", java.util.Collections.nCopies(10, "1e131071")) + "]";
        assertThat(payload).hasSize(91);

        assertThat(validator.violation(command(NewEvent.of("Placed", "order-1", payload))))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("appends[0].events[0].payload is 91 bytes as sent but 1310740 bytes as"
                                + " PostgreSQL stores and the pipeline publishes it")
                        .contains("at most 1000000 are allowed"));
    }

    @Test
    void acceptsOneHugeNumberThatStillFitsARecord() {
        assertThat(validator.violation(command(NewEvent.of("Placed", "order-1", "1e131071")))).isEmpty();
    }

    @Test
    void countsMetadataTowardsTheRecord() {
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            metadata.put("key-" + i, "\u6f22".repeat(4_096));
        }
        NewEvent event = new NewEvent(null, "Placed", "order-1", "\"" + "p".repeat(400_000) + "\"", metadata);

        assertThat(validator.violation(command(event))).hasValueSatisfying(message -> assertThat(message)
                .startsWith("appends[0].events[0].payload is 400002 bytes as sent")
                .contains("the events record would be up to"));
    }

    @Test
    void appliesTheConfiguredRecordLimit() {
        CommandValidator small = new CommandValidator(CommandLimits.DEFAULT.withMaxEventRecordBytes(2_000));
        NewEvent event = NewEvent.of("Placed", "order-1", "\"" + "p".repeat(2_000) + "\"");

        assertThat(small.violation(command(event))).hasValueSatisfying(message -> assertThat(message)
                .contains("at most 2000 are allowed"));
        assertThat(small.violation(command(NewEvent.of("Placed", "order-1", "{\"n\": 1}")))).isEmpty();
    }

    private static AppendCommand command(NewEvent event) {
        return new AppendCommand(COMMAND_ID, "tenant-1", null,
                List.of(new StreamAppend("order-1", ExpectedVersion.any(), List.of(event))), Instant.now());
    }
}
