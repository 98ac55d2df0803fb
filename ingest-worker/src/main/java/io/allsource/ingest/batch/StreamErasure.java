package io.allsource.ingest.batch;

/**
 * A stream a batch deletes or erases: its events of versions 1 to {@code throughVersion} get the redaction marker in
 * the batch's transaction; a delete also marks the stream deleted at that version.
 *
 * @param tenantId       the stream's tenant, kept on its row
 * @param throughVersion the stream's current version when the command was applied, 1 or more
 * @param delete         true for a delete, false for an erase
 */
public record StreamErasure(String streamId, String tenantId, long throughVersion, boolean delete) {
}
