package io.allsource.ingest.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of hostile record the soak's load mixes in, each named by a letter (as in the issue that introduced them)
 * and by a name. An <em>undecodable</em> kind carries no command id anyone can read, so its outcome must be stored
 * under {@code invalid:<partition>:<offset>}; the outcome of any other kind is looked up by where the record landed.
 */
public enum HostileKind {

    NOT_WIRE_FORMAT('a', "not-wire-format", "random bytes, or a command with a wrong magic byte", true),
    TOMBSTONE('b', "tombstone", "a null value", true),
    HUGE_JSONB('c', "huge-jsonb", "a 91-byte JSON payload whose JSONB form is 1.3 MB", false),
    REPLY_TO_EVENTS_TOPIC('d', "reply-to-events-topic", "ingest-reply-topic naming the pipeline's events topic", false),
    REPLY_TO_MISSING_TOPIC('e', "reply-to-missing-topic", "ingest-reply-topic naming a topic that does not exist",
            false),
    BINARY_CORRELATION_ID('f', "binary-correlation-id", "ingest-correlation-id of 16 raw bytes with 0x00, 0xff, 0x80",
            false),
    UPPER_CASE_RESEND('g', "upper-case-resend", "an earlier command resent with its id in upper case", false),
    INVALID_UTF8_STREAM_ID('h', "invalid-utf8-stream-id", "a stream id whose last byte is 0xff in valid Avro", false),
    NUL_IN_PAYLOAD('i', "nul-in-payload", "a payload holding \\u0000, which JSONB refuses", false);

    private final char letter;
    private final String label;
    private final String description;
    private final boolean undecodable;

    HostileKind(char letter, String label, String description, boolean undecodable) {
        this.letter = letter;
        this.label = label;
        this.description = description;
        this.undecodable = undecodable;
    }

    public char letter() {
        return letter;
    }

    /** The kind's name on the command line and in the report, such as {@code tombstone}. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether the record's command id cannot be read, so that it is answered under {@code invalid:<p>:<o>}. */
    public boolean undecodable() {
        return undecodable;
    }

    /**
     * The kinds a comma-separated list names, by letter or label ({@code a,b,e} or {@code tombstone,huge-jsonb}), or
     * every kind for {@code all}.
     *
     * @throws IllegalArgumentException naming the first entry that is no kind, and the kinds there are
     */
    public static Set<HostileKind> parse(String list) {
        Set<HostileKind> kinds = EnumSet.noneOf(HostileKind.class);
        for (String entry : list.split(",")) {
            String name = entry.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                kinds.addAll(List.of(values()));
            } else {
                kinds.add(Arrays.stream(values())
                        .filter(kind -> name.equals(String.valueOf(kind.letter)) || name.equals(kind.label))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("'" + entry.strip()
                                + "' is no hostile kind; the kinds are all, " + names())));
            }
        }
        return kinds;
    }

    private static String names() {
        List<String> names = new ArrayList<>();
        for (HostileKind kind : values()) {
            names.add(kind.letter + " (" + kind.label + ")");
        }
        return String.join(", ", names);
    }
}
