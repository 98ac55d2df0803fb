package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.topics.IngestHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Each hostile kind is built as the issue describes it, from raw bytes and headers. */
class HostileRecordsTest {

    static {
        AvroSerializer.forTopics(null, false); // the serde's loading makes Avro trust the contract's record classes
    }

    private static final String COMMANDS = "ingest.commands";
    private static final String EVENTS = "ingest.events";

    private final CommandMix mix = new CommandMix(new Random(1));
    private final HostileRecords records = new HostileRecords(COMMANDS, EVENTS, HostileRecordsTest::encode, mix,
            new Random(2));

    @Test
    void valuesThatAreNotTheWireFormatNeverStartWithTheMagicByte() {
        for (int i = 0; i < 50; i++) {
            ProducerRecord<byte[], byte[]> record = records.build(HostileKind.NOT_WIRE_FORMAT);

            assertThat(record.topic()).isEqualTo(COMMANDS);
            assertThat(record.value()).isNotEmpty();
            assertThat(record.value()[0]).isNotZero();
        }
    }

    @Test
    void aTombstoneHasAKeyAndNoValue() {
        ProducerRecord<byte[], byte[]> record = records.build(HostileKind.TOMBSTONE);

        assertThat(record.key()).isNotEmpty();
        assertThat(record.value()).isNull();
    }

    @Test
    void theHugeJsonbPayloadIsTenNumbersOf131072DigitsInUnder100Bytes() {
        AppendCommand command = decode(records.build(HostileKind.HUGE_JSONB).value());

        String payload = command.getAppends().get(0).getEvents().get(0).getPayload();
        assertThat(payload).isEqualTo("[1e131071,1e131071,1e131071,1e131071,1e131071,1e131071,1e131071,1e131071,"
                + "1e131071,1e131071]");
        assertThat(payload.getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(100);
    }

    @Test
    void replyHeadersNameTheEventsTopicOrATopicThatDoesNotExist() {
        assertThat(header(records.build(HostileKind.REPLY_TO_EVENTS_TOPIC), IngestHeaders.REPLY_TOPIC))
                .isEqualTo(EVENTS.getBytes(StandardCharsets.UTF_8));
        assertThat(header(records.build(HostileKind.REPLY_TO_MISSING_TOPIC), IngestHeaders.REPLY_TOPIC))
                .isEqualTo(HostileRecords.MISSING_TOPIC.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theBinaryCorrelationIdIsSixteenBytesWithNulHighAndContinuationBytes() {
        byte[] id = header(records.build(HostileKind.BINARY_CORRELATION_ID), IngestHeaders.CORRELATION_ID);

        assertThat(id).hasSize(16).contains((byte) 0x00, (byte) 0xff, (byte) 0x80);
    }

    @Test
    void anUpperCaseResendCarriesAnEarlierCommandsContentAndKey() {
        List<AppendCommand> earlier = List.of(mix.next(), mix.next(), mix.next());

        ProducerRecord<byte[], byte[]> record = records.build(HostileKind.UPPER_CASE_RESEND);

        AppendCommand resend = decode(record.value());
        AppendCommand original = earlier.stream()
                .filter(command -> command.getCommandId().equalsIgnoreCase(resend.getCommandId()))
                .findFirst().orElseThrow();
        assertThat(resend.getCommandId()).isEqualTo(original.getCommandId().toUpperCase())
                .isNotEqualTo(original.getCommandId());
        assertThat(resend.getAppends()).isEqualTo(original.getAppends());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(CommandMix.key(original));
    }

    @Test
    void anInvalidUtf8StreamIdEndsIn0xffInAnOtherwiseValidAvroBodyAndInTheKey() {
        ProducerRecord<byte[], byte[]> record = records.build(HostileKind.INVALID_UTF8_STREAM_ID);

        assertThat(record.key()[record.key().length - 1]).isEqualTo((byte) 0xff);
        int at = HostileRecords.indexOf(record.value(), Arrays.copyOf(record.key(), record.key().length));
        assertThat(at).as("the key's bytes in the value").isPositive();
        String streamId = decode(record.value()).getAppends().get(0).getStreamId();
        assertThat(streamId).as("decoded leniently").startsWith("chaos-hostile-").endsWith("-\uFFFD");
    }

    @Test
    void theNulPayloadIsValidJsonTextWithAnEscapedNul() {
        AppendCommand command = decode(records.build(HostileKind.NUL_IN_PAYLOAD).value());

        assertThat(command.getAppends().get(0).getEvents().get(0).getPayload()).isEqualTo("{\"a\": \"x\\u0000\"}")
                .doesNotContain("\u0000");
    }

    @Test
    void drawsOnlyTheKindsAsked() {
        List<HostileKind> asked = List.of(HostileKind.NOT_WIRE_FORMAT, HostileKind.TOMBSTONE,
                HostileKind.REPLY_TO_MISSING_TOPIC);
        EnumSet<HostileKind> drawn = EnumSet.noneOf(HostileKind.class);
        for (int i = 0; i < 100; i++) {
            drawn.add(records.next(asked).kind());
        }

        assertThat(drawn).containsExactlyInAnyOrderElementsOf(asked);
    }

    private static byte[] header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return header.value();
    }

    /** The wire format with a made-up schema id: no registry needed to build the records. */
    private static byte[] encode(AppendCommand command) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0, 0, 0, 0, 7});
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<AppendCommand>(AppendCommand.getClassSchema()).write(command, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AppendCommand decode(byte[] value) {
        assertThat(Arrays.copyOf(value, 5)).containsExactly(0, 0, 0, 0, 7);
        try {
            return new SpecificDatumReader<AppendCommand>(AppendCommand.getClassSchema()).read(null,
                    DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
