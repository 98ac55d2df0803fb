package io.allsource.ingest.command;

/**
 * What became of one append of a command.
 *
 * @param currentVersion on acceptance the stream's version after the append; on rejection its actual current version
 * @param firstVersion   the version of the first event written, {@code null} unless accepted
 * @param lastVersion    the version of the last event written, {@code null} unless accepted
 */
public record StreamOutcome(
        String streamId, ExpectedVersion expectedVersion, long currentVersion, Long firstVersion, Long lastVersion) {

    public static StreamOutcome rejected(String streamId, ExpectedVersion expectedVersion, long currentVersion) {
        return new StreamOutcome(streamId, expectedVersion, currentVersion, null, null);
    }
}
