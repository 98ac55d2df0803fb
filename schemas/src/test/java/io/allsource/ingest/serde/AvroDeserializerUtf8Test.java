package io.allsource.ingest.serde;

import static io.allsource.ingest.serde.CommandFrames.raw;
import static io.allsource.ingest.serde.CommandFrames.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.FakeRegistry;
import io.allsource.ingest.serde.UndecodableRecordException.Problem;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strings are decoded strictly: a string that is not valid UTF-8, wherever it sits in the record, refuses the record
 * as {@link Problem#INVALID_UTF8}, naming the field and the bad byte, instead of turning into U+FFFD.
 */
class AvroDeserializerUtf8Test {

    private static final int CONTRACT = 1;
    private static final int STREAM_ID_AS_BYTES = 2;

    private static FakeRegistry registry;
    private static AvroDeserializer<AppendCommand> deserializer;
    private final CommandFrames frames = new CommandFrames(AppendCommand.getClassSchema());

    @BeforeAll
    static void startRegistry() {
        registry = FakeRegistry.servingSchemas(Map.of(CONTRACT, AppendCommand.getClassSchema(),
                STREAM_ID_AS_BYTES, CommandFrames.withFieldType("stream_id", "\"bytes\"")));
        deserializer = new AvroDeserializer<>(CommandFrames.client(registry), AppendCommand.class);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    static Stream<Arguments> malformedTails() {
        return Stream.of(
                Arguments.of("0xff, never in UTF-8", new int[] {0xff}, 0xff),
                Arguments.of("0xfe, never in UTF-8", new int[] {0xfe}, 0xfe),
                Arguments.of("an overlong two-byte '/'", new int[] {0xc0, 0xaf}, 0xc0),
                Arguments.of("an overlong three-byte '/'", new int[] {0xe0, 0x80, 0xaf}, 0xe0),
                Arguments.of("a lone surrogate in CESU-8 form", new int[] {0xed, 0xa0, 0x80}, 0xed),
                Arguments.of("a euro sign cut short", new int[] {0xe2, 0x82}, 0xe2),
                Arguments.of("a continuation byte without a lead", new int[] {0x80}, 0x80));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTails")
    void namesTheStreamIdAndTheOffsetOfItsBadByte(String what, int[] tail, int badByte) {
        Utf8 streamId = raw("order-1", tail);
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                frames.append(streamId, "ANY", 0, frames.event(Map.of()))));

        assertInvalid(value, "appends[0].stream_id is not valid UTF-8",
                String.format("byte 0x%02x at offset 7 of its %d bytes", badByte, streamId.getByteLength()),
                "(offset " + (indexOf(value, streamId.getBytes()) + 7) + " of the record value)");
    }

    @Test
    void refusesStreamIdsEndingInDifferentInvalidBytesRatherThanReadingBothAsOneStream() {
        for (int last : new int[] {0xff, 0xfe}) {
            byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                    frames.append(raw("order-1", last), "ANY", 0, frames.event(Map.of()))));

            assertInvalid(value, "appends[0].stream_id", String.format("byte 0x%02x", last));
        }
    }

    @Test
    void namesATopLevelField() {
        byte[] value = frames.frame(CONTRACT, frames.command(raw("tenant-", 0xc3), null,
                frames.append(text("order-1"), "ANY", 0, frames.event(Map.of()))));

        assertInvalid(value, "tenant_id is not valid UTF-8", "byte 0xc3 at offset 7 of its 8 bytes");
    }

    @Test
    void namesAStringInAUnionBranch() {
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), raw("key-", 0xed, 0xb0, 0x80),
                frames.append(text("order-1"), "ANY", 0, frames.event(Map.of()))));

        assertInvalid(value, "partition_key is not valid UTF-8", "byte 0xed at offset 4");
    }

    @Test
    void namesTheFieldOfTheArrayElementThatHoldsIt() {
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "ANY", 0, frames.event(Map.of())),
                frames.append(raw("invoice-1", 0xff), "NO_STREAM", 0, frames.event(Map.of()))));

        assertInvalid(value, "appends[1].stream_id is not valid UTF-8", "offset 9 of its 10 bytes");
    }

    @Test
    void namesAMapKeyThatIsNotValidUtf8() {
        GenericRecord event = frames.event(Map.of(raw("sou", 0xe2, 0x82), text("web")));
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "ANY", 0, event)));

        assertInvalid(value, "a key of appends[0].events[0].metadata is not valid UTF-8", "byte 0xe2 at offset 3");
    }

    @Test
    void namesAMapValueByItsKey() {
        GenericRecord event = frames.event(Map.of(text("source"), raw("we", 0xc0, 0x80)));
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-1"), null,
                frames.append(text("order-1"), "ANY", 0, event)));

        assertInvalid(value, "appends[0].events[0].metadata['source'] is not valid UTF-8", "byte 0xc0 at offset 2");
    }

    @Test
    void checksBytesThatAWriterPromotesToAString() {
        CommandFrames bytesFrames = new CommandFrames(registrySchema(STREAM_ID_AS_BYTES));
        byte[] value = bytesFrames.frame(STREAM_ID_AS_BYTES, bytesFrames.command(text("tenant-1"), null,
                bytesFrames.append(ByteBuffer.wrap(raw("order-1", 0xfe).getBytes()), "ANY", 0,
                        bytesFrames.event(Map.of()))));

        assertInvalid(value, "appends[0].stream_id is not valid UTF-8", "byte 0xfe at offset 7");
    }

    @Test
    void decodesValidMultibyteTextAndARealReplacementCharacterUnchanged() {
        String streamId = "Bestellung-ü-€-𝄞-\uFFFD";
        byte[] value = frames.frame(CONTRACT, frames.command(text("tenant-ß"), text("schlüssel"),
                frames.append(text(streamId), "ANY", 0, frames.event(Map.of(text("quelle-ü"), text("wert-€"))))));

        AppendCommand decoded = deserializer.deserialize("commands", value);

        assertThat(decoded.getTenantId()).isEqualTo("tenant-ß");
        assertThat(decoded.getPartitionKey()).isEqualTo("schlüssel");
        assertThat(decoded.getAppends().get(0).getStreamId()).isEqualTo(streamId);
        assertThat(decoded.getAppends().get(0).getEvents().get(0).getMetadata()).containsEntry("quelle-ü", "wert-€");
    }

    private static Schema registrySchema(int id) {
        return CommandFrames.client(registry).schemaById(id);
    }

    private static void assertInvalid(byte[] value, String... details) {
        assertThatThrownBy(() -> deserializer.deserialize("commands", value))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_UTF8))
                .message().contains(details).doesNotContain("\uFFFD");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (ByteBuffer.wrap(haystack, i, needle.length).equals(ByteBuffer.wrap(needle))) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
