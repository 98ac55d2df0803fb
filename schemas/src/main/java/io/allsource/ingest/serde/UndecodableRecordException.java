package io.allsource.ingest.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that cannot be decoded, for a reason that lies in its bytes and will not pass: retrying will not help,
 * the record is poison. {@link #problem()} says which; the message says what exactly.
 */
public class UndecodableRecordException extends SerializationException {

    /** What is wrong with the bytes. */
    public enum Problem {
        /** Fewer than the 5 bytes of the wire format's header. */
        TOO_SHORT,
        /** The first byte is not the wire format's 0x00. */
        WRONG_MAGIC_BYTE,
        /** The registry knows no schema under the record's id. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be read as the reader's: a record of another schema. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body ends early or is not valid Avro for its schema. */
        MALFORMED_AVRO,
        /** Bytes remain after the Avro body. */
        TRAILING_BYTES,
        /**
         * A string (at any depth: a field, an array element, a map key or value, a union branch) is not valid UTF-8.
         * Apart from {@link #MALFORMED_AVRO} because the frame is sound and the producer's text encoding is at fault;
         * decoding it leniently would map different byte strings onto one Java string.
         */
        INVALID_UTF8,
        /**
         * The writer's schema adds enum symbols the reader lacks, and this record uses one. The schema itself is
         * readable: its records that use only known symbols decode.
         */
        UNKNOWN_ENUM_SYMBOL
    }

    private final Problem problem;

    public UndecodableRecordException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public UndecodableRecordException(Problem problem, String message) {
        this(problem, message, null);
    }

    public Problem problem() {
        return problem;
    }
}
