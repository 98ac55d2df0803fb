package io.allsource.ingest.command;

/**
 * Size limits a command must respect to be applied. They protect the partition's batch, the database and the topics
 * (an events record must fit the broker's message size) from a single oversized command. Configurable: the worker's
 * {@code max-...} settings.
 *
 * @param maxAppends          streams per command
 * @param maxEvents           events per command, over all its appends
 * @param maxPayloadBytes     UTF-8 bytes of one event's payload
 * @param maxMetadataEntries  metadata pairs of one event
 * @param maxMetadataChars    characters of one metadata key or value
 * @param maxEventRecordBytes bytes of the events-topic record one event becomes, its payload as PostgreSQL prints it;
 *                            must stay below the producer's {@code max.request.size} and the events topic's
 *                            {@code max.message.bytes}
 */
public record CommandLimits(int maxAppends, int maxEvents, int maxPayloadBytes, int maxMetadataEntries,
        int maxMetadataChars, int maxEventRecordBytes) {

    public static final CommandLimits DEFAULT = new CommandLimits(100, 1_000, 512 * 1024, 64, 4_096, 1_000_000);

    public CommandLimits {
        requirePositive("maxAppends", maxAppends);
        requirePositive("maxEvents", maxEvents);
        requirePositive("maxPayloadBytes", maxPayloadBytes);
        requirePositive("maxMetadataEntries", maxMetadataEntries);
        requirePositive("maxMetadataChars", maxMetadataChars);
        requirePositive("maxEventRecordBytes", maxEventRecordBytes);
    }

    public CommandLimits withMaxEventRecordBytes(int bytes) {
        return new CommandLimits(maxAppends, maxEvents, maxPayloadBytes, maxMetadataEntries, maxMetadataChars, bytes);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
