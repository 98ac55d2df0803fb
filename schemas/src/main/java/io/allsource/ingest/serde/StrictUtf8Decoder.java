package io.allsource.ingest.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link Decoder} over a {@link BinaryDecoder} that refuses a string that is not valid UTF-8, where Avro's own
 * decoder turns every malformed sequence into U+FFFD, so that two different byte strings (ending in 0xff and 0xfe, say)
 * would decode to one Java string. Everything else is passed through unchanged.
 *
 * <p>Cost on valid input: a string read as {@link String} is decoded exactly as Avro does it, then looked at for
 * U+FFFD, which only a malformed sequence or a real U+FFFD produces (and which costs nothing for a string of Latin-1
 * characters, stored one byte a character); only then are its bytes checked strictly. A string read as {@link Utf8}
 * (raw bytes) is scanned for a byte above 0x7f and only then checked strictly.
 *
 * <p>A malformed string raises {@link MalformedStringException} and is remembered ({@link #malformed()}), since a
 * datum reader may wrap what a decoder throws. Not thread-safe: one per value read.
 */
final class StrictUtf8Decoder extends Decoder {

    private final BinaryDecoder in;
    private final boolean bytesAreStrings;
    private final Utf8 scratch = new Utf8();
    private MalformedStringException malformed;

    /**
     * @param bytesAreStrings the reader's schema holds no {@code bytes}, so whatever is read as bytes is a writer's
     *                        {@code bytes} promoted to a reader's {@code string}, and is checked as a string too
     */
    StrictUtf8Decoder(BinaryDecoder in, boolean bytesAreStrings) {
        this.in = in;
        this.bytesAreStrings = bytesAreStrings;
    }

    /** The malformed string met, or {@code null}. */
    MalformedStringException malformed() {
        return malformed;
    }

    /**
     * The index of the first byte of the first malformed UTF-8 sequence in {@code bytes[offset, offset + length)},
     * counted from {@code offset}, or -1 when the range is valid UTF-8 (RFC 3629: no overlong forms, no surrogates
     * such as CESU-8's, nothing above U+10FFFF, no sequence cut short).
     */
    static int firstMalformedByte(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] < 0) {
                int bad = firstMalformedFrom(bytes, i, end);
                return bad < 0 ? -1 : bad - offset;
            }
        }
        return -1;
    }

    private static int firstMalformedFrom(byte[] bytes, int from, int end) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input, never replaces it
        ByteBuffer input = ByteBuffer.wrap(bytes, from, end - from);
        CharBuffer output = CharBuffer.allocate(end - from);
        CoderResult result = decoder.decode(input, output, true); // a sequence cut short at the end is an error too
        return result.isError() ? input.position() : -1;
    }

    @Override
    public String readString() throws IOException {
        Utf8 raw = in.readString(scratch);
        String text = raw.toString();
        if (text.indexOf('\uFFFD') >= 0) {
            check(raw.getBytes(), 0, raw.getByteLength());
        }
        return text;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        Utf8 raw = in.readString(old);
        check(raw.getBytes(), 0, raw.getByteLength());
        return raw;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        ByteBuffer bytes = in.readBytes(old);
        if (bytesAreStrings && bytes.hasArray()) {
            check(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        }
        return bytes;
    }

    private void check(byte[] bytes, int offset, int length) throws MalformedStringException {
        int bad = firstMalformedByte(bytes, offset, length);
        if (bad >= 0) {
            malformed = new MalformedStringException(bad, length, bytes[offset + bad]);
            throw malformed;
        }
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return in.readArrayStart();
    }

    @Override
    public long arrayNext() throws IOException {
        return in.arrayNext();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return in.readMapStart();
    }

    @Override
    public long mapNext() throws IOException {
        return in.mapNext();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** Passed on, so that Avro's guard against a block count larger than the bytes left keeps working. */
    @Override
    public int remainingBytes() {
        return in.remainingBytes();
    }

    /** A string that is not valid UTF-8; the message says where in it, and the byte found there. */
    static final class MalformedStringException extends IOException {

        MalformedStringException(int offset, int length, byte found) {
            super(String.format("a string of %d bytes is not valid UTF-8 from its byte %d (0x%02x)", length, offset,
                    found & 0xff));
        }
    }
}
