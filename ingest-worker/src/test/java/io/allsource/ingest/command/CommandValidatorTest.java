package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules for ids, names, appends and events; payload and metadata rules have their own test classes. */
class CommandValidatorTest {

    private static final String COMMAND_ID = "0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10";
    private static final String EVENT_ID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    /** MUSICAL SYMBOL G CLEF: one code point, two UTF-16 chars, four UTF-8 bytes. */
    private static final String CLEF = "\uD834\uDD1E";

    private static final CommandLimits SMALL = new CommandLimits(3, 4, 1_024, 4, 64, 1_000_000);
    private final CommandValidator validator = new CommandValidator(SMALL);

    @Test
    void acceptsAValidCommand() {
        AppendCommand command = new AppendCommand(COMMAND_ID, "tenant-1", "orders", List.of(
                append("orders-1", ExpectedVersion.noStream(), event(), event()),
                append("orders-2", ExpectedVersion.exact(4), new NewEvent(EVENT_ID, "Shipped", "order-2", "{}",
                        Map.of("source", "web")))), Instant.EPOCH);

        assertThat(validator.violation(command)).isEmpty();
    }

    @Test
    void rejectsAMissingCommandId() {
        assertThat(violationOf(withCommandId(null))).hasValue("command_id is missing");
    }

    @Test
    void rejectsAnEmptyCommandId() {
        assertThat(violationOf(withCommandId(""))).hasValue("command_id is empty");
    }

    @Test
    void rejectsACommandIdThatIsNotAUuid() {
        assertThat(violationOf(withCommandId("order-42"))).hasValue("command_id 'order-42' is not a UUID");
    }

    @Test
    void acceptsACommandIdInUpperCase() {
        assertThat(violationOf(withCommandId(COMMAND_ID.toUpperCase()))).isEmpty();
    }

    @Test
    void letsOnlyAUuidKeyAStoredResult() {
        assertThat(CommandValidator.commandIdViolation(COMMAND_ID)).isEmpty();
        assertThat(CommandValidator.commandIdViolation("order-42")).hasValue("command_id 'order-42' is not a UUID");
        assertThat(CommandValidator.commandIdViolation("invalid:7:41")).hasValueSatisfying(
                message -> assertThat(message).contains("is not a UUID"));
        assertThat(CommandValidator.commandIdViolation("")).hasValue("command_id is empty");
        assertThat(CommandValidator.commandIdViolation(null)).hasValue("command_id is missing");
    }

    @Test
    void rejectsAnEmptyTenantId() {
        AppendCommand command = new AppendCommand(COMMAND_ID, "", null, List.of(validAppend()), Instant.EPOCH);

        assertThat(violationOf(command)).hasValue("tenant_id is empty");
    }

