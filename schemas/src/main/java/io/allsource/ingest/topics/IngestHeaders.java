package io.allsource.ingest.topics;

/** The record headers of the wire contract (values are UTF-8 text). */
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
    /** On a result that could not take the route its command asked for: why it went to the results topic instead. */
    public static final String REPLY_ERROR = "ingest-reply-error";

    private IngestHeaders() {
    }
}
