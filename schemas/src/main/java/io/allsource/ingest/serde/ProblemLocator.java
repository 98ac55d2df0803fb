package io.allsource.ingest.serde;

import io.allsource.ingest.serde.UndecodableRecordException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Resolver;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Finds, in a value that failed to decode, the field to blame, named as the contract names it
 * ({@code appends[0].events[2].metadata['source']}): the first string that is not valid UTF-8, or the first enum
 * symbol the reader does not know. It walks the Avro body once more, in the writer's order, along Avro's own
 * resolution of the writer's schema against the reader's, so that it meets exactly what the failed read met and skips
 * what that read skipped (writer fields the reader lacks). Only called after a read failed; costs one pass over the
 * body. {@link #locate} is thread-safe: each call walks with a decoder of its own.
 */
final class ProblemLocator {

    /** What is wrong, and where, in words for the record's result and dead letter. */
    record Finding(Problem problem, String message) {
    }

    /** Where a string's bytes lie in the value. */
    private record Span(int start, int length) {
    }

    private final byte[] value;
    private final BinaryDecoder in;

    private ProblemLocator(byte[] value) {
        this.value = value;
        this.in = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
                value.length - WireFormat.HEADER_SIZE, null);
    }

    /**
     * @param value      the whole value in the wire format
     * @param resolution {@link Resolver#resolve} of the writer's schema against the reader's
     * @return the first malformed string or unknown symbol, or empty when there is none (the body is broken some
     *         other way)
     */
    static Optional<Finding> locate(byte[] value, Resolver.Action resolution) {
        try {
            return Optional.ofNullable(new ProblemLocator(value).walk(resolution, ""));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            return Optional.empty();
        }
    }

    private Finding walk(Resolver.Action action, String path) throws IOException {
        return switch (action.type) {
            case RECORD -> record((Resolver.RecordAdjust) action, path);
            case CONTAINER -> action.writer.getType() == Schema.Type.ARRAY
                    ? array(((Resolver.Container) action).elementAction, path)
                    : map(((Resolver.Container) action).elementAction, path);
            case WRITER_UNION -> walk(((Resolver.WriterUnion) action).actions[in.readIndex()], path);
            case READER_UNION -> walk(((Resolver.ReaderUnion) action).actualAction, path);
            case ENUM -> symbol((Resolver.EnumAdjust) action, path);
            case DO_NOTHING, PROMOTE -> primitive(action, path);
            case SKIP -> skip(action.writer);
            case ERROR -> throw new IOException("no resolution at " + path); // the read failed here for that reason
        };
    }

    private Finding record(Resolver.RecordAdjust action, String path) throws IOException {
        for (int i = 0; i < action.fieldActions.length; i++) {
            String name = action.writer.getFields().get(i).name(); // the reader's name: aliases are applied
            Finding found = walk(action.fieldActions[i], path.isEmpty() ? name : path + "." + name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private Finding array(Resolver.Action element, String path) throws IOException {
        long index = 0;
        for (long block = in.readArrayStart(); block > 0; block = in.arrayNext()) {
            for (long i = 0; i < block; i++) {
                Finding found = walk(element, path + "[" + index++ + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Finding map(Resolver.Action value, String path) throws IOException {
        for (long block = in.readMapStart(); block > 0; block = in.mapNext()) {
            for (long i = 0; i < block; i++) {
                Span key = readString();
                Finding found = check(key, "a key of " + path);
                if (found == null) {
                    String text = new String(this.value, key.start(), key.length(), StandardCharsets.UTF_8);
                    found = walk(value, path + "['" + text + "']");
                }
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Finding symbol(Resolver.EnumAdjust action, String path) throws IOException {
        int index = in.readEnum();
        if (index < 0 || index >= action.adjustments.length || action.adjustments[index] >= 0) {
            return null;
        }
        return new Finding(Problem.UNKNOWN_ENUM_SYMBOL, path + " is " + action.writer.getEnumSymbols().get(index)
                + ", a symbol of the writer's " + action.writer.getName() + " that this reader does not know (it knows "
                + String.join(", ", action.reader.getEnumSymbols()) + ")");
    }

    private Finding primitive(Resolver.Action action, String path) throws IOException {
        boolean readAsString = action.reader.getType() == Schema.Type.STRING;
        Schema.Type written = action.writer.getType();
        if (readAsString && (written == Schema.Type.STRING || written == Schema.Type.BYTES)) {
            return check(readString(), path);
        }
        return skip(action.writer);
    }

    private Finding skip(Schema writer) throws IOException {
        GenericDatumReader.skip(writer, in);
        return null;
    }

    /** Reads a string (or bytes: the same encoding) and says where its bytes lie in the value. */
    private Span readString() throws IOException {
        int length = in.readBytes(null).remaining();
        return new Span(value.length - in.remainingBytes() - length, length);
    }

    /** The string read, checked; {@code subject} names it in the message. */
    private Finding check(Span string, String subject) {
        int start = string.start();
        int length = string.length();
        int bad = StrictUtf8Decoder.firstMalformedByte(value, start, length);
        if (bad < 0) {
            return null;
        }
        return new Finding(Problem.INVALID_UTF8, String.format("%s is not valid UTF-8: the sequence starting with"
                + " byte 0x%02x at offset %d of its %d bytes (offset %d of the record value) is malformed", subject,
                value[start + bad] & 0xff, bad, length, start + bad));
    }
}
