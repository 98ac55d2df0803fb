package io.allsource.ingest.topics;

import java.util.List;
import java.util.Objects;

/**
 * The names of the pipeline's topics; configurable, these are the defaults. Every topic has 32 partitions.
 *
 * @param commands       commands in, keyed by partition key
 * @param results        one result per command, at the command's partition number
 * @param events         committed events, keyed by stream id, at the stream's partition number
 * @param deadLetters    undecodable commands, unchanged
 */
public record IngestTopics(String commands, String results, String events, String deadLetters) {

    public static final IngestTopics DEFAULT =
            new IngestTopics("ingest.commands", "ingest.results", "ingest.events", "ingest.commands.dlq");

    public IngestTopics {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /** The same names with {@code prefix} in front, for tests and several pipelines on one cluster. */
    public IngestTopics withPrefix(String prefix) {
        return new IngestTopics(prefix + commands, prefix + results, prefix + events, prefix + deadLetters);
    }

    public List<String> all() {
        return List.of(commands, results, events, deadLetters);
    }
}
