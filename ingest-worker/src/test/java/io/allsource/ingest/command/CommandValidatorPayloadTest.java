package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The payload rules: one JSON value that PostgreSQL's JSONB can store, within the byte limit. */
class CommandValidatorPayloadTest {

    private static final String COMMAND_ID = "0f6c3e4a-8d2b-4f1e-9a7c-2b5d6e8f9a10";
    private static final String FIELD = "appends[0].events[0].payload";
    private static final int SMALL_PAYLOAD_BYTES = 64;

    private final CommandValidator validator = new CommandValidator(CommandLimits.DEFAULT);
    private final CommandValidator smallPayloads =
            new CommandValidator(new CommandLimits(10, 10, SMALL_PAYLOAD_BYTES, 10, 100, 1_000_000));

    @Test
    void acceptsObjectsAndArrays() {
        assertThat(violationOf("{\"order\":{\"lines\":[1,2,{\"sku\":\"a\"}]},\"paid\":false}")).isEmpty();
        assertThat(violationOf("[]")).isEmpty();
    }

    @Test
    void acceptsScalarsAsTheWholePayload() {
        for (String scalar : List.of("42", "\"text\"", "null", "true")) {
            assertThat(violationOf(scalar)).as("payload %s", scalar).isEmpty();
        }
    }

    @Test
    void acceptsWhitespaceAroundTheValue() {
        assertThat(violationOf("  {\"a\": 1}\n\t")).isEmpty();
    }

    @Test
    void rejectsInvalidJsonNamingTheEventsPayloadField() {
        AppendCommand command = command(NewEvent.of("Placed", "order-1", "{}"),
                NewEvent.of("Placed", "order-1", "{\"total\": }"));

        assertThat(validator.violation(command)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("appends[0].events[1].payload is not valid JSON"));
    }

    @Test
    void rejectsTruncatedJson() {
        assertThat(violationOf("[1, 2")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " is not valid JSON"));
    }

    @Test
    void rejectsAnEmptyPayload() {
        assertThat(violationOf("")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " is not valid JSON"));
        assertThat(violationOf("   ")).isPresent();
    }

    @Test
    void rejectsTwoJsonValues() {
        assertThat(violationOf("{} {}")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " is not valid JSON").contains("more than one value"));
        assertThat(violationOf("1 2")).isPresent();
    }

    @Test
    void rejectsTrailingCharactersAfterTheValue() {
        assertThat(violationOf("{}}")).isPresent();
        assertThat(violationOf("{} x")).isPresent();
    }

    @Test
    void rejectsANumberWhoseExponentNotEvenJavaCanHold() {
        assertThat(violationOf("[1e2147483648]")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " holds a number outside the range JSONB can store"));
    }

    @Test
    void rejectsJsonExtensionsThatJsonbRefuses() {
        assertThat(violationOf("{'a': 1}")).as("single quotes").isPresent();
        assertThat(violationOf("{a: 1}")).as("unquoted name").isPresent();
        assertThat(violationOf("[1,]")).as("trailing comma").isPresent();
        assertThat(violationOf("NaN")).as("NaN").isPresent();
        assertThat(violationOf("/* c */ 1")).as("comment").isPresent();
        assertThat(violationOf("01")).as("leading zero").isPresent();
    }

    @Test
    void rejectsAnEscapedNulInAString() {
        String payload = "{\"note\":\"a\\u0000b\"}";
        assertThat(payload).contains("\\u0000");

        assertThat(violationOf(payload)).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " holds a NUL character"));
    }

    @Test
    void rejectsAnEscapedNulInAFieldName() {
        assertThat(violationOf("{\"no\\u0000te\":1}")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " holds a NUL character"));
    }

    @Test
    void rejectsAnEscapedUnpairedSurrogate() {
        assertThat(violationOf("\"\\ud800\"")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD).contains("unpaired surrogate"));
        assertThat(violationOf("[\"\\udc00x\"]")).as("lone low surrogate").isPresent();
    }

    @Test
    void acceptsAnEscapedSurrogatePair() {
        assertThat(violationOf("\"\\ud834\\udd1e\"")).isEmpty();
    }

    @Test
    void rejectsANumberBeyondTheIntegerDigitsOfNumeric() {
        assertThat(violationOf("1e1000000")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " holds the number '1e1000000'").contains("outside the range"));
        assertThat(violationOf("{\"big\":[1e1000000]}")).as("nested").isPresent();
    }

    @Test
    void rejectsANumberBeyondTheFractionDigitsOfNumeric() {
        assertThat(violationOf("1e-100000")).hasValueSatisfying(message -> assertThat(message)
                .startsWith(FIELD + " holds the number '1e-100000'"));
    }

    @Test
    void acceptsNumbersWithinTheRangeOfNumeric() {
        assertThat(violationOf("1.5e10")).isEmpty();
        assertThat(violationOf("-0.0")).isEmpty();
        assertThat(violationOf("123456789012345678901234567890")).isEmpty();
        assertThat(violationOf("-123456789012345678901234567890.5")).isEmpty();
        assertThat(violationOf("1e131071")).as("the largest power of ten numeric holds").isEmpty();
    }

    /** JsonPayloads promises every number within numeric's range (131,072 integer digits) is accepted. */
    @Test
    void acceptsAnIntegerLongerThanAThousandDigits() {
        assertThat(violationOf("1" + "0".repeat(1_000))).isEmpty();
    }

    @Test
    void acceptsAPayloadOfExactlyTheByteLimit() {
        String payload = jsonString("é".repeat(31));
        assertThat(utf8Bytes(payload)).isEqualTo(SMALL_PAYLOAD_BYTES);

        assertThat(smallPayloads.violation(command(NewEvent.of("Placed", "order-1", payload)))).isEmpty();
    }

    @Test
    void countsUtf8BytesOfMultiByteCharactersAgainstTheLimit() {
        String multiByte = jsonString("é".repeat(32));
        String ascii = jsonString("e".repeat(32));
        assertThat(multiByte.length()).isEqualTo(ascii.length()).isLessThan(SMALL_PAYLOAD_BYTES);

        assertThat(smallPayloads.violation(command(NewEvent.of("Placed", "order-1", multiByte))))
                .hasValue(FIELD + " has 66 bytes, at most 64 are allowed");
        assertThat(smallPayloads.violation(command(NewEvent.of("Placed", "order-1", ascii)))).isEmpty();
    }

    @Test
    void countsFourByteCharactersAsFourBytes() {
        String clefs = jsonString("\uD834\uDD1E".repeat(16));
        assertThat(utf8Bytes(clefs)).isEqualTo(66);

        assertThat(smallPayloads.violation(command(NewEvent.of("Placed", "order-1", clefs))))
                .hasValue(FIELD + " has 66 bytes, at most 64 are allowed");
    }

    @Test
    void rejectsAnAsciiPayloadOneByteOverTheLimit() {
        String payload = jsonString("e".repeat(63));

        assertThat(smallPayloads.violation(command(NewEvent.of("Placed", "order-1", payload))))
                .hasValue(FIELD + " has 65 bytes, at most 64 are allowed");
    }

    private Optional<String> violationOf(String payload) {
        return validator.violation(command(NewEvent.of("Placed", "order-1", payload)));
    }

    private static AppendCommand command(NewEvent... events) {
        return new AppendCommand(COMMAND_ID, "tenant-1", null,
                List.of(new StreamAppend("orders-1", ExpectedVersion.any(), List.of(events))), Instant.EPOCH);
    }

    private static String jsonString(String content) {
        return "\"" + content + "\"";
    }

    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