    @Test
    void rejectsAPartitionKeyOf256CodePoints() {
        assertThat(violationOf(withPartitionKey(CLEF.repeat(256))))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("partition_key has 256 characters").contains("at most 255"));
    }

    @Test
    void acceptsAPartitionKeyOf255CodePointsOfFourUtf8BytesEach() {
        assertThat(violationOf(withPartitionKey(CLEF.repeat(255)))).isEmpty();
    }

    @Test
    void acceptsAnAbsentPartitionKey() {
        assertThat(violationOf(withPartitionKey(null))).isEmpty();
    }

    @Test
    void rejectsAnEmptyPartitionKey() {
        assertThat(violationOf(withPartitionKey(""))).hasValue("partition_key is empty");
    }

    @Test
    void rejectsControlCharactersInAStreamId() {
        for (String streamId : List.of("orders\n1", "orders\t1", "orders\u007F1", "orders\u00851")) {
            assertThat(violationOf(withAppends(append(streamId, ExpectedVersion.any(), event()))))
                    .as("stream id %s", streamId.codePoints().boxed().toList())
                    .hasValueSatisfying(message -> assertThat(message)
                            .startsWith("appends[0].stream_id ").contains("control character"));
        }
    }

    @Test
    void rejectsAnUnpairedSurrogateInAStreamId() {
        assertThat(violationOf(withAppends(append("orders-\uD800", ExpectedVersion.any(), event()))))
                .hasValueSatisfying(message -> assertThat(message).startsWith("appends[0].stream_id "));
    }

    @Test
    void rejectsAStreamIdOf256Characters() {
        assertThat(violationOf(withAppends(append("s".repeat(256), ExpectedVersion.any(), event()))))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("appends[0].stream_id has 256 characters"));
    }

    @Test
    void namesTheAppendWhoseStreamIdIsBad() {
        assertThat(violationOf(withAppends(validAppend(), append("", ExpectedVersion.any(), event()))))
                .hasValue("appends[1].stream_id is empty");
    }

    @Test
    void rejectsACommandWithoutAppends() {
        assertThat(violationOf(withAppends()))
                .hasValueSatisfying(message -> assertThat(message).startsWith("appends is empty"));
    }

    @Test
    void rejectsMoreAppendsThanTheLimit() {
        AppendCommand command = withAppends(append("s-1", ExpectedVersion.any(), event()),
                append("s-2", ExpectedVersion.any(), event()), append("s-3", ExpectedVersion.any(), event()),
                append("s-4", ExpectedVersion.any(), event()));

        assertThat(violationOf(command)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("appends has 4 streams").contains("at most 3"));
    }

    @Test
    void acceptsAppendsUpToTheLimit() {
        AppendCommand command = withAppends(append("s-1", ExpectedVersion.any(), event()),
                append("s-2", ExpectedVersion.any(), event()), append("s-3", ExpectedVersion.any(), event()));

        assertThat(violationOf(command)).isEmpty();
    }

    @Test
    void countsTheEventLimitOverAllAppends() {
        AppendCommand command = withAppends(append("s-1", ExpectedVersion.any(), event(), event(), event()),
                append("s-2", ExpectedVersion.any(), event(), event()));

        assertThat(violationOf(command)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("appends hold 5 events").contains("at most 4"));
    }

    @Test
    void acceptsEventsUpToTheLimit() {
        AppendCommand command = withAppends(append("s-1", ExpectedVersion.any(), event(), event()),
                append("s-2", ExpectedVersion.any(), event(), event()));

        assertThat(violationOf(command)).isEmpty();
    }

    @Test
    void rejectsAStreamIdRepeatedAcrossAppendsNamingBothIndexes() {
        AppendCommand command = withAppends(append("orders-1", ExpectedVersion.any(), event()),
                append("orders-2", ExpectedVersion.any(), event()), append("orders-1", ExpectedVersion.any(), event()));

        assertThat(violationOf(command)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("appends[2].stream_id 'orders-1'").contains("appends[0]"));
    }

    @Test
    void rejectsANegativeExactVersion() {
        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.exact(-1), event()))))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("appends[0].expected_version.version is -1"));
    }

    @Test
    void acceptsAnExactVersionOfZero() {
        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.exact(0), event())))).isEmpty();
    }

    @Test
    void rejectsAMissingExpectedVersion() {
        assertThat(violationOf(withAppends(append("orders-1", null, event()))))
                .hasValue("appends[0].expected_version is missing");
    }

    @Test
    void rejectsAnAppendWithoutEvents() {
        assertThat(violationOf(withAppends(validAppend(), append("orders-2", ExpectedVersion.any()))))
                .hasValueSatisfying(message -> assertThat(message).startsWith("appends[1].events is empty"));
    }

    @Test
    void rejectsAnEventIdThatIsNotAUuid() {
        NewEvent event = new NewEvent("1-1-1-1-1", "Placed", "order-1", "{}", Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event(), event))))
                .hasValue("appends[0].events[1].event_id '1-1-1-1-1' is not a UUID");
    }

    @Test
    void acceptsAnExplicitEventId() {
        NewEvent event = new NewEvent(EVENT_ID, "Placed", "order-1", "{}", Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event)))).isEmpty();
    }

    @Test
    void rejectsAnEmptyEventType() {
        NewEvent event = new NewEvent(null, "", "order-1", "{}", Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event))))
                .hasValue("appends[0].events[0].event_type is empty");
    }

    @Test
    void rejectsAnEntityIdOver255Characters() {
        NewEvent event = new NewEvent(null, "Placed", "e".repeat(256), "{}", Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event))))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("appends[0].events[0].entity_id has 256 characters"));
    }

    @Test
    void acceptsAnEntityIdOf255Characters() {
        NewEvent event = new NewEvent(null, "Placed", "e".repeat(255), "{}", Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event)))).isEmpty();
    }

    @Test
    void rejectsAMissingPayload() {
        NewEvent event = new NewEvent(null, "Placed", "order-1", null, Map.of());

        assertThat(violationOf(withAppends(append("orders-1", ExpectedVersion.any(), event))))
                .hasValue("appends[0].events[0].payload is missing");
    }

    private Optional<String> violationOf(AppendCommand command) {
        return validator.violation(command);
    }

    private static AppendCommand withCommandId(String commandId) {
        return new AppendCommand(commandId, "tenant-1", null, List.of(validAppend()), Instant.EPOCH);
    }

    private static AppendCommand withPartitionKey(String partitionKey) {
        return new AppendCommand(COMMAND_ID, "tenant-1", partitionKey, List.of(validAppend()), Instant.EPOCH);
    }

    private static AppendCommand withAppends(StreamAppend... appends) {
        return new AppendCommand(COMMAND_ID, "tenant-1", null, List.of(appends), Instant.EPOCH);
    }

    private static StreamAppend validAppend() {
        return append("orders-1", ExpectedVersion.any(), event());
    }

    private static StreamAppend append(String streamId, ExpectedVersion expected, NewEvent... events) {
        return new StreamAppend(streamId, expected, List.of(events));
    }

    private static NewEvent event() {
        return NewEvent.of("Placed", "order-1", "{\"total\":12}");
    }
}
