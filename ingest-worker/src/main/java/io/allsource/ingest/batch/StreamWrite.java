package io.allsource.ingest.batch;

import io.allsource.ingest.command.ExpectedVersion;

/**
 * The change a batch makes to one stream's row: created, or moved from {@code priorVersion} to {@code newVersion}.
 *
 * @param partitionKey     the partition key of the command that created the stream (kept for placement checks)
 * @param tenantId         the stream's tenant: the creating command's, or the one it had (an ownerless stream takes
 *                         the tenant of the first command that appends to it)
 * @param lastExpected     the expected version of the batch's last append to the stream, stored for inspection
 */
public record StreamWrite(String streamId, boolean created, String partitionKey, String tenantId, long priorVersion,
        long newVersion, ExpectedVersion lastExpected) {
}
