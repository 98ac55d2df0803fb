package io.allsource.ingest.chaos;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds the hostile records of the soak's load as raw bytes and headers, as a producer that knows the wire contract
 * but breaks it would send them: values that are not the wire format, tombstones, payloads and ids the store may
 * choke on, reply and correlation headers that point nowhere or hold binary. Commands of its own go to streams of
 * their own ({@code chaos-hostile-<n>}), so that the load's belief of its streams stays as good as it was. Not
 * thread-safe: the load's thread uses it.
 */
final class HostileRecords {

    /** A reply topic no soak creates (the broker does not create topics on demand). */
    static final String MISSING_TOPIC = "chaos.no-such-topic";
    /** 91 bytes of JSON; JSONB stores each number with its 131,072 digits (within numeric's range): 1.3 MB. */
    static final String HUGE_JSONB_PAYLOAD = "[" + String.join(",", Collections.nCopies(10, "1e131071")) + "]";
    /** Valid JSON text that PostgreSQL's JSONB refuses: the escaped NUL character. */
    static final String NUL_PAYLOAD = "{\"a\": \"x\\u0000\"}";

    private static final String PLAIN_PAYLOAD = "{\"hostile\": true}";

    /** One hostile record, of its kind. */
    record Hostile(HostileKind kind, ProducerRecord<byte[], byte[]> record) {
    }

    private final String commandsTopic;
    private final String eventsTopic;
    private final Function<AppendCommand, byte[]> encoder;
    private final CommandMix mix;
    private final Random random;
    private int streams;

    /**
     * @param encoder writes a command in the wire format, as the load's serializer does
     * @param mix     the load's commands, whose earlier ones are resent in upper case
     */
    HostileRecords(String commandsTopic, String eventsTopic, Function<AppendCommand, byte[]> encoder, CommandMix mix,
            Random random) {
        this.commandsTopic = commandsTopic;
        this.eventsTopic = eventsTopic;
        this.encoder = encoder;
        this.mix = mix;
        this.random = random;
    }

    /** A hostile record of one of {@code kinds}, drawn evenly. */
    Hostile next(List<HostileKind> kinds) {
        HostileKind kind = kinds.get(random.nextInt(kinds.size()));
        return new Hostile(kind, build(kind));
    }

    ProducerRecord<byte[], byte[]> build(HostileKind kind) {
        return switch (kind) {
            case NOT_WIRE_FORMAT -> notWireFormat();
            case TOMBSTONE -> record(utf8(newStream()), null);
            case HUGE_JSONB -> encoded(command(newStream(), HUGE_JSONB_PAYLOAD));
            case REPLY_TO_EVENTS_TOPIC -> withHeader(plain(), IngestHeaders.REPLY_TOPIC, utf8(eventsTopic));
            case REPLY_TO_MISSING_TOPIC -> withHeader(plain(), IngestHeaders.REPLY_TOPIC, utf8(MISSING_TOPIC));
            case BINARY_CORRELATION_ID -> withHeader(plain(), IngestHeaders.CORRELATION_ID, binaryCorrelationId());
            case UPPER_CASE_RESEND -> upperCaseResend();
            case INVALID_UTF8_STREAM_ID -> invalidUtf8StreamId();
            case NUL_IN_PAYLOAD -> encoded(command(newStream(), NUL_PAYLOAD));
        };
    }

    /** Random bytes that do not start with the magic byte, or a valid command whose magic byte is changed. */
    private ProducerRecord<byte[], byte[]> notWireFormat() {
        byte[] value;
        if (random.nextBoolean()) {
            value = new byte[1 + random.nextInt(64)];
            random.nextBytes(value);
        } else {
            value = encoder.apply(command(newStream(), PLAIN_PAYLOAD));
        }
        value[0] = (byte) (1 + random.nextInt(255));
        return record(utf8(newStream()), value);
    }

    /** Sixteen random bytes with 0x00, 0xff and 0x80 among them: no text in any encoding. */
    private byte[] binaryCorrelationId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        List<Integer> positions = new ArrayList<>(IntStream.range(0, id.length).boxed().toList());
        Collections.shuffle(positions, random);
        id[positions.get(0)] = 0x00;
        id[positions.get(1)] = (byte) 0xff;
        id[positions.get(2)] = (byte) 0x80;
        return id;
    }

    /** An earlier command of the load, same content and key, its id in upper case (a fresh one before any). */
    private ProducerRecord<byte[], byte[]> upperCaseResend() {
        AppendCommand earlier = mix.earlier().orElseGet(() -> command(newStream(), PLAIN_PAYLOAD));
        AppendCommand resend = AppendCommand.newBuilder(earlier)
                .setCommandId(earlier.getCommandId().toUpperCase(Locale.ROOT)).build();
        return record(utf8(CommandMix.key(resend)), encoder.apply(resend));
    }

    /**
     * Avro cannot write a string that is not UTF-8, so the command is written with a stream id of the same length and
     * the id's last byte patched to 0xff in the encoded body (and in the key) afterwards.
     */
    private ProducerRecord<byte[], byte[]> invalidUtf8StreamId() {
        String stream = newStream() + "-Z";
        byte[] value = encoder.apply(command(stream, PLAIN_PAYLOAD));
        byte[] placeholder = utf8(stream);
        int at = indexOf(value, placeholder);
        if (at < 0 || indexOf(value, placeholder, at + 1) >= 0) {
            throw new IllegalStateException("the stream id " + stream + " is not once in its encoded command");
        }
        value[at + placeholder.length - 1] = (byte) 0xff;
        placeholder[placeholder.length - 1] = (byte) 0xff;
        return record(placeholder, value);
    }

    private ProducerRecord<byte[], byte[]> plain() {
        return encoded(command(newStream(), PLAIN_PAYLOAD));
    }

    private ProducerRecord<byte[], byte[]> encoded(AppendCommand command) {
        return record(utf8(CommandMix.key(command)), encoder.apply(command));
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ProducerRecord<>(commandsTopic, key, value);
    }

    private static ProducerRecord<byte[], byte[]> withHeader(ProducerRecord<byte[], byte[]> record, String header,
            byte[] value) {
        record.headers().add(header, value);
        return record;
    }

    private String newStream() {
        return "chaos-hostile-" + streams++;
    }

    private static AppendCommand command(String stream, String payload) {
        NewEvent event = new NewEvent(null, "HostileHappened", "hostile", payload, Map.of("load", "chaos-hostile"));
        StreamAppend append = new StreamAppend(stream, new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                List.of(event));
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("chaos")
                .setPartitionKey(null).setAppends(List.of(append)).setIssuedAt(Instant.now()).build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static int indexOf(byte[] bytes, byte[] part) {
        return indexOf(bytes, part, 0);
    }

    private static int indexOf(byte[] bytes, byte[] part, int from) {
        for (int i = from; i + part.length <= bytes.length; i++) {
            int matched = 0;
            while (matched < part.length && bytes[i + matched] == part[matched]) {
                matched++;
            }
            if (matched == part.length) {
                return i;
            }
        }
        return -1;
    }
}
