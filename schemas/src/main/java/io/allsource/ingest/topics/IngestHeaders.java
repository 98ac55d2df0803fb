package io.allsource.ingest.topics;

/**
 * The record headers of the wire contract. Values are UTF-8 text, except {@link #CORRELATION_ID}, whose bytes are
 * echoed unchanged whatever they are.
 */
public final class IngestHeaders {

    /** On a command: the topic its result goes to instead of the results topic. */
    public static final String REPLY_TOPIC = "ingest-reply-topic";
    /** On a command: the partition of the reply topic, a decimal int. */
    public static final String REPLY_PARTITION = "ingest-reply-partition";
    /** On a command, copied onto its result. */
    public static final String CORRELATION_ID = "ingest-correlation-id";
    /** On every result: the command id it answers. */
    public static final String COMMAND_ID = "ingest-command-id";
    /** On a dead-lettered command: why it could not be decoded. */
    public static final String ERROR = "ingest-error";
    /** On a dead-lettered command: its partition in the commands topic. */
    public static final String SOURCE_PARTITION = "ingest-source-partition";
    /** On a dead-lettered command: its offset in that partition. */
    public static final String SOURCE_OFFSET = "ingest-source-offset";
    /**
     * On a dead-lettered command whose copy would not fit the dead-letter topic: the value holds only the first bytes
     * of the original; this header gives the original value's size in bytes (decimal).
     */
    public static final String ORIGINAL_SIZE = "ingest-original-size";
    /** With {@link #ORIGINAL_SIZE}: the SHA-256 of the whole original value, 64 lower-case hex digits. */
    public static final String ORIGINAL_SHA256 = "ingest-original-sha256";
    /**
     * With {@link #ORIGINAL_SIZE}, when the original's own headers were too large to copy as well: how many were
     * dropped (decimal).
     */
    public static final String DROPPED_HEADERS = "ingest-dropped-headers";
    /** On a result that could not take the route its command asked for: why it went to the results topic instead. */
    public static final String REPLY_ERROR = "ingest-reply-error";
    /**
     * W3C Trace Context: on a command, the caller's trace, {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex
     * flags>} in lower case; copied unchanged onto its result and onto each of its events. A malformed one is dropped
     * (with {@link #TRACESTATE}), never a reason to reject the command. See
     * {@link io.allsource.ingest.contract.TraceContext}.
     */
    public static final String TRACEPARENT = "traceparent";
    /**
     * W3C Trace Context: vendor entries beside {@link #TRACEPARENT} ({@code key=value} list members, at most 512
     * characters kept); copied with it, and dropped with it.
     */
    public static final String TRACESTATE = "tracestate";

    private IngestHeaders() {
    }
}
