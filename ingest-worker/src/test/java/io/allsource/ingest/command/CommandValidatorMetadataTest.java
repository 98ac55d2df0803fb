package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The metadata rules: a bounded number of pairs, bounded lengths, and text PostgreSQL can store. */
class CommandValidatorMetadataTest {

    private static final String COMMAND_ID = "0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10";
    private static final String FIELD = "appends[0].events[0].metadata";

    private final CommandValidator validator = new CommandValidator(new CommandLimits(10, 10, 1_024, 2, 8, 1_000_000));

    @Test
    void acceptsMetadataWithinTheLimits() {
        assertThat(violationOf(Map.of("source", "web", "trace", "12345678"))).isEmpty();
    }

    @Test
    void acceptsEmptyAndAbsentMetadata() {
        assertThat(violationOf(Map.of())).isEmpty();
        assertThat(violationOf(null)).isEmpty();
    }

    @Test
    void rejectsMoreEntriesThanTheLimit() {
        assertThat(violationOf(Map.of("a", "1", "b", "2", "c", "3")))
                .hasValue(FIELD + " has 3 entries, at most 2 are allowed");
    }

    @Test
    void rejectsAValueOverTheCharacterLimitNamingItsKey() {
        assertThat(violationOf(Map.of("trace", "123456789")))
                .hasValue(FIELD + "['trace'] has 9 characters, at most 8 are allowed");
    }

    @Test
    void rejectsAKeyOverTheCharacterLimit() {
        assertThat(violationOf(Map.of("a-long-key", "1"))).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + "['a-long-key'] key has 10 characters"));
    }

    @Test
    void rejectsAKeyHoldingANulCharacter() {
        assertThat(violationOf(Map.of("k\u0000", "1"))).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + "[").contains("key holds a NUL character"));
    }

    @Test
    void rejectsAValueHoldingANulCharacter() {
        assertThat(violationOf(Map.of("k", "a\u0000b"))).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + "['k'] holds a NUL character"));
    }

    @Test
    void acceptsOtherControlCharactersInAValue() {
        assertThat(violationOf(Map.of("k", "a\tb\nc"))).isEmpty();
    }

    /** The names of the contract count characters as code points; metadata should count them the same way. */
    @Test
    void countsMetadataCharactersAsCodePoints() {
        String eightClefs = "\uD834\uDD1E".repeat(8);

        assertThat(violationOf(Map.of("k", eightClefs))).isEmpty();
    }

    private Optional<String> violationOf(Map<String, String> metadata) {
        NewEvent event = new NewEvent(null, "Placed", "order-1", "{}", metadata);
        return validator.violation(new AppendCommand(COMMAND_ID, "tenant-1", null,
                List.of(new StreamAppend("orders-1", ExpectedVersion.any(), List.of(event))), Instant.EPOCH));
    }
}
