package io.allsource.ingest.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format of a record value: the magic byte 0x00, the writer schema's registry id as a 4-byte
 * big-endian integer, then the Avro binary encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x00;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The subject a topic's values are registered under (Confluent's TopicNameStrategy). */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** The schema id of an encoded value, after checking its header. */
    public static int schemaId(byte[] value) {
        if (value.length < HEADER_SIZE) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.TOO_SHORT,
                    "The value has " + value.length + " bytes, fewer than the " + HEADER_SIZE
                            + " of the wire format's header (magic byte and schema id)");
        }
        if (value[0] != MAGIC_BYTE) {
            throw new UndecodableRecordException(UndecodableRecordException.Problem.WRONG_MAGIC_BYTE,
                    String.format("The value starts with the byte 0x%02x, not the wire format's magic byte 0x00",
                            value[0] & 0xff));
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    static ByteBuffer header(int schemaId, int bodySize) {
        return ByteBuffer.allocate(HEADER_SIZE + bodySize).put(MAGIC_BYTE).putInt(schemaId);
    }
}
